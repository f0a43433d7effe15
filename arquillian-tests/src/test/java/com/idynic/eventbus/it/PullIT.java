package com.idynic.eventbus.it;

import static com.idynic.eventbus.it.Stack.await;
import static com.idynic.eventbus.it.Stack.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Pull delivery for SDK clients: fetch, ack, nack (retry and reject), ack-deadline redelivery. */
class PullIT {
    @BeforeAll
    static void ready() {
        Stack.awaitReady();
    }

    static List<JsonObject> pull(String sub, int waitMillis, int ackDeadlineMillis) {
        var r = Stack.postJson(
                "/v1/subscriptions/" + sub + "/pull",
                "{\"maxEvents\":10,\"waitMillis\":" + waitMillis + ",\"ackDeadlineMillis\":" + ackDeadlineMillis + "}");
        assertEquals(200, r.statusCode(), r.body());
        return json(r).getJsonArray("events").stream()
                .map(JsonValue::asJsonObject)
                .toList();
    }

    static String id(JsonObject delivery) {
        return delivery.getJsonObject("event").getString("id");
    }

    static int settle(String sub, String verb, String body) {
        var r = Stack.postJson("/v1/subscriptions/" + sub + "/" + verb, body);
        assertEquals(200, r.statusCode(), r.body());
        return json(r).getInt("settled");
    }

    @Test
    void fetchAckNackAndAckDeadlineRedelivery() {
        String type = WebhookIT.unique("it.pull.t");
        String sub = WebhookIT.unique("puller-");
        Subscriptions.create(
                sub,
                "{\"eventTypes\":[\"" + type + "\"],\"target\":{\"type\":\"pull\"},\"ordering\":\"unordered\","
                        + "\"retryPolicy\":{\"initialDelayMillis\":200,\"maxAttempts\":5}}");
        String e1 = Subscriptions.publish(type, null, "{\"n\":1}");
        String e2 = Subscriptions.publish(type, null, "{\"n\":2}");
        String e3 = Subscriptions.publish(type, null, "{\"n\":3}");

        List<String> got = new java.util.ArrayList<>();
        await(Duration.ofSeconds(30), "three events pulled", () -> {
            pull(sub, 2000, 30_000).forEach(d -> got.add(id(d)));
            return got.containsAll(List.of(e1, e2, e3));
        });
        assertEquals(1, settle(sub, "ack", "{\"eventIds\":[\"" + e1 + "\"]}"));
        assertEquals(1, settle(sub, "nack", "{\"eventIds\":[\"" + e2 + "\"],\"reason\":\"busy\"}"));
        assertEquals(1, settle(sub, "nack", "{\"eventIds\":[\"" + e3 + "\"],\"reject\":true,\"reason\":\"invalid\"}"));
        assertEquals(0, settle(sub, "ack", "{\"eventIds\":[\"" + e1 + "\"]}"), "acking twice changes nothing");

        List<JsonObject> again = pull(sub, 5000, 1000);
        assertEquals(List.of(e2), again.stream().map(PullIT::id).toList(), "only the nacked one comes back");
        assertEquals(2, again.get(0).getInt("attempt"));
        // not acked: after the 1 s ack deadline it is offered again
        List<JsonObject> afterDeadline = new java.util.ArrayList<>();
        await(Duration.ofSeconds(20), "redelivered after the ack deadline", () -> {
            afterDeadline.addAll(pull(sub, 2000, 5000));
            return !afterDeadline.isEmpty();
        });
        assertEquals(e2, id(afterDeadline.get(0)));
        assertEquals(3, afterDeadline.get(0).getInt("attempt"));
        assertEquals(1, settle(sub, "ack", "{\"eventIds\":[\"" + e2 + "\"]}"));

        assertEquals("DELIVERED", Subscriptions.state(e1, sub));
        assertEquals("DELIVERED", Subscriptions.state(e2, sub));
        assertEquals(List.of(e3), Subscriptions.deadLetterIds(sub));
        assertEquals(
                List.of("FAILURE", "SUCCESS"),
                Subscriptions.attempts(e2, sub).stream()
                        .map(a -> a.getString("outcome"))
                        .toList());
    }

    @Test
    void anIdleLongPollReturnsAsSoonAsAnEventArrives() throws Exception {
        String type = WebhookIT.unique("it.longpoll.t");
        String sub = WebhookIT.unique("longpoll-");
        Subscriptions.create(sub, "{\"eventTypes\":[\"" + type + "\"],\"target\":{\"type\":\"pull\"}}");
        var pending = java.util.concurrent.CompletableFuture.supplyAsync(() -> pull(sub, 20_000, 30_000));
        Thread.sleep(500);
        String e = Subscriptions.publish(type, null, "{}");
        List<JsonObject> got = pending.get(20, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(List.of(e), got.stream().map(PullIT::id).toList());
    }

    @Test
    void invalidSubscriptionsAndPullRequestsGetTheErrorFormat() {
        var r = Stack.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(Stack.baseUrl() + "/v1/subscriptions/bad-target"))
                .header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"eventTypes\":[\"x\"],\"target\":{\"type\":\"webhook\",\"url\":\"ftp://nope\"}}")));
        assertEquals(400, r.statusCode(), r.body());
        assertEquals("target.url", json(r).getJsonObject("details").getString("field"));
        var p = Stack.postJson("/v1/subscriptions/no-such-sub/pull", "{}");
        assertEquals(404, p.statusCode());
        BadInputIT.assertErrorJson(p, "NOT_FOUND");
    }
}
