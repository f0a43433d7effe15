package com.idynic.eventbus.it;

import static com.idynic.eventbus.it.Stack.await;
import static com.idynic.eventbus.it.Stack.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        var pending = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            List<JsonObject> got = pull(sub, 10_000, 30_000);
            return java.util.Map.entry(System.nanoTime(), got);
        });
        // the poll must be waiting before the event exists; a short pause is enough to get it there
        Thread.sleep(500);
        assertFalse(pending.isDone(), "an idle long poll waits");
        String e = Subscriptions.publish(type, null, "{}");
        long published = System.nanoTime();
        var answered = pending.get(15, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(List.of(e), answered.getValue().stream().map(PullIT::id).toList());
        long millis = (answered.getKey() - published) / 1_000_000;
        assertTrue(
                millis < 2_000,
                "the poll answered " + millis + " ms after the publish; its deadline was ~9500 ms after it");
    }

    @Test
    void aPullReturnsAtMostMaxEventsAndBatchSizesOutOfRangeAreRefusedNamingTheField() {
        String type = WebhookIT.unique("it.pullbatch.t");
        String sub = WebhookIT.unique("pullbatch-");
        Subscriptions.create(
                sub, "{\"eventTypes\":[\"" + type + "\"],\"target\":{\"type\":\"pull\"},\"ordering\":\"unordered\"}");
        List<String> ids = List.of(
                Subscriptions.publish(type, null, "{\"n\":1}"),
                Subscriptions.publish(type, null, "{\"n\":2}"),
                Subscriptions.publish(type, null, "{\"n\":3}"));
        for (String id : ids) {
            await(Duration.ofSeconds(30), id + " queued", () -> Subscriptions.state(id, sub)
                    .equals("PENDING"));
        }
        var two = Stack.postJson("/v1/subscriptions/" + sub + "/pull", "{\"maxEvents\":2,\"waitMillis\":0}");
        assertEquals(200, two.statusCode(), two.body());
        List<String> pulled = json(two).getJsonArray("events").stream()
                .map(v -> id(v.asJsonObject()))
                .toList();
        assertEquals(2, pulled.size(), "three were available: " + pulled);
        assertTrue(ids.containsAll(pulled), pulled.toString());

        for (String maxEvents : List.of("0", "501", "-1", "2.5")) {
            var r = Stack.postJson("/v1/subscriptions/" + sub + "/pull", "{\"maxEvents\":" + maxEvents + "}");
            assertRefused("maxEvents", r);
        }
        assertRefused("waitMillis", Stack.postJson("/v1/subscriptions/" + sub + "/pull", "{\"waitMillis\":30001}"));
        assertRefused(
                "ackDeadlineMillis",
                Stack.postJson("/v1/subscriptions/" + sub + "/pull", "{\"ackDeadlineMillis\":999}"));

        List<String> tooMany = new java.util.ArrayList<>(pulled);
        while (tooMany.size() < 501) {
            tooMany.add("evt-unknown-" + tooMany.size());
        }
        String over = "{\"eventIds\":[\"" + String.join("\",\"", tooMany) + "\"]}";
        assertRefused("eventIds", Stack.postJson("/v1/subscriptions/" + sub + "/ack", over));
        assertRefused("eventIds", Stack.postJson("/v1/subscriptions/" + sub + "/nack", over));
        assertRefused("eventIds", Stack.postJson("/v1/subscriptions/" + sub + "/ack", "{\"eventIds\":[]}"));
        for (String id : pulled) {
            assertEquals("LEASED", Subscriptions.state(id, sub), "a refused ack settles nothing");
        }
        String atLimit = "{\"eventIds\":[\"" + String.join("\",\"", tooMany.subList(0, 500)) + "\"]}";
        assertEquals(2, settle(sub, "ack", atLimit), "500 ids are accepted; the two leased ones settle");
    }

    static void assertRefused(String field, java.net.http.HttpResponse<String> r) {
        assertEquals(400, r.statusCode(), r.body());
        JsonObject err = BadInputIT.assertErrorJson(r, "VALIDATION_ERROR");
        assertEquals(field, err.getJsonObject("details").getString("field"), r.body());
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
