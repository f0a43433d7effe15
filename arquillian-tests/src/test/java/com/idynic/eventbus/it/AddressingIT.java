package com.idynic.eventbus.it;

import static com.idynic.eventbus.it.Stack.await;
import static com.idynic.eventbus.it.Stack.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every accepted event id can be read back on every route that takes one, and every query parameter value that
 * does not fit its type is a {@code 400 VALIDATION_ERROR} naming the parameter (never a 404, never read as
 * false).
 */
class AddressingIT {
    /** The punctuation the id grammar allows besides letters and digits. */
    static final List<String> ID_PUNCTUATION = List.of(".", "_", ":", "@", "+", "=", "-");

    @BeforeAll
    static void ready() {
        Stack.awaitReady();
    }

    @Test
    void anIdWithEveryAllowedCharacterIsReadBackAsEventDeliveriesAndDeadLetter() {
        String type = WebhookIT.unique("it.addr.t");
        String sub = WebhookIT.unique("addr-");
        Subscriptions.create(
                sub, "{\"eventTypes\":[\"" + type + "\"],\"target\":{\"type\":\"pull\"},\"ordering\":\"unordered\"}");
        List<String> ids = new ArrayList<>();
        for (String c : ID_PUNCTUATION) {
            String id = WebhookIT.unique("evt" + c + "x" + c + "0");
            ids.add(id);
            HttpResponse<String> r = Stack.postJson("/v1/events", Stack.event(id, type, "{}", "{}"));
            assertEquals(202, r.statusCode(), r.body());
            assertEquals(id, json(r).getString("eventId"));
        }
        List<String> pulled = new ArrayList<>();
        await(Duration.ofSeconds(30), "all pulled", () -> {
            PullIT.pull(sub, 1000, 60_000).forEach(d -> pulled.add(PullIT.id(d)));
            return pulled.size() >= ids.size();
        });
        String all = String.join("\",\"", ids);
        assertEquals(
                ids.size(),
                PullIT.settle(sub, "nack", "{\"eventIds\":[\"" + all + "\"],\"reject\":true,\"reason\":\"test\"}"));
        for (String id : ids) {
            HttpResponse<String> event = Stack.get("/v1/events/" + id);
            assertEquals(200, event.statusCode(), id + ": " + event.body());
            assertEquals(id, json(event).getJsonObject("event").getString("id"), event.body());

            HttpResponse<String> deliveries = Stack.get("/v1/events/" + id + "/deliveries");
            assertEquals(200, deliveries.statusCode(), id + ": " + deliveries.body());
            List<String> states = json(deliveries).getJsonArray("deliveries").stream()
                    .map(JsonValue::asJsonObject)
                    .filter(d -> d.getString("subscriptionId").equals(sub))
                    .map(d -> d.getString("state"))
                    .toList();
            assertEquals(List.of("DEAD"), states, id);

            HttpResponse<String> dead = Stack.get("/v1/subscriptions/" + sub + "/dead-letters/" + id);
            assertEquals(200, dead.statusCode(), id + ": " + dead.body());
            assertEquals(id, json(dead).getJsonObject("deadLetter").getString("eventId"), dead.body());
        }
    }

    @Test
    void anIdThatCouldNotBeAddressedIsRefusedAndNothingIsStored() {
        String id = WebhookIT.unique("ord/");
        HttpResponse<String> r = Stack.postJson("/v1/events", Stack.userCreated(id));
        assertEquals(400, r.statusCode(), r.body());
        JsonObject e = json(r);
        assertEquals("VALIDATION_ERROR", e.getString("errorCode"));
        assertEquals("id", e.getJsonObject("details").getString("field"));
        assertEquals(0, Stack.count("select count(*) from eb_event_id where id = ?", id));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "/v1/events?after=abc|after|must be a whole number (got 'abc')",
                "/v1/events?limit=abc|limit|must be a whole number up to 2147483647 (got 'abc')",
                "/v1/events?limit=99999999999|limit|must be a whole number up to 2147483647 (got '99999999999')",
                "/v1/subscriptions/no-such-sub/dead-letters?limit=abc|limit|must be a whole number up to 2147483647 (got"
                        + " 'abc')",
                "/v1/subscriptions/no-such-sub/dead-letters?after=1.5|after|must be a whole number (got '1.5')",
            })
    void aQueryValueOfTheWrongTypeIsAValidationErrorNamingTheParameter(String path, String field, String error) {
        HttpResponse<String> r = Stack.get(path);
        assertEquals(400, r.statusCode(), r.body());
        JsonObject e = json(r);
        assertEquals("VALIDATION_ERROR", e.getString("errorCode"));
        assertEquals(field, e.getJsonObject("details").getString("field"));
        assertEquals(error, e.getJsonObject("details").getString("error"));
    }

    @Test
    void aDryRunThatIsNotTrueOrFalseIsRefusedAndRegistersNothing() {
        String type = WebhookIT.unique("it.addr.schema");
        String schema = "{\"schema\":{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"integer\"}}}}";
        for (String value : List.of("yes", "1", "", "TRUE")) {
            HttpResponse<String> r = Stack.postJson("/v1/schemas/" + type + "/versions?dryRun=" + value, schema);
            assertEquals(400, r.statusCode(), value + ": " + r.body());
            assertEquals("dryRun", json(r).getJsonObject("details").getString("field"));
        }
        assertEquals(404, Stack.get("/v1/schemas/" + type + "/versions").statusCode());
        HttpResponse<String> dry = Stack.postJson("/v1/schemas/" + type + "/versions?dryRun=true", schema);
        assertEquals(200, dry.statusCode(), dry.body());
        assertEquals(true, json(dry).getBoolean("dryRun"));
        assertEquals(404, Stack.get("/v1/schemas/" + type + "/versions").statusCode());
    }
}
