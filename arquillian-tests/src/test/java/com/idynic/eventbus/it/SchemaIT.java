package com.idynic.eventbus.it;

import static com.idynic.eventbus.it.Stack.count;
import static com.idynic.eventbus.it.Stack.json;
import static com.idynic.eventbus.it.Stack.newId;
import static com.idynic.eventbus.it.Stack.postJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The schema registry: validation on publish with the seed's error shape, versions and compatibility. */
class SchemaIT {
    static final String V1 = "{\"schema\":{\"type\":\"object\",\"properties\":{\"userId\":{\"type\":\"string\"},"
            + "\"name\":{\"type\":\"string\"}},\"required\":[\"userId\"]}}";

    @BeforeAll
    static void ready() {
        Stack.awaitReady();
    }

    @Test
    void aBadEmailIsRefusedWithTheSeedsSchemaValidationError() {
        String id = newId("evt");
        HttpResponse<String> r = postJson(
                "/v1/events",
                Stack.event(id, "user.created", "{\"userId\":\"usr-1\",\"email\":\"not-an-email\"}", "{}"));
        assertEquals(400, r.statusCode(), r.body());
        JsonObject err = BadInputIT.assertErrorJson(r, "SCHEMA_VALIDATION_ERROR");
        assertEquals("Event data does not match schema for event type 'user.created'", err.getString("message"));
        assertEquals("data.email", err.getJsonObject("details").getString("field"));
        assertEquals(
                "must be a valid email address", err.getJsonObject("details").getString("error"));
        assertEquals(0, count("select count(*) from eb_event where id = ?", id));
    }

    @Test
    void everyViolationIsListedAndTheFirstIsNamed() {
        HttpResponse<String> r =
                postJson("/v1/events", Stack.event(newId("evt"), "user.created", "{\"email\":\"x\",\"name\":7}", "{}"));
        assertEquals(400, r.statusCode(), r.body());
        JsonObject details = json(r).getJsonObject("details");
        assertEquals(3, details.getJsonArray("errors").size(), details.toString());
        assertEquals("data.email", details.getString("field"));
        assertTrue(details.toString().contains("\"data.userId\""), details.toString());
    }

    @Test
    void incompatibleVersionsAreRefusedWithAReasonAndCompatibleOnesAccepted() {
        String type = WebhookIT.unique("it.schema.t");
        HttpResponse<String> v1 = postJson("/v1/schemas/" + type + "/versions", V1);
        assertEquals(201, v1.statusCode(), v1.body());
        assertEquals(1, json(v1).getInt("version"));

        String breaking = V1.replace("\"required\":[\"userId\"]", "\"required\":[\"userId\",\"name\"]");
        HttpResponse<String> dry = postJson("/v1/schemas/" + type + "/versions?dryRun=true", breaking);
        assertEquals(200, dry.statusCode(), dry.body());
        assertFalse(json(dry).getBoolean("compatible"));
        HttpResponse<String> refused = postJson("/v1/schemas/" + type + "/versions", breaking);
        assertEquals(409, refused.statusCode(), refused.body());
        JsonObject err = BadInputIT.assertErrorJson(refused, "INCOMPATIBLE_SCHEMA");
        assertEquals(
                "field data.name became required", err.getJsonObject("details").getString("error"));

        String compatible = V1.replace(
                "\"name\":{\"type\":\"string\"}}",
                "\"name\":{\"type\":\"string\"},\"nickname\":{\"type\":\"string\"}}");
        HttpResponse<String> v2 = postJson("/v1/schemas/" + type + "/versions", compatible);
        assertEquals(201, v2.statusCode(), v2.body());
        assertEquals(2, json(v2).getInt("version"));
        assertEquals(
                2, json(Stack.get("/v1/schemas/" + type + "/versions/latest")).getInt("version"));

        assertEquals(
                202,
                postJson("/v1/events", Stack.event(newId("evt"), type, "{\"userId\":\"u\"}", "{}"))
                        .statusCode());
        HttpResponse<String> bad = postJson(
                "/v1/events", Stack.event(newId("evt"), type, "{\"name\":\"n\"}", "{\"schemaVersion\":\"1\"}"));
        assertEquals(400, bad.statusCode(), bad.body());
        assertEquals("data.userId", json(bad).getJsonObject("details").getString("field"));
        HttpResponse<String> badByNumber =
                postJson("/v1/events", Stack.event(newId("evt"), type, "{\"name\":\"n\"}", "{\"schemaVersion\":1}"));
        assertEquals(
                400, badByNumber.statusCode(), "a number names the version as its string does: " + badByNumber.body());
        assertEquals("SCHEMA_VALIDATION_ERROR", json(badByNumber).getString("errorCode"), badByNumber.body());
        assertEquals("data.userId", json(badByNumber).getJsonObject("details").getString("field"));
        assertEquals(
                202,
                postJson("/v1/events", Stack.event(newId("evt"), type, "{\"userId\":\"u\"}", "{\"schemaVersion\":1}"))
                        .statusCode());
        HttpResponse<String> unknown = postJson(
                "/v1/events", Stack.event(newId("evt"), type, "{\"userId\":\"u\"}", "{\"schemaVersion\":\"9\"}"));
        assertEquals(400, unknown.statusCode(), unknown.body());
        assertEquals(
                "metadata.schemaVersion", json(unknown).getJsonObject("details").getString("field"));
    }

    @Test
    void theSeedSchemasAreRegisteredAndTypesWithoutASchemaAreAllowedByDefault() {
        assertEquals(200, Stack.get("/v1/schemas/user.created/versions/1").statusCode());
        assertEquals(200, Stack.get("/v1/schemas/order.placed/versions/latest").statusCode());
        assertEquals(404, Stack.get("/v1/schemas/no.such.type/versions").statusCode());
        assertEquals(
                202,
                postJson("/v1/events", Stack.event(newId("evt"), WebhookIT.unique("free.t"), "{\"any\":1}", "{}"))
                        .statusCode());
    }

    @Test
    void aDryRunNamesTheSubscriptionsANewVersionWouldBreak() {
        String type = WebhookIT.unique("it.readers.t");
        assertEquals(201, postJson("/v1/schemas/" + type + "/versions", V1).statusCode());
        String reader = WebhookIT.unique("reader-");
        Subscriptions.create(
                reader,
                "{\"eventTypes\":[\"" + type + "\"],\"target\":{\"type\":\"pull\"},\"schemaVersions\":{\"" + type
                        + "\":1}}");
        String dropsUserId = "{\"schema\":{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"}}}}";
        HttpResponse<String> dry = postJson("/v1/schemas/" + type + "/versions?dryRun=true", dropsUserId);
        assertEquals(200, dry.statusCode(), dry.body());
        JsonObject affected = json(dry).getJsonArray("affectedSubscriptions").getJsonObject(0);
        assertEquals(reader, affected.getString("subscriptionId"));
        assertEquals(1, affected.getInt("readsVersion"));
        assertEquals(
                "field data.userId became required",
                affected.getJsonArray("breaks").getString(0));
    }
}
