package com.idynic.eventbus.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.idynic.eventbus.schema.SchemaVersion;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AsyncApiDocumentTest {
    private final CatalogFixture f = new CatalogFixture();
    private final AsyncApiDocument doc = new AsyncApiDocument(f.schemas, "idynic.events", "kafka-1:9092");

    private void version(String type, String schema, boolean deprecated) {
        List<SchemaVersion> l = f.versions.computeIfAbsent(type, t -> new ArrayList<>());
        l.add(new SchemaVersion(type, l.size() + 1, schema, deprecated, Instant.parse("2026-12-01T00:00:00Z")));
    }

    private static JsonObject json(String s) {
        return Json.createReader(new StringReader(s)).readObject();
    }

    @Test
    void describesTheTopicAsOneChannelWithAMessageAndASendOperationPerRegisteredType() {
        f.schema("user.created", 1);
        f.schema("order.placed", 1);

        JsonObject d = doc.document();

        assertEquals("3.0.0", d.getString("asyncapi"));
        assertEquals(
                "kafka-1:9092",
                d.getJsonObject("servers").getJsonObject("kafka").getString("host"));
        assertEquals("kafka", d.getJsonObject("servers").getJsonObject("kafka").getString("protocol"));
        JsonObject channel = d.getJsonObject("channels").getJsonObject("events");
        assertEquals("idynic.events", channel.getString("address"));
        assertEquals(
                Set.of("order.placed", "user.created"),
                channel.getJsonObject("messages").keySet());
        assertEquals(
                "#/components/messages/user.created",
                channel.getJsonObject("messages").getJsonObject("user.created").getString("$ref"));
        JsonObject op = d.getJsonObject("operations").getJsonObject("order.placed");
        assertEquals("send", op.getString("action"));
        assertEquals("#/channels/events", op.getJsonObject("channel").getString("$ref"));
        assertEquals(
                "#/channels/events/messages/order.placed",
                op.getJsonArray("messages").getJsonObject(0).getString("$ref"));
        JsonObject message =
                d.getJsonObject("components").getJsonObject("messages").getJsonObject("order.placed");
        assertEquals(
                "#/components/schemas/order.placed",
                message.getJsonObject("payload").getString("$ref"));
        assertEquals(
                "#/components/schemas/RecordHeaders",
                message.getJsonObject("headers").getString("$ref"));
        assertEquals(
                List.of(
                        "ce_specversion",
                        "ce_id",
                        "ce_type",
                        "ce_source",
                        "ce_time",
                        "ce_subject",
                        "ce_dataschema",
                        "ce_correlationid",
                        "ce_partitionkey",
                        "ce_traceparent",
                        "ce_tracestate",
                        "ce_schemaversion",
                        "ce_ebmetadata",
                        "content-type",
                        "eb-format",
                        "correlation-id",
                        "traceparent",
                        "eb-seq"),
                List.copyOf(d.getJsonObject("components")
                        .getJsonObject("schemas")
                        .getJsonObject("RecordHeaders")
                        .getJsonObject("properties")
                        .keySet()));
    }

    @Test
    void aMessagesDataIsTheLatestVersionNotDeprecatedAndANewVersionShowsAtOnce() {
        String v1 = "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}}}";
        String v2 = "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"},\"b\":{\"type\":\"integer\"}}}";
        String v3 = "{\"type\":\"object\",\"properties\":{\"c\":{\"type\":\"string\"}}}";
        version("invoice.sent", v1, false);
        version("invoice.sent", v2, false);
        version("invoice.sent", v3, true);

        assertEquals(json(v2), data(doc.document(), "invoice.sent"));
        assertEquals(2, message(doc.document(), "invoice.sent").getInt("x-eventbus-schema-version"));

        String v4 = "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"},\"d\":{\"type\":\"string\"}}}";
        f.schemas.register("admin", "invoice.sent", json(v4), false);

        assertEquals(json(v4), data(doc.document(), "invoice.sent"));
        assertEquals(4, message(doc.document(), "invoice.sent").getInt("x-eventbus-schema-version"));
    }

    @Test
    void withOnlyDeprecatedVersionsTheNewestIsShownAndWithNoSchemasTheChannelIsEmpty() {
        assertTrue(doc.document()
                .getJsonObject("channels")
                .getJsonObject("events")
                .getJsonObject("messages")
                .isEmpty());
        assertTrue(doc.document().getJsonObject("operations").isEmpty());
        String v1 = "{\"type\":\"object\"}";
        String v2 = "{\"type\":\"object\",\"required\":[\"x\"]}";
        version("old.thing", v1, true);
        version("old.thing", v2, true);
        assertEquals(json(v2), data(doc.document(), "old.thing"));
    }

    private static JsonObject message(JsonObject d, String type) {
        return d.getJsonObject("components").getJsonObject("messages").getJsonObject(type);
    }

    /** @return the payload schema of {@code type}'s message: the record value, the event's data */
    private static JsonObject data(JsonObject d, String type) {
        return d.getJsonObject("components").getJsonObject("schemas").getJsonObject(type);
    }
}
