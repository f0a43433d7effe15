package com.idynic.eventbus.broker.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.idynic.eventbus.api.CachedJson;
import com.idynic.eventbus.api.EnvelopeParser;
import com.idynic.eventbus.api.EventEnvelope;
import com.idynic.eventbus.broker.spi.EventRefusedException;
import com.idynic.eventbus.broker.spi.OutboxEntry;
import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.KafkaMessageFactory;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** The events topic's record format: CloudEvents binary mode on the way out, both formats on the way in. */
class EventRecordsTest {
    static final String PAYLOAD =
            """
            {"eventType":"user.created","source":"user-service","id":"evt-1","timestamp":"2024-05-20T13:45:30.25+02:00",\
            "data":{"userId":"123","email":"a@example.com","n":1.5,"tags":["x","é"],"nested":{"ok":true,"none":null}},\
            "metadata":{"correlationId":"corr-1","partitionKey":"user-123","traceparent":\
            "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01","subject":"users/123","region":"eu",\
            "schemaVersion":2,"retries":3,"nested":{"a":[1,2]}}}""";
    static final String DATA = "{\"userId\":\"123\",\"email\":\"a@example.com\",\"n\":1.5,\"tags\":[\"x\",\"é\"],"
            + "\"nested\":{\"ok\":true,\"none\":null}}";

    static OutboxEntry entry(String payload) {
        return new OutboxEntry(
                11,
                "evt-1",
                "user.created",
                "user-service",
                "user-123",
                "corr-1",
                "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                payload,
                42,
                Instant.parse("2024-05-20T11:45:31Z"),
                Instant.parse("2024-05-20T11:45:30.25Z"));
    }

    static JsonObject json(String s) {
        try (JsonReader r = CachedJson.createReader(new StringReader(s))) {
            return r.readObject();
        }
    }

