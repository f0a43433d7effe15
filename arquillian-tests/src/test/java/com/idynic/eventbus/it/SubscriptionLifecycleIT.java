package com.idynic.eventbus.it;

import static com.idynic.eventbus.it.Stack.await;
import static com.idynic.eventbus.it.Stack.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A subscription's life: the per-service quota, pause, resume and delete, and discarding dead letters. */
class SubscriptionLifecycleIT {
    @RegisterExtension
    static final WebhookReceiver receiver = new WebhookReceiver();

    @BeforeAll
    static void ready() {
        Stack.awaitReady();
    }

    static HttpResponse<String> put(String id, String body, String token) {
        return Stack.send(HttpRequest.newBuilder(URI.create(Stack.baseUrl() + "/v1/subscriptions/" + id))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    static HttpResponse<String> delete(String id, String token) {
        return Stack.send(HttpRequest.newBuilder(URI.create(Stack.baseUrl() + "/v1/subscriptions/" + id))
                .header("Authorization", "Bearer " + token)
                .DELETE());
    }

    static HttpResponse<String> delete(String id) {
        return Stack.send(HttpRequest.newBuilder(URI.create(Stack.baseUrl() + "/v1/subscriptions/" + id))
                .DELETE());
    }

    static String stateOf(String sub) {
        HttpResponse<String> r = Stack.get("/v1/subscriptions/" + sub);
        assertEquals(200, r.statusCode(), r.body());
        return json(r).getString("state");
    }

    static String changeState(String sub, String verb) {
        HttpResponse<String> r = Stack.post("/v1/subscriptions/" + sub + "/" + verb, null, "");
        assertEquals(200, r.statusCode(), r.body());
        return json(r).getString("state");
    }

    static void assertNotFound(String sub, HttpResponse<String> r) {
        assertEquals(404, r.statusCode(), r.body());
        JsonObject err = BadInputIT.assertErrorJson(r, "NOT_FOUND");
        assertEquals(sub, err.getJsonObject("details").getString("subscriptionId"), r.body());
    }

    @Test
    void aServiceAtItsSubscriptionLimitGets409QuotaExceededNamingServiceAndLimitUntilOneIsDeleted() {
        String type = WebhookIT.unique("it.quota.t");
        String service = WebhookIT.unique("quota-svc-");
        String token = Stack.token(AuthIT.service(
                service, "{\"roles\":[\"subscriber\"],\"subscribe\":[\"" + type + "\"],\"maxSubscriptions\":2}"));
        String body = "{\"eventTypes\":[\"" + type + "\"],\"target\":{\"type\":\"pull\"}}";
        String first = WebhookIT.unique("quota-1-");
        String second = WebhookIT.unique("quota-2-");
        String third = WebhookIT.unique("quota-3-");
        assertEquals(201, put(first, body, token).statusCode());
        assertEquals(201, put(second, body, token).statusCode());

        HttpResponse<String> refused = put(third, body, token);
        assertEquals(409, refused.statusCode(), refused.body());
        JsonObject details =
                BadInputIT.assertErrorJson(refused, "QUOTA_EXCEEDED").getJsonObject("details");
        assertEquals(service, details.getString("service"), refused.body());
        assertEquals(2, details.getInt("limit"), refused.body());
        assertEquals(404, Stack.get("/v1/subscriptions/" + third).statusCode(), "nothing was created");
        assertEquals(200, put(first, body, token).statusCode(), "replacing one it has is not a new one");

        assertEquals(204, delete(first, token).statusCode());
        assertEquals(201, put(third, body, token).statusCode(), "a deleted one frees its place");
    }

    @Test
    void pauseResumeAndDeleteChangeTheStateAndADeletedSubscriptionGetsNothingMore() {
        String type = WebhookIT.unique("it.lifecycle.t");
        String sub = WebhookIT.unique("lifecycle-");
        String witness = WebhookIT.unique("lifecycle-witness-");
        Subscriptions.webhook(sub, type, receiver.url("/" + sub), "unordered", 5);
        Subscriptions.create(witness, "{\"eventTypes\":[\"" + type + "\"],\"target\":{\"type\":\"pull\"}}");
        assertEquals("active", stateOf(sub));
        String before = Subscriptions.publish(type, null, "{\"n\":1}");
        await(Duration.ofSeconds(30), "delivered while active", () -> Subscriptions.state(before, sub)
                .equals("DELIVERED"));

        assertEquals("paused", changeState(sub, "pause"));
        assertEquals("paused", stateOf(sub));
        assertEquals("active", changeState(sub, "resume"));
        assertEquals("active", stateOf(sub));
        assertEquals("paused", changeState(sub, "pause"));
        String queued = Subscriptions.publish(type, null, "{\"n\":2}");
        await(Duration.ofSeconds(30), "queued while paused", () -> Subscriptions.state(queued, sub)
                .equals("PENDING"));

        HttpResponse<String> deleted = delete(sub);
        assertEquals(204, deleted.statusCode(), deleted.body());
        assertEquals("", deleted.body());
        assertNotFound(sub, Stack.get("/v1/subscriptions/" + sub));
        assertNotFound(sub, delete(sub));
        assertNotFound(sub, Stack.post("/v1/subscriptions/" + sub + "/pause", null, ""));
        assertNotFound(sub, Stack.post("/v1/subscriptions/" + sub + "/resume", null, ""));

        String after = Subscriptions.publish(type, null, "{\"n\":3}");
        await(Duration.ofSeconds(30), "the witness got the later event", () -> Subscriptions.state(after, witness)
                .equals("PENDING"));
        assertEquals("NONE", Subscriptions.state(queued, sub), "what was queued for it went with it");
        assertEquals("NONE", Subscriptions.state(after, sub), "nothing is queued for it any more");
        assertEquals(
                List.of(before),
                receiver.calls("/" + sub).stream().map(WebhookReceiver.Call::id).toList());
    }

    static List<String> auditDetails(String sub, String action) {
        try (Connection c = Stack.db();
                PreparedStatement ps = c.prepareStatement("select actor, detail from eb_audit"
                        + " where subscription_id = ? and action = ? order by id")) {
            ps.setString(1, sub);
            ps.setString(2, action);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString("actor") + ": " + rs.getString("detail"));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonObject delivery(String eventId, String sub) {
        return json(Stack.get("/v1/events/" + eventId + "/deliveries")).getJsonArray("deliveries").stream()
                .map(JsonValue::asJsonObject)
                .filter(d -> d.getString("subscriptionId").equals(sub))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void discardingDeadLettersMarksThemDiscardedRemovesThemFromTheQueueAndAuditsIt() {
        String type = WebhookIT.unique("it.discard.t");
        String sub = WebhookIT.unique("discard-");
        Subscriptions.create(
                sub, "{\"eventTypes\":[\"" + type + "\"],\"target\":{\"type\":\"pull\"},\"ordering\":\"unordered\"}");
        String kept = Subscriptions.publish(type, null, "{\"n\":1}");
        String dropped = Subscriptions.publish(type, null, "{\"n\":2}");
        List<String> pulled = new ArrayList<>();
        await(Duration.ofSeconds(30), "both pulled", () -> {
            pulled.addAll(
                    PullIT.pull(sub, 2000, 30_000).stream().map(PullIT::id).toList());
            return pulled.containsAll(List.of(kept, dropped));
        });
        assertEquals(
                2,
                PullIT.settle(
                        sub,
                        "nack",
                        "{\"eventIds\":[\"" + kept + "\",\"" + dropped + "\"],\"reject\":true,\"reason\":\"bad\"}"));
        assertEquals(sorted(List.of(kept, dropped)), sorted(Subscriptions.deadLetterIds(sub)));

        String discard = "/v1/subscriptions/" + sub + "/dead-letters/discard";
        HttpResponse<String> noReason = Stack.postJson(discard, "{\"eventIds\":[\"" + dropped + "\"]}");
        assertEquals(400, noReason.statusCode(), noReason.body());
        assertEquals(
                "reason",
                BadInputIT.assertErrorJson(noReason, "VALIDATION_ERROR")
                        .getJsonObject("details")
                        .getString("field"));

        String body = "{\"eventIds\":[\"" + dropped + "\"],\"reason\":\"customer record was deleted\"}";
        HttpResponse<String> r = Stack.postJson(discard, body);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(1, json(r).getInt("discarded"));
        assertEquals(List.of(kept), Subscriptions.deadLetterIds(sub));
        JsonObject d = delivery(dropped, sub);
        assertEquals("DISCARDED", d.getString("state"), d.toString());
        assertEquals("discarded: customer record was deleted", d.getString("lastError"), d.toString());
        assertEquals("DEAD", Subscriptions.state(kept, sub));
        assertEquals(
                404,
                Stack.get("/v1/subscriptions/" + sub + "/dead-letters/" + dropped)
                        .statusCode());

        HttpResponse<String> again = Stack.postJson(discard, body);
        assertEquals(200, again.statusCode(), again.body());
        assertEquals(0, json(again).getInt("discarded"), "discarding is idempotent");
        assertEquals(
                List.of(
                        "admin: " + dropped + " -> 1: customer record was deleted",
                        "admin: " + dropped + " -> 0: customer record was deleted"),
                auditDetails(sub, "discard"));
        assertTrue(auditDetails(sub, "redrive").isEmpty());
    }

    static List<String> sorted(List<String> ids) {
        return ids.stream().sorted().toList();
    }
}
