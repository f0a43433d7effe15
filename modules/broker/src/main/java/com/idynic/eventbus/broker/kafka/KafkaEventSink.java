package com.idynic.eventbus.broker.kafka;

import com.idynic.eventbus.broker.spi.EventRefusedException;
import com.idynic.eventbus.broker.spi.EventSink;
import com.idynic.eventbus.broker.spi.OutboxEntry;
import com.idynic.eventbus.broker.spi.Relayed;
import com.idynic.eventbus.cloudevents.CloudEventMapping;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends outbox rows to one Kafka topic with an idempotent, {@code acks=all} producer, in the CloudEvents Kafka
 * binding's binary mode: record key = the ordering key ({@code partitionkey}); {@code ce_*} headers from {@link
 * CloudEventMapping#kafkaHeaders}, {@code content-type}; the value is the seed envelope (what the dispatcher, the
 * event log and replays read), so a CloudEvents consumer sees it as {@code data}. {@code correlation-id} and
 * {@code traceparent} stay for readers of the earlier headers. Records may be as large as
 * {@link KafkaRecordSize} allows; a record Kafka still refuses as too large fails its send with {@link
 * EventRefusedException}, so the relay sets it aside rather than retrying it.
 *
 * @since 0.1.0
 */
public final class KafkaEventSink implements EventSink, AutoCloseable {
    private final KafkaProducer<String, String> producer;
    private final String topic;

    /**
     * @param bootstrapServers e.g. {@code 127.0.0.1:9092}
     * @param topic the events topic
     * @param deliveryTimeoutMs upper bound for one send including retries
     * @param recordSize the largest record to send
     * @since 0.7.0
     */
    public KafkaEventSink(String bootstrapServers, String topic, int deliveryTimeoutMs, KafkaRecordSize recordSize) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(10000, deliveryTimeoutMs - 1));
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, deliveryTimeoutMs);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "eventbus-relay");
        p.putAll(recordSize.producerSettings());
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
        this.topic = topic;
    }

    @Override
    public CompletableFuture<Relayed> send(OutboxEntry e) {
        RecordHeaders h = new RecordHeaders();
        CloudEventMapping.kafkaHeaders(
                        e.eventId(),
                        e.eventType(),
                        e.source(),
                        e.occurredAt(),
                        e.partitionKey(),
                        e.correlationId(),
                        e.traceparent())
                .forEach((name, value) -> header(h, name, value));
        header(h, "content-type", "application/json");
        header(h, "correlation-id", e.correlationId());
        header(h, "traceparent", e.traceparent());
        header(h, KafkaEventLog.SEQ_HEADER, String.valueOf(e.eventSeq()));
        CompletableFuture<Relayed> done = new CompletableFuture<>();
        long timestamp = e.acceptedAt().toEpochMilli();
        producer.send(new ProducerRecord<>(topic, null, timestamp, e.partitionKey(), e.payload(), h), (md, ex) -> {
            if (ex != null) {
                done.completeExceptionally(refusal(e, ex));
            } else {
                done.complete(new Relayed(e.seq(), e.eventId(), md.topic(), md.partition(), md.offset()));
            }
        });
        return done;
    }

    /**
     * @return {@code failure} as the relay should see it: an {@link EventRefusedException} when Kafka will never
     *     take the record (too large for the producer or the topic), else unchanged
     */
    static Exception refusal(OutboxEntry e, Exception failure) {
        if (failure instanceof RecordTooLargeException) {
            return new EventRefusedException(
                    "event " + e.eventId() + " (type " + e.eventType() + ", "
                            + e.payload().getBytes(StandardCharsets.UTF_8).length
                            + " bytes of JSON) does not fit in one Kafka record: " + failure.getMessage(),
                    failure);
        }
        return failure;
    }

    private static void header(RecordHeaders h, String name, String value) {
        if (value != null) {
            h.add(name, value.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