    static String header(ConsumerRecord<?, ?> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** @return {@code p} as a consumer would read it back from partition 0 */
    static ConsumerRecord<String, String> read(ProducerRecord<String, String> p) {
        return new ConsumerRecord<>(
                p.topic(),
                0,
                7,
                p.timestamp(),
                TimestampType.CREATE_TIME,
                -1,
                -1,
                p.key(),
                p.value(),
                p.headers(),
                Optional.empty());
    }

    @Test
    void theValueIsTheEventsDataAndTheHeadersItsAttributes() {
        ProducerRecord<String, String> r = EventRecords.record("events", entry(PAYLOAD));
        assertEquals(DATA, r.value(), "the data, byte for byte as stored");
        assertEquals("user-123", r.key());
        assertEquals(Instant.parse("2024-05-20T11:45:31Z").toEpochMilli(), r.timestamp());
        List<String> names = new ArrayList<>();
        r.headers().forEach(h -> names.add(h.key()));
        assertEquals(
                List.of(
                        "ce_specversion",
                        "ce_id",
                        "ce_type",
                        "ce_source",
                        "ce_time",
                        "ce_correlationid",
                        "ce_partitionkey",
                        "ce_traceparent",
                        "ce_subject",
                        "ce_region",
                        "ce_ebmetadata",
                        "content-type",
                        "eb-format",
                        "correlation-id",
                        "traceparent",
                        "eb-seq"),
                names);
        ConsumerRecord<String, String> c = read(r);
        assertEquals("2024-05-20T13:45:30.25+02:00", header(c, "ce_time"));
        assertEquals("{\"schemaVersion\":2,\"retries\":3,\"nested\":{\"a\":[1,2]}}", header(c, "ce_ebmetadata"));
        assertEquals("application/json", header(c, "content-type"));
        assertEquals("ce-binary", header(c, "eb-format"));
        assertEquals("corr-1", header(c, "correlation-id"));
        assertEquals("42", header(c, "eb-seq"));
    }

    @Test
    void theCloudEventsSdkReadsTheRecordWithDataAsTheEventsDataAndEveryAttribute() {
        ProducerRecord<String, String> r = EventRecords.record("events", entry(PAYLOAD));
        CloudEvent e = KafkaMessageFactory.createReader(r.headers(), r.value().getBytes(StandardCharsets.UTF_8))
                .toEvent();
        assertArrayEquals(DATA.getBytes(StandardCharsets.UTF_8), e.getData().toBytes());
        assertEquals("application/json", e.getDataContentType());
        assertEquals("evt-1", e.getId());
        assertEquals("user.created", e.getType());
        assertEquals(URI.create("user-service"), e.getSource());
        assertEquals(OffsetDateTime.parse("2024-05-20T13:45:30.25+02:00"), e.getTime());
        assertEquals("users/123", e.getSubject());
        assertNull(e.getDataSchema());
        assertEquals("corr-1", e.getExtension("correlationid"));
        assertEquals("user-123", e.getExtension("partitionkey"));
        assertEquals("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", e.getExtension("traceparent"));
        assertEquals("eu", e.getExtension("region"));
        assertEquals(
                json("{\"schemaVersion\":2,\"retries\":3,\"nested\":{\"a\":[1,2]}}"),
                json(String.valueOf(e.getExtension("ebmetadata"))));
        assertEquals(
                java.util.Set.of("correlationid", "partitionkey", "traceparent", "region", "ebmetadata"),
                e.getExtensionNames());
    }

    @Test
    void theBusReadsItsBinaryRecordBackAsTheSameEnvelope() {
        EventEnvelope sent = EnvelopeParser.stored(PAYLOAD, "");
        EventEnvelope back = EventRecords.envelope(read(EventRecords.record("events", entry(PAYLOAD))));
        assertEquals(sent.toJson(), back.toJson());
        assertEquals(sent.metadata(), back.metadata());
        assertEquals(sent.timestamp(), back.timestamp());
    }

    @Test
    void anEventWithoutOptionalFieldsHasNoHeadersForThemAndNoKey() {
        String payload =
                """
                {"eventType":"a.b","source":"svc","id":"evt-min","timestamp":"2024-05-20T11:45:30Z","data":{}}""";
        OutboxEntry bare = new OutboxEntry(1, "evt-min", "a.b", "svc", null, null, null, payload, 1, Instant.EPOCH);
        ProducerRecord<String, String> r = EventRecords.record("events", bare);
        assertNull(r.key());
        assertEquals("{}", r.value());
        List<String> names = new ArrayList<>();
        r.headers().forEach(h -> names.add(h.key()));
        assertEquals(
                List.of(
                        "ce_specversion",
                        "ce_id",
                        "ce_type",
                        "ce_source",
                        "ce_time",
                        "content-type",
                        "eb-format",
                        "eb-seq"),
                names);
        EventEnvelope back = EventRecords.envelope(read(r));
        assertEquals(EnvelopeParser.stored(payload, "").toJson(), back.toJson());
        assertEquals(JsonObject.EMPTY_JSON_OBJECT, back.metadata());
    }

    @Test
    void aRecordRelayedBeforeTheBinaryFormatIsReadFromItsEnvelopeValue() {
        RecordHeaders old = new RecordHeaders();
        old.add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8));
        old.add("ce_id", "evt-1".getBytes(StandardCharsets.UTF_8));
        old.add("ce_type", "user.created".getBytes(StandardCharsets.UTF_8));
        old.add("ce_source", "user-service".getBytes(StandardCharsets.UTF_8));
        old.add("content-type", "application/json".getBytes(StandardCharsets.UTF_8));
        old.add("eb-seq", "42".getBytes(StandardCharsets.UTF_8));
        ConsumerRecord<String, String> r = read(new ProducerRecord<>("events", null, 0L, "user-123", PAYLOAD, old));
        EventEnvelope back = EventRecords.envelope(r);
        assertEquals(EnvelopeParser.stored(PAYLOAD, "").toJson(), back.toJson());
        assertEquals("123", back.data().getString("userId"));
    }

    @Test
    void aRecordThatIsNoEventOfTheBusIsRefusedWhenRead() {
        ProducerRecord<String, String> r = EventRecords.record("events", entry(PAYLOAD));
        r.headers().remove("ce_id");
        assertThrows(IllegalArgumentException.class, () -> EventRecords.envelope(read(r)));
        ConsumerRecord<String, String> notJson =
                read(new ProducerRecord<>("events", null, 0L, null, "plain text", new RecordHeaders()));
        assertThrows(RuntimeException.class, () -> EventRecords.envelope(notJson));
    }

    @Test
    void aRowWhosePayloadIsNotAnEnvelopeIsRefusedSoTheRelaySetsItAside() {
        KafkaEventSink sink = new KafkaEventSink(
                () -> new RecordProducer() {
                    @Override
                    public void send(
                            ProducerRecord<String, String> record,
                            org.apache.kafka.clients.producer.Callback callback) {
                        throw new AssertionError("nothing is sent");
                    }

                    @Override
                    public void close(java.time.Duration timeout) {}
                },
                "events");
        ExecutionException e = assertThrows(
                ExecutionException.class, () -> sink.open().send(entry("{}")).get());
        assertInstanceOf(EventRefusedException.class, e.getCause());
        assertTrue(e.getCause().getMessage().startsWith("event evt-1: its stored payload is not an event envelope"));
    }
}
