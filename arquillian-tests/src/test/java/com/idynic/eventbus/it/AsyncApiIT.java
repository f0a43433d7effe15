package com.idynic.eventbus.it;

import static com.idynic.eventbus.it.Stack.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v1/asyncapi}: an AsyncAPI 3.0 document of the events, generated from the schema registry, so that a
 * version registered (or deprecated) a moment ago is in the next document.
 */
class AsyncApiIT {
    @BeforeAll
    static void ready() {
        Stack.awaitReady();
    }

    static JsonObject document() {
        HttpResponse<String> r = Stack.get("/v1/asyncapi");
        assertEquals(200, r.statusCode(), r.body());
        return json(r);
    }

    static JsonValue resolve(JsonObject doc, String ref) {
        assertTrue(ref.startsWith("#/"), ref);
        JsonValue at = doc;
        for (String part : ref.substring(2).split("/")) {
            at = at.asJsonObject().get(part);
            if (at == null) {
                fail("unresolved " + ref);
            }
        }
        return at;
    }

    /** Every {@code $ref} anywhere in the document names something in it. */
    static void assertRefsResolve(JsonObject doc, JsonValue v) {
        if (v instanceof JsonObject o) {
            if (o.containsKey("$ref")) {
                resolve(doc, o.getString("$ref"));
            }
            o.values().forEach(x -> assertRefsResolve(doc, x));
        } else if (v.getValueType() == JsonValue.ValueType.ARRAY) {
            v.asJsonArray().forEach(x -> assertRefsResolve(doc, x));
        }
    }

    static JsonObject data(JsonObject doc, String type) {
        JsonObject message =
                doc.getJsonObject("components").getJsonObject("messages").getJsonObject(type);
        return resolve(doc, message.getJsonObject("payload").getString("$ref")).asJsonObject();
    }

    static int version(JsonObject doc, String type) {
        return doc.getJsonObject("components")
                .getJsonObject("messages")
                .getJsonObject(type)
                .getInt("x-eventbus-schema-version");
    }

    @Test
    void theDocumentIsAsyncApi3WithTheTopicAMessageAndAnOperationPerTypeAndTheRecordHeaders() {
        JsonObject doc = document();
        assertEquals("3.0.0", doc.getString("asyncapi"));
        assertEquals("idynic-event-bus events", doc.getJsonObject("info").getString("title"));
        JsonObject kafka = doc.getJsonObject("servers").getJsonObject("kafka");
        assertEquals(Stack.kafkaBootstrap(), kafka.getString("host"));
        assertEquals("kafka", kafka.getString("protocol"));
        JsonObject channel = doc.getJsonObject("channels").getJsonObject("events");
        assertEquals("idynic.events", channel.getString("address"));
        JsonObject messages = channel.getJsonObject("messages");
        assertTrue(
                messages.keySet().containsAll(List.of("user.created", "order.placed")),
                messages.keySet().toString());
        assertEquals(messages.keySet(), doc.getJsonObject("operations").keySet(), "one operation per message");
        assertEquals(
                messages.keySet(),
                doc.getJsonObject("components").getJsonObject("messages").keySet());
        doc.getJsonObject("operations").forEach((type, op) -> {
            JsonObject o = op.asJsonObject();
            assertEquals("send", o.getString("action"), type);
            assertEquals("#/channels/events", o.getJsonObject("channel").getString("$ref"), type);
            assertEquals(
                    "#/channels/events/messages/" + type,
                    o.getJsonArray("messages").getJsonObject(0).getString("$ref"),
                    type);
        });
        assertRefsResolve(doc, doc);
        JsonObject headers = resolve(
                        doc,
                        doc.getJsonObject("components")
                                .getJsonObject("messages")
                                .getJsonObject("user.created")
                                .getJsonObject("headers")
                                .getString("$ref"))
                .asJsonObject();
        assertTrue(
                headers.getJsonObject("properties")
                        .keySet()
                        .containsAll(List.of(
                                "ce_specversion",
                                "ce_id",
                                "ce_type",
                                "ce_source",
                                "ce_time",
                                "ce_ebmetadata",
                                "eb-format",
                                "traceparent")),
                headers.toString());
        JsonObject userCreated = data(doc, "user.created");
        assertEquals("object", userCreated.getString("type"));
        assertTrue(userCreated.getJsonObject("properties").containsKey("email"), userCreated.toString());
    }

    @Test
    void aVersionRegisteredOrDeprecatedAMomentAgoIsInTheNextDocument() {
        String type = "it.asyncapi.t" + UUID.randomUUID().toString().substring(0, 8);
        assertTrue(!document()
                .getJsonObject("components")
                .getJsonObject("messages")
                .containsKey(type));

        String v1 =
                "{\"type\":\"object\",\"required\":[\"orderId\"],\"properties\":{\"orderId\":{\"type\":\"string\"}}}";
        HttpResponse<String> r1 = Stack.postJson("/v1/schemas/" + type + "/versions", "{\"schema\":" + v1 + "}");
        assertEquals(201, r1.statusCode(), r1.body());
        JsonObject doc = document();
        assertEquals(Stack.parse(v1), data(doc, type));
        assertEquals(1, version(doc, type));
        assertTrue(doc.getJsonObject("channels")
                .getJsonObject("events")
                .getJsonObject("messages")
                .containsKey(type));

        String v2 = "{\"type\":\"object\",\"required\":[\"orderId\"],\"properties\":{\"orderId\":{\"type\":\"string\"},"
                + "\"note\":{\"type\":\"string\"}}}";
        HttpResponse<String> r2 = Stack.postJson("/v1/schemas/" + type + "/versions", "{\"schema\":" + v2 + "}");
        assertEquals(201, r2.statusCode(), r2.body());
        doc = document();
        assertEquals(Stack.parse(v2), data(doc, type));
        assertEquals(2, version(doc, type));

        HttpResponse<String> deprecated = Stack.postJson("/v1/schemas/" + type + "/versions/2/deprecate", "");
        assertEquals(200, deprecated.statusCode(), deprecated.body());
        doc = document();
        assertEquals(Stack.parse(v1), data(doc, type), "the newest version not deprecated");
        assertEquals(1, version(doc, type));
    }
}
