package com.idynic.eventbus.it;

import static com.idynic.eventbus.it.Stack.await;
import static com.idynic.eventbus.it.Stack.count;
import static com.idynic.eventbus.it.Stack.json;
import static com.idynic.eventbus.it.Stack.newId;
import static com.idynic.eventbus.it.Stack.postJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The co-deployed example app (profile-service) and its plain CDI observers. */
class CdiDeliveryIT {
    @BeforeAll
    static void ready() {
        Stack.awaitReady();
    }

    /** @return the observer calls the example app recorded for this event id */
    static List<JsonObject> calls(String eventId) {
        return json(Stack.get("/profile-service/api/received")).getJsonArray("calls").stream()
                .map(JsonValue::asJsonObject)
                .filter(c -> c.getString("eventId").equals(eventId))
                .toList();
    }

    static boolean delivered(String eventId) {
        return calls(eventId).stream().anyMatch(c -> !c.getBoolean("failed"));
    }

    @Test
    void publishedEventReachesTheObserverInTheCoDeployedApp() {
        String id = newId("evt");
        java.time.Instant before = java.time.Instant.now();
        assertEquals(202, postJson("/v1/events", Stack.userCreated(id)).statusCode());
        await(Duration.ofSeconds(60), "observer received " + id, () -> delivered(id));
        List<JsonObject> calls = calls(id);
        assertEquals(1, calls.size(), calls.toString());
        assertEquals("user.created", calls.get(0).getString("type"));
        assertEquals(1, calls.get(0).getInt("attempt"));
        java.time.Instant at = java.time.Instant.parse(calls.get(0).getString("receivedAt"));
        assertTrue(!at.isBefore(before) && !at.isAfter(java.time.Instant.now()), "when the observer ran: " + at);
        await(
                Duration.ofSeconds(30),
                "delivery acknowledged",
                () -> count(
                                "select count(*) from " + Stack.DELIVERIES
                                        + " where event_id = ? and state = 'DELIVERED'",
                                id)
                        == 1);
    }

    @Test
    void anObserverThatThrowsGetsTheEventAgainUntilItSucceeds() {
        String id = newId("evt");
        String body = Stack.event(
                id, "user.created", "{\"userId\":\"usr-retry\",\"email\":\"retry@example.com\",\"failTimes\":2}", "{}");
        assertEquals(202, postJson("/v1/events", body).statusCode());
        await(Duration.ofSeconds(90), "observer succeeded on a redelivery", () -> delivered(id));
        List<JsonObject> calls = calls(id);
        assertEquals(3, calls.size(), calls.toString());
        assertTrue(calls.get(0).getBoolean("failed"));
        assertTrue(calls.get(1).getBoolean("failed"));
        assertEquals(3, calls.get(2).getInt("attempt"), calls.toString());
    }

    @Test
    void anEventTheObserverRejectsGoesStraightToTheSubscriptionsDeadLetterQueue() {
        String id = newId("evt");
        String body = Stack.event(
                id,
                "user.created",
                "{\"userId\":\"usr-reject\",\"email\":\"reject@example.com\",\"reject\":\"no such tenant\"}",
                "{}");
        assertEquals(202, postJson("/v1/events", body).statusCode());
        String path = "/v1/subscriptions/profile-service/dead-letters/" + id;
        await(
                Duration.ofSeconds(60),
                id + " dead-lettered or offered again",
                () -> Stack.get(path).statusCode() == 200 || calls(id).size() > 1);
        assertEquals(1, calls(id).size(), "a rejected event is not offered again: " + calls(id));

        JsonObject dead = json(Stack.get(path)).getJsonObject("deadLetter");
        assertEquals("DEAD", dead.getString("state"), dead.toString());
        assertEquals(1, dead.getInt("attempts"), "not retried: " + dead);
        assertTrue(dead.getString("lastError").startsWith("rejected: "), dead.toString());
        assertTrue(dead.getString("lastError").contains("no such tenant"), dead.toString());
        List<JsonObject> attempts = Subscriptions.attempts(id, "profile-service");
        assertEquals(1, attempts.size(), attempts.toString());
        assertEquals("REJECTED", attempts.get(0).getString("outcome"));
        assertEquals("cdi", attempts.get(0).getString("target"));
        assertTrue(calls(id).get(0).getBoolean("failed"));
    }

    @Test
    void publishInsideTheAppsTransactionLeavesNoEventWhenItRollsBack() {
        HttpResponse<String> r = postJson(
                "/profile-service/api/orders?reject=true",
                "{\"orderId\":\"" + newId("ord") + "\",\"customerId\":\"cust-789012\",\"totalAmount\":5998}");
        assertEquals(409, r.statusCode(), r.body());
        String eventId = json(r).getString("eventId");
        assertEquals(0, count("select count(*) from eb_event where id = ?", eventId));
        assertEquals(0, count("select count(*) from eb_outbox where event_id = ?", eventId));
        assertEquals(404, Stack.get("/v1/events/" + eventId).statusCode());
    }

    @Test
    void publishInsideTheAppsTransactionIsDeliveredWhenItCommits() {
        HttpResponse<String> r = postJson(
                "/profile-service/api/orders",
                "{\"orderId\":\"" + newId("ord") + "\",\"customerId\":\"cust-789012\",\"totalAmount\":5998}");
        assertEquals(200, r.statusCode(), r.body());
        String eventId = json(r).getString("eventId");
        assertEquals(1, count("select count(*) from eb_event where id = ?", eventId));
        await(Duration.ofSeconds(60), "order.placed observed", () -> delivered(eventId));
        assertEquals("cust-789012", KafkaProbe.find(eventId).key());
    }
}
