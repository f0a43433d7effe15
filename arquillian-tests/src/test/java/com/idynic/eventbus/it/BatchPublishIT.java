package com.idynic.eventbus.it;

import static com.idynic.eventbus.it.AuthIT.assertError;
import static com.idynic.eventbus.it.AuthIT.call;
import static com.idynic.eventbus.it.AuthIT.service;
import static com.idynic.eventbus.it.Stack.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code POST /v1/events/batch}: one request, one transaction, one result per event in request order. */
class BatchPublishIT {
    @BeforeAll
    static void ready() {
        Stack.awaitReady();
    }

    static String batch(String... events) {
        return "[" + String.join(",", events) + "]";
    }

    static String keyed(String id, String key, int n) {
        return Stack.event(
                id,
                "user.created",
                "{\"userId\":\"usr-" + n + "\",\"email\":\"u" + n + "@example.com\",\"name\":\"Batch " + n + "\"}",
                "{\"partitionKey\":\"" + key + "\"}");
    }

    @Test
    void aBatchIsStoredInRequestOrderAndARepeatGetsTheSameReceipts() {
        String key = "batch-" + UUID.randomUUID();
        List<String> ids = new ArrayList<>();
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String id = Stack.newId("evt-batch");
            ids.add(id);
            events.add(keyed(id, key, i));
        }
        String body = batch(events.toArray(String[]::new));
        HttpResponse<String> r = Stack.postJson("/v1/events/batch", body);
        assertEquals(202, r.statusCode(), r.body());
        JsonObject o = json(r);
        assertEquals(5, o.getInt("accepted"));
        assertEquals(0, o.getInt("duplicates"));
        JsonArray receipts = o.getJsonArray("receipts");
        for (int i = 0; i < 5; i++) {
            JsonObject item = receipts.getJsonObject(i);
            assertEquals(ids.get(i), item.getString("eventId"), "results follow the request order");
            assertEquals("accepted", item.getString("status"));
            JsonObject stored = json(Stack.get("/v1/events/" + ids.get(i)));
            assertEquals(item.getString("receipt"), stored.getString("receipt"), "the stored receipt");
        }
        List<String> bySeq = Stack.strings("select id from eb_event where partition_key = ? order by seq", key);
        assertEquals(ids, bySeq, "one key's events are sequenced in request order");
        assertEquals(
                5,
                Stack.count(
                        "select count(*) from eb_event_id i join eb_event e on e.id = i.id"
                                + " and e.accepted_at = i.accepted_at where e.partition_key = ?",
                        key),
                "each id row carries its event's accepted time");

