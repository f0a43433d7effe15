package com.idynic.eventbus.broker.kafka;

import com.idynic.eventbus.api.CachedJson;
import com.idynic.eventbus.api.EnvelopeParser;
import com.idynic.eventbus.api.EventEnvelope;
import com.idynic.eventbus.broker.spi.OutboxEntry;
import com.idynic.eventbus.cloudevents.CloudEventMapping;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The events topic's record format, written by the relay and read by the dispatcher and the event log: the
 * CloudEvents Kafka binding in binary mode ({@link CloudEventMapping#kafkaHeaders}), so that a plain CloudEvents
 * consumer gets the event's {@code data} as the record value. Records relayed by earlier versions hold the whole envelope
 * as their value and lack {@link #FORMAT_HEADER}; they are still read, so a topic written by both versions during an
 * upgrade is read whole. Their {@code ce_} and {@code content-type} headers look the same, hence the marker.
 */
final class EventRecords {
    /** Header telling how the value is to be read; absent on records relayed by earlier versions (value = envelope). */
    static final String FORMAT_HEADER = "eb-format";
    /** {@link #FORMAT_HEADER}'s value: CloudEvents binary mode, value = {@code data}. */
    static final String BINARY = "ce-binary";

    private static final byte[] BINARY_BYTES = BINARY.getBytes(StandardCharsets.UTF_8);

    private EventRecords() {}

    /**
     * @param topic the events topic
     * @param e the outbox row
     * @return the record: key = the ordering key, timestamp = accepted time, value = {@code data}, headers = the
     *     event's CloudEvents attributes, {@link #FORMAT_HEADER}, {@code eb-seq}, and {@code correlation-id} and
     *     {@code traceparent} for readers of the earlier headers
     * @throws RuntimeException when the row's payload is not an envelope (it can never be relayed)
     */
    static ProducerRecord<String, String> record(String topic, OutboxEntry e) {
        EventEnvelope event = EnvelopeParser.stored(e.payload(), "");
        RecordHeaders h = new RecordHeaders();
        CloudEventMapping.kafkaHeaders(event).forEach((name, value) -> header(h, name, value));
        header(h, FORMAT_HEADER, BINARY);
        header(h, "correlation-id", e.correlationId());
        header(h, "traceparent", e.traceparent());
        header(h, KafkaEventLog.SEQ_HEADER, String.valueOf(e.eventSeq()));
        long timestamp = e.acceptedAt().toEpochMilli();
        return new ProducerRecord<>(
                topic, null, timestamp, e.partitionKey(), event.data().toString(), h);
    }

    /**
     * @param r a record of the events topic, in either format
     * @return its envelope, with no content hash ({@code ""})
     * @throws RuntimeException when the record is not an event of the bus
     */
    static EventEnvelope envelope(ConsumerRecord<String, String> r) {
        Headers headers = r.headers();
        if (!binary(headers)) {
            return EnvelopeParser.stored(r.value(), "");
        }
        Map<String, String> ce = new LinkedHashMap<>(32);
        for (Header h : headers) {
            if (h.value() != null && h.key().startsWith(CloudEventMapping.KAFKA_PREFIX)) {
                ce.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
            }
        }
        return CloudEventMapping.fromKafkaHeaders(ce, object(r.value()), "");
    }

    private static boolean binary(Headers headers) {
        Header f = headers.lastHeader(FORMAT_HEADER);
        return f != null && java.util.Arrays.equals(BINARY_BYTES, f.value());
    }

    private static JsonObject object(String json) {
        if (json == null) {
            throw new IllegalArgumentException("a record without a value");
        }
        try (JsonReader r = CachedJson.createReader(new StringReader(json))) {
            return r.readObject();
        }
    }

    private static void header(RecordHeaders h, String name, String value) {
        if (value != null) {
            h.add(name, value.getBytes(StandardCharsets.UTF_8));
        }
    }
}
