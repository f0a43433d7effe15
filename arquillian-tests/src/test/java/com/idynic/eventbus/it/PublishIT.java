package com.idynic.eventbus.it;

import static com.idynic.eventbus.it.Stack.await;
import static com.idynic.eventbus.it.Stack.count;
import static com.idynic.eventbus.it.Stack.json;
import static com.idynic.eventbus.it.Stack.newId;
import static com.idynic.eventbus.it.Stack.postJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PublishIT {
    @BeforeAll
    static void ready() {
        Stack.awaitReady();
    }

    @Test
    void seedExampleIsAcceptedStoredAndRelayedToKafkaWithKeyAndHeaders() {
        String id = newId("evt");
        String body = Stack.event(
                id,
                "user.created",
                "{\"userId\":\"usr-789012\",\"email\":\"user@example.com\",\"name\":\"John Doe\"}",
                "{\"correlationId\":\"corr-123456\",\"partitionKey\":\"usr-789012\"}");
        HttpResponse<String> r = postJson("/v1/events", body);
        assertEquals(202, r.statusCode(), r.body());
        JsonObject receipt = json(r);
        assertEquals("accepted", receipt.getString("status"));
        assertEquals(id, receipt.getString("eventId"));
        assertTrue(receipt.getString("receipt").startsWith("rcpt-"), r.body());
        Instant.parse(receipt.getString("timestamp"));
        assertEquals(1, count("select count(*) from eb_event where id = ?", id));

        ConsumerRecord<String, String> rec = KafkaProbe.find(id);
        assertEquals("usr-789012", rec.key());
        assertEquals("user.created", KafkaProbe.header(rec, "ce_type"));
        assertEquals("user-service", KafkaProbe.header(rec, "ce_source"));
        assertEquals("corr-123456", KafkaProbe.header(rec, "correlation-id"));
        assertTrue(rec.value().contains("\"email\":\"user@example.com\""), rec.value());
        await(
                Duration.ofSeconds(30),
                "outbox row removed after relay",
                () -> count("select count(*) from eb_outbox where event_id = ?", id) == 0);
        JsonObject stored = json(Stack.get("/v1/events/" + id));
        assertTrue(stored.getBoolean("relayed"));
        assertEquals(rec.partition(), stored.getJsonObject("kafka").getInt("partition"));
        assertEquals(
                rec.offset(),
                stored.getJsonObject("kafka").getJsonNumber("offset").longValue());
    }

    @Test
    void republishingTheSameIdAndContentReturnsTheOriginalReceiptAndStoresNothingTwice() {
        String id = newId("evt");
        HttpResponse<String> first = postJson("/v1/events", Stack.userCreated(id));
        String reordered = "{\"id\":\"" + id + "\",\"metadata\":{\"correlationId\":\"corr-" + id + "\"},"
                + "\"data\":{\"name\":\"John Doe\",\"email\":\"user@example.com\",\"userId\":\"usr-789012\"},"
                + "\"source\":\"user-service\",\"eventType\":\"user.created\",\"timestamp\":\"2023-05-20T13:45:30Z\"}";
        HttpResponse<String> second = postJson("/v1/events", reordered);
        assertEquals(202, first.statusCode(), first.body());
        assertEquals(202, second.statusCode(), second.body());
        assertEquals(json(first), json(second));
        assertEquals(1, count("select count(*) from eb_event where id = ?", id));
    }

    @Test
    void republishingTheSameEventWritesNoWarningAndNoIncidentToTheServerLog() {
        String id = newId("evt");
        long warnings = ServerLogs.messageLines("duplicate key");
        Set<String> incidents = ServerLogs.ffdcFiles();
        HttpResponse<String> first = postJson("/v1/events", Stack.userCreated(id));
        HttpResponse<String> again = postJson("/v1/events", Stack.userCreated(id));
        assertEquals(202, first.statusCode(), first.body());
        assertEquals(202, again.statusCode(), again.body());
        assertEquals(json(first), json(again));

        assertEquals(warnings, ServerLogs.messageLines("duplicate key"), "no 'duplicate key' line in messages.log");
        Set<String> added = new TreeSet<>(ServerLogs.ffdcFiles());
        added.removeAll(incidents);
        assertEquals(Set.of(), added, "no new FFDC incident");
    }

    @Test
    void reusingAnIdForDifferentContentIsAConflict() {
        String id = newId("evt");
        assertEquals(202, postJson("/v1/events", Stack.userCreated(id)).statusCode());
        HttpResponse<String> r = postJson("/v1/events", Stack.userCreated(id).replace("John Doe", "Jane Doe"));
        assertEquals(409, r.statusCode(), r.body());
        JsonObject err = json(r);
        assertEquals("error", err.getString("status"));
        assertEquals("DUPLICATE_EVENT_ID", err.getString("errorCode"));
        assertEquals(id, err.getJsonObject("details").getString("eventId"));
    }

    static HttpResponse<String> publishWithKey(String key, String body) {
        return Stack.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(Stack.baseUrl() + "/v1/events"))
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", key)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)));
    }

    @Test
    void anIdempotencyKeyWithTheSameBodyReturnsTheFirstReceiptAndWithAnotherBodyIs409() {
        String key = newId("idem");
        String id = newId("evt");
        HttpResponse<String> first = publishWithKey(key, Stack.userCreated(id));
        HttpResponse<String> again = publishWithKey(key, Stack.userCreated(id));
        assertEquals(202, first.statusCode(), first.body());
        assertEquals(json(first), json(again));
        HttpResponse<String> other = publishWithKey(key, Stack.userCreated(newId("evt")));
        assertEquals(409, other.statusCode(), other.body());
        assertEquals("IDEMPOTENCY_KEY_REUSED", json(other).getString("errorCode"));
        assertEquals(
                400,
                publishWithKey("bad key with spaces", Stack.userCreated(newId("evt")))
                        .statusCode());
    }

    @Test
    void storedEventsCanBeFoundByCorrelationIdTypeAndTimeWithTheirDeliveryStatus() {
        String corr = newId("corr");
        String type = WebhookIT.unique("it.query.t");
        String before = Instant.now().minusSeconds(1).toString();
        String a = newId("evt");
        String b = newId("evt");
        assertEquals(
                202,
                postJson("/v1/events", Stack.event(a, type, "{}", "{\"correlationId\":\"" + corr + "\"}"))
                        .statusCode());
        assertEquals(
                202,
                postJson(
                                "/v1/events",
                                Stack.event(
                                        b,
                                        "user.created",
                                        "{\"userId\":\"u\",\"email\":\"a@b.cd\"}",
                                        "{\"correlationId\":\"" + corr + "\"}"))
                        .statusCode());

        var byCorrelation = json(Stack.get("/v1/events?correlationId=" + corr)).getJsonArray("events");
        assertEquals(
                java.util.List.of(a, b),
                byCorrelation.stream()
                        .map(e -> e.asJsonObject().getJsonObject("event").getString("id"))
                        .toList());
        await(Duration.ofSeconds(30), "delivery status visible", () -> json(
                        Stack.get("/v1/events?correlationId=" + corr))
                .getJsonArray("events")
                .getJsonObject(1)
                .getJsonArray("deliveries")
                .stream()
                .anyMatch(d -> d.asJsonObject().getString("subscriptionId").equals("profile-service")));
        var byType =
                json(Stack.get("/v1/events?type=" + type + "&from=" + before)).getJsonArray("events");
        assertEquals(1, byType.size());
        assertEquals(a, byType.getJsonObject(0).getJsonObject("event").getString("id"));
        assertEquals(
                0,
                json(Stack.get("/v1/events?type=" + type + "&to=" + before))
                        .getJsonArray("events")
                        .size());
        assertEquals(400, Stack.get("/v1/events?from=yesterday").statusCode());
    }
}