        HttpResponse<String> again = Stack.postJson("/v1/events/batch", body);
        assertEquals(202, again.statusCode(), again.body());
        JsonObject repeat = json(again);
        assertEquals(0, repeat.getInt("accepted"));
        assertEquals(5, repeat.getInt("duplicates"));
        for (int i = 0; i < 5; i++) {
            assertEquals(
                    "duplicate",
                    repeat.getJsonArray("receipts").getJsonObject(i).getString("status"));
            assertEquals(
                    receipts.getJsonObject(i).getString("receipt"),
                    repeat.getJsonArray("receipts").getJsonObject(i).getString("receipt"),
                    "a repeat gets the original receipt");
        }
    }

    @Test
    void anIdTakenByADifferentEventIsRejectedAloneAndTheRestIsStored() {
        String taken = Stack.newId("evt-batch-taken");
        assertEquals(202, Stack.postJson("/v1/events", Stack.userCreated(taken)).statusCode());
        String fresh = Stack.newId("evt-batch-fresh");
        HttpResponse<String> r = Stack.postJson(
                "/v1/events/batch", batch(keyed(taken, "k", 1), Stack.userCreated(fresh), Stack.userCreated(fresh)));
        assertEquals(202, r.statusCode(), r.body());
        JsonArray results = json(r).getJsonArray("receipts");
        assertEquals("rejected", results.getJsonObject(0).getString("status"));
        assertEquals("DUPLICATE_EVENT_ID", results.getJsonObject(0).getString("errorCode"));
        assertEquals("accepted", results.getJsonObject(1).getString("status"));
        assertEquals("duplicate", results.getJsonObject(2).getString("status"), "the same event twice in one batch");
        assertEquals(
                results.getJsonObject(1).getString("receipt"),
                results.getJsonObject(2).getString("receipt"));
        assertEquals(1, Stack.count("select count(*) from eb_event where id = ?", fresh));
    }

    @Test
    void oneInvalidEventRefusesTheWholeBatchNamingItAndStoresNothing() {
        String first = Stack.newId("evt-batch-first");
        HttpResponse<String> r = Stack.postJson(
                "/v1/events/batch",
                batch(
                        Stack.userCreated(first),
                        Stack.event(Stack.newId("evt-batch-bad"), "user.created", "{\"userId\":7}", "{}")));
        assertError(400, "SCHEMA_VALIDATION_ERROR", r);
        JsonObject details = json(r).getJsonObject("details");
        assertEquals(1, details.getInt("index"));
        assertEquals(true, details.getString("field").startsWith("[1]."), r.body());
        assertEquals(0, Stack.count("select count(*) from eb_event where id = ?", first), "nothing stored");

        assertError(400, "VALIDATION_ERROR", Stack.postJson("/v1/events/batch", "[]"));
        assertError(400, "MALFORMED_JSON", Stack.postJson("/v1/events/batch", Stack.userCreated(first)));
        HttpResponse<String> notObject = Stack.postJson("/v1/events/batch", "[" + Stack.userCreated(first) + ",3]");
        assertError(400, "VALIDATION_ERROR", notObject);
        assertEquals("[1]", json(notObject).getJsonObject("details").getString("field"));
        assertEquals(0, Stack.count("select count(*) from eb_event where id = ?", first), "nothing stored");
    }

    @Test
    void aPublisherMayBatchOnlyItsOwnTypesAndABatchCountsEachEventAgainstItsRate() {
        String name = "it-batch-" + UUID.randomUUID().toString().substring(0, 8);
        String token = Stack.token(
                service(
                        name,
                        "{\"roles\":[\"publisher\"],\"publish\":[\"it.batch.*\"],\"rateLimit\":{\"perSecond\":1,\"burst\":3}}"));
        String ok1 = Stack.newId("evt-batch-own");
        String own = "{\"id\":\"" + ok1 + "\",\"eventType\":\"it.batch.done\",\"source\":\"" + name + "\",\"data\":{}}";
        String other = "{\"id\":\"" + Stack.newId("evt-batch-other") + "\",\"eventType\":\"order.placed\",\"source\":\""
                + name + "\",\"data\":{}}";
        HttpResponse<String> forbidden = call("POST", "/v1/events/batch", token, batch(own, other));
        assertError(403, "FORBIDDEN", forbidden);
        assertEquals(1, json(forbidden).getJsonObject("details").getInt("index"));
        assertEquals(0, Stack.count("select count(*) from eb_event where id = ?", ok1), "nothing stored");

        String reader = Stack.token(service(
                "it-batch-reader-" + UUID.randomUUID().toString().substring(0, 8),
                "{\"roles\":[\"subscriber\"],\"subscribe\":[\"*\"]}"));
        HttpResponse<String> noRole = call("POST", "/v1/events/batch", reader, batch(own));
        assertError(403, "FORBIDDEN", noRole);
        assertEquals(
                List.of("publisher", "admin"),
                json(noRole)
                        .getJsonObject("details")
                        .getJsonArray("requiredRoles")
                        .getValuesAs(jakarta.json.JsonString::getString));

        List<String> four = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            four.add("{\"id\":\"" + Stack.newId("evt-batch-rate") + "\",\"eventType\":\"it.batch.done\",\"source\":\""
                    + name + "\",\"data\":{}}");
        }
        HttpResponse<String> tooBig = call("POST", "/v1/events/batch", token, batch(four.toArray(String[]::new)));
        assertError(400, "VALIDATION_ERROR", tooBig);
        assertEquals(
                202,
                call("POST", "/v1/events/batch", token, batch(four.subList(0, 3).toArray(String[]::new)))
                        .statusCode());
        HttpResponse<String> limited = call("POST", "/v1/events/batch", token, batch(four.get(3)));
        assertError(429, "RATE_LIMITED", limited);
    }
}
