package com.idynic.eventbus.cloudevents;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.idynic.eventbus.api.EnvelopeParser;
import com.idynic.eventbus.api.EventEnvelope;
import com.idynic.eventbus.api.InvalidFieldException;
import io.cloudevents.CloudEvent;
import io.cloudevents.jackson.JsonFormat;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CloudEventMappingTest {
    /** The system clock, as the bus's one clock is in production. */
    static final java.time.Clock SYSTEM = java.time.Clock.systemUTC();

    private final CloudEventMapping mapping = new CloudEventMapping(SYSTEM);

    private static JsonObject json(String s) {
        try (JsonReader r = Json.createReader(new StringReader(s))) {
            return r.readObject();
        }
    }

    private static final String SEED =
            """
            {"id":"evt-1","eventType":"user.created","source":"user-service","timestamp":"2024-05-20T13:45:30.5+02:00",
             "data":{"userId":"123","n":1.5},
             "metadata":{"correlationId":"corr-1","partitionKey":"user-123","traceparent":
               "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01","schemaVersion":2,"subject":"users/123",
               "region":"eu","retries":3,"flag":true,"camelCase":"x","nested":{"a":[1,2]},"big":1.25}}""";

    @Test
    void aStructuredEventWithoutTimeIsStampedByTheBussClock() {
        CloudEventMapping stamped = new CloudEventMapping(
                java.time.Clock.fixed(java.time.Instant.parse("2026-12-07T10:00:00Z"), java.time.ZoneOffset.UTC));
        EventEnvelope e = stamped.fromStructured(
                json("""
                {"specversion":"1.0","id":"a","type":"t.x","source":"s","data":{}}"""));
        assertEquals("2026-12-07T10:00Z", e.timestamp().toString());
    }

    @Test
    void seedToCloudEventAndBackKeepsEveryField() {
        EventEnvelope seed = EnvelopeParser.parse(json(SEED), SYSTEM);
        CloudEvent ce = mapping.toCloudEvent(seed);
        assertEquals("evt-1", ce.getId());
        assertEquals("user.created", ce.getType());
        assertEquals("user-service", ce.getSource().toString());
        assertEquals(seed.timestamp(), ce.getTime());
        assertEquals("corr-1", ce.getExtension("correlationid"));
        assertEquals("user-123", ce.getExtension("partitionkey"));
        assertEquals(null, ce.getExtension("schemaversion"));
        assertEquals(
                "{\"schemaVersion\":2,\"retries\":3,\"flag\":true,\"camelCase\":\"x\",\"nested\":{\"a\":[1,2]},\"big\":1.25}",
                ce.getExtension("ebmetadata"));
        assertEquals("users/123", ce.getSubject());
        assertEquals("eu", ce.getExtension("region"));

        JsonObject structured = json(new String(new JsonFormat().serialize(ce), StandardCharsets.UTF_8));
        EventEnvelope back = mapping.fromStructured(structured);
        assertEquals(seed.toJson(), back.toJson());
        assertEquals(seed.metadata(), back.metadata());
    }

    @Test
    void binaryModeHeadersMapBackToTheSameEnvelope() {
        EventEnvelope seed = EnvelopeParser.parse(json(SEED), SYSTEM);
        CloudEventMapping.Encoded out = mapping.encode(seed, WebhookFormat.BINARY);
        assertEquals("application/json", out.headers().get("Content-Type"));
        assertEquals("evt-1", out.headers().get("ce-id"));
        assertEquals("user-123", out.headers().get("ce-partitionkey"));
        Map<String, List<String>> in = new java.util.HashMap<>();
        out.headers().forEach((k, v) -> in.put(k, List.of(v)));
        EventEnvelope back = mapping.fromBinary(in, json(new String(out.body(), StandardCharsets.UTF_8)));
        assertEquals(seed.toJson(), back.toJson());
    }

    @Test
    void structuredDeliveryIsOneCloudEventsDocument() {
        EventEnvelope seed = EnvelopeParser.parse(json(SEED), SYSTEM);
        CloudEventMapping.Encoded out = mapping.encode(seed, WebhookFormat.STRUCTURED);
        assertEquals("application/cloudevents+json", out.headers().get("Content-Type"));
        JsonObject doc = json(new String(out.body(), StandardCharsets.UTF_8));
        assertEquals("1.0", doc.getString("specversion"));
        assertEquals("user.created", doc.getString("type"));
        assertEquals(seed.data(), doc.getJsonObject("data"));
        assertArrayEquals(
                seed.toJson().toString().getBytes(StandardCharsets.UTF_8),
                mapping.encode(seed, WebhookFormat.SEED).body());
    }

    @Test
    void binaryModeWithoutSpecversionIsRefusedNamingTheHeader() {
        var e = assertThrows(
                InvalidFieldException.class,
                () -> mapping.fromBinary(
                        Map.of("ce-id", List.of("a"), "ce-type", List.of("t.x"), "ce-source", List.of("s")),
                        json("{}")));
        assertEquals("ce-specversion", e.details().get("field"));
    }

    @Test
    void aWrongSpecversionOrABadTimeIsAValidationError() {
        Map<String, List<String>> h = new java.util.HashMap<>(Map.of(
                "ce-specversion", List.of("2.0"),
                "ce-id", List.of("a"),
                "ce-type", List.of("t.x"),
                "ce-source", List.of("s")));
        assertEquals(
                "ce-specversion",
                assertThrows(InvalidFieldException.class, () -> mapping.fromBinary(h, json("{}")))
                        .details()
                        .get("field"));
        h.put("ce-specversion", List.of("1.0"));
        h.put("ce-time", List.of("yesterday"));
        assertEquals(
                "ce-time",
                assertThrows(InvalidFieldException.class, () -> mapping.fromBinary(h, json("{}")))
                        .details()
                        .get("field"));
        var structured = json(
                """
                {"specversion":"1.0","id":"a","type":"t.x","source":"s","time":"yesterday","data":{}}""");
        assertEquals(
                "time",
                assertThrows(InvalidFieldException.class, () -> mapping.fromStructured(structured))
                        .details()
                        .get("field"));
    }

    @Test
    void seedValidationErrorsUseCloudEventsNames() {
        var badType =
                json("""
                {"specversion":"1.0","id":"a","type":"has space","source":"s","data":{}}""");
        assertEquals(
                "type",
                assertThrows(InvalidFieldException.class, () -> mapping.fromStructured(badType))
                        .details()
                        .get("field"));
        var noData = json("""
                {"specversion":"1.0","id":"a","type":"t.x","source":"s"}""");
        assertEquals(
                "data",
                assertThrows(InvalidFieldException.class, () -> mapping.fromStructured(noData))
                        .details()
                        .get("field"));
        var xml = json(
                """
                {"specversion":"1.0","id":"a","type":"t.x","source":"s","datacontenttype":"text/xml","data":{}}""");
        assertEquals(
                "datacontenttype",
                assertThrows(InvalidFieldException.class, () -> mapping.fromStructured(xml))
                        .details()
                        .get("field"));
    }

    @Test
    void onKafkaEveryAttributeIsACeHeaderInTheMetadatasOrderAndDataIsLeftForTheValue() {
        EventEnvelope seed = EnvelopeParser.parse(json(SEED), SYSTEM);
        Map<String, String> h = CloudEventMapping.kafkaHeaders(seed);
        assertEquals(
                List.of(
                        Map.entry("ce_specversion", "1.0"),
                        Map.entry("ce_id", "evt-1"),
                        Map.entry("ce_type", "user.created"),
                        Map.entry("ce_source", "user-service"),
                        Map.entry("ce_time", "2024-05-20T13:45:30.5+02:00"),
                        Map.entry("ce_correlationid", "corr-1"),
                        Map.entry("ce_partitionkey", "user-123"),
                        Map.entry("ce_traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"),
                        Map.entry("ce_subject", "users/123"),
                        Map.entry("ce_region", "eu"),
                        Map.entry(
                                "ce_ebmetadata",
                                "{\"schemaVersion\":2,\"retries\":3,\"flag\":true,\"camelCase\":\"x\","
                                        + "\"nested\":{\"a\":[1,2]},\"big\":1.25}"),
                        Map.entry("content-type", "application/json")),
                List.copyOf(h.entrySet()));
    }

    @Test
    void kafkaHeadersAreTheHttpBinaryHeadersOfTheSameMapping() {
        EventEnvelope seed = EnvelopeParser.parse(json(SEED), SYSTEM);
        Map<String, String> http = new java.util.TreeMap<>();
        mapping.encode(seed, WebhookFormat.BINARY).headers().forEach((k, v) -> http.put(k.replace("ce-", "ce_"), v));
        http.put("content-type", http.remove("Content-Type"));
        assertEquals(http, new java.util.TreeMap<>(CloudEventMapping.kafkaHeaders(seed)));
    }

    @Test
    void kafkaHeadersAndDataMapBackToTheSameEnvelope() {
        EventEnvelope seed = EnvelopeParser.parse(json(SEED), SYSTEM);
        EventEnvelope back = CloudEventMapping.fromKafkaHeaders(CloudEventMapping.kafkaHeaders(seed), seed.data(), "h");
        assertEquals(seed.toJson(), back.toJson());
        assertEquals(seed.metadata(), back.metadata());
        assertEquals(seed.timestamp(), back.timestamp(), "the publisher's offset too");
        assertEquals("h", back.contentHash());
    }

    @Test
    void metadataThatNoAttributeOfItsOwnCanCarryGoesThroughEbmetadataAndBack() {
        EventEnvelope seed = EnvelopeParser.parse(
                json(
                        """
                {"id":"evt-2","eventType":"user.created","source":"svc","timestamp":"2024-05-20T11:45:30Z","data":{},
                 "metadata":{"schemaVersion":"3","tracestate":"a=1","dataschema":"https://example.com/s.json",
                   "time":"not the time","partitionkey":"lower","Upper":"u","toolongforanextensionname":"l",
                   "bad":"x","empty":"","unicode":"é✓"}}"""),
                SYSTEM);
        Map<String, String> h = CloudEventMapping.kafkaHeaders(seed);
        assertEquals("3", h.get("ce_schemaversion"));
        assertEquals("a=1", h.get("ce_tracestate"));
        assertEquals("https://example.com/s.json", h.get("ce_dataschema"));
        assertEquals("", h.get("ce_empty"));
        assertEquals("é✓", h.get("ce_unicode"));
        assertEquals(
                json("{\"time\":\"not the time\",\"partitionkey\":\"lower\",\"Upper\":\"u\","
                        + "\"toolongforanextensionname\":\"l\"}"),
                json(h.get("ce_ebmetadata")));
        EventEnvelope back = CloudEventMapping.fromKafkaHeaders(h, seed.data(), "");
        assertEquals(seed.metadata(), back.metadata());
    }

    @Test
    void anEventWithoutMetadataHasOnlyTheRequiredHeadersAndComesBackWithEmptyMetadata() {
        EventEnvelope seed = EnvelopeParser.parse(
                json(
                        """
                {"id":"evt-3","eventType":"a.b","source":"svc","timestamp":"2024-05-20T11:45:30Z","data":{"x":null}}"""),
                SYSTEM);
        Map<String, String> h = CloudEventMapping.kafkaHeaders(seed);
        assertEquals(
                Map.of(
                        "ce_specversion", "1.0",
                        "ce_id", "evt-3",
                        "ce_type", "a.b",
                        "ce_source", "svc",
                        "ce_time", "2024-05-20T11:45:30Z",
                        "content-type", "application/json"),
                h);
        EventEnvelope back = CloudEventMapping.fromKafkaHeaders(h, seed.data(), "");
        assertEquals(JsonObject.EMPTY_JSON_OBJECT, back.metadata());
        assertEquals(seed.toJson(), back.toJson());
    }

    @Test
    void aKafkaRecordWithoutItsRequiredHeadersIsNoEvent() {
        EventEnvelope seed = EnvelopeParser.parse(json(SEED), SYSTEM);
        for (String required : List.of("ce_id", "ce_type", "ce_source", "ce_time")) {
            Map<String, String> h = new java.util.HashMap<>(CloudEventMapping.kafkaHeaders(seed));
            h.remove(required);
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class, () -> CloudEventMapping.fromKafkaHeaders(h, seed.data(), ""));
            assertEquals("no " + required + " header", e.getMessage());
        }
    }

    @Test
    void unknownFormatNamesAreRefused() {
        assertEquals(WebhookFormat.SEED, WebhookFormat.parse(null));
        assertEquals(WebhookFormat.BINARY, WebhookFormat.parse("cloudevents-binary"));
        assertEquals(
                "target.format",
                assertThrows(InvalidFieldException.class, () -> WebhookFormat.parse("xml"))
                        .details()
                        .get("field"));
    }
}
