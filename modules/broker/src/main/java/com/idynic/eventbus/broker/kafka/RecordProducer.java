package com.idynic.eventbus.broker.kafka;

import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** The part of a Kafka producer that {@link KafkaEventSink} uses: a port, so a test can play the broker. */
interface RecordProducer {
    /**
     * As {@link KafkaProducer#send(ProducerRecord, Callback)}: hands the record over; the callback tells how it
     * ended, possibly on the calling thread before this returns.
     *
     * @throws IllegalStateException once closed
     */
    void send(ProducerRecord<String, String> record, Callback callback);

    /** As {@link KafkaProducer#close(Duration)}: with {@link Duration#ZERO}, fails every record not acknowledged yet. */
    void close(Duration timeout);

    /** @return a real producer with these settings */
    static RecordProducer kafka(Properties settings) {
        KafkaProducer<String, String> producer =
                new KafkaProducer<>(settings, new StringSerializer(), new StringSerializer());
        return new RecordProducer() {
            @Override
            public void send(ProducerRecord<String, String> record, Callback callback) {
                producer.send(record, callback);
            }

            @Override
            public void close(Duration timeout) {
                producer.close(timeout);
            }
        };
    }
}
