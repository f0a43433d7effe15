package com.idynic.eventbus.it;

import static com.idynic.eventbus.it.Stack.await;
import static com.idynic.eventbus.it.Stack.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * At-least-once holds across pause and resume: events published while a subscription is paused (or
 * disabled) are queued for it, handed out to nobody meanwhile (webhook or pull), and delivered on resume,
 * per key in publish order.
 */
class PauseResumeIT {
    @RegisterExtension
    static final WebhookReceiver receiver = new WebhookReceiver();

    static final List<String> KEYS = List.of("k1", "k2", "k3");
    static final int N = 12;

    static String changeState(String sub, String verb) {
        HttpResponse<String> r = Stack.post("/v1/subscriptions/" + sub + "/" + verb, null, "");
        assertEquals(200, r.statusCode(), r.body());
        return json(r).getString("state");
    }

    /** @return the ids of N events published in this order, keys k1, k2, k3 interleaved */
    static List<String> publishInterleaved(String type) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            ids.add(Subscriptions.publish(type, KEYS.get(i % KEYS.size()), "{\"n\":" + i + "}"));
        }
        return ids;
    }

    static List<String> ofKey(List<String> publishedIds, List<String> order, String key) {
        return order.stream()
                .filter(id -> KEYS.get(publishedIds.indexOf(id) % KEYS.size()).equals(key))
                .toList();
    }

    static void assertPerKeyPublishOrder(List<String> publishedIds, List<String> order) {
        for (String key : KEYS) {
            assertEquals(ofKey(publishedIds, publishedIds, key), ofKey(publishedIds, order, key), "order of " + key);
        }
    }

    static void awaitQueued(List<String> ids, String sub) {
        for (String id : ids) {
            await(Duration.ofSeconds(30), id + " queued for " + sub, () -> Subscriptions.state(id, sub)
                    .equals("PENDING"));
        }
    }

    static void assertNothingHandedOut(List<String> ids, String sub) {
        for (String id : ids) {
            assertEquals("PENDING", Subscriptions.state(id, sub), id + " still waits for " + sub);
            assertEquals(List.of(), Subscriptions.attempts(id, sub), "no attempt for " + id);
        }
    }

    /** @return the ids the receiver got at {@code path}, first arrival of each, in arrival order */
    static List<String> received(String path) {
        return receiver.calls(path).stream()
                .map(WebhookReceiver.Call::id)
                .distinct()
                .toList();
    }

    static boolean gotAll(String sub, List<String> ids) {
        return Set.copyOf(received("/" + sub)).containsAll(ids);
    }

    static List<String> pullAndAck(String sub) {
        HttpResponse<String> r = Stack.postJson(
                "/v1/subscriptions/" + sub + "/pull",
                "{\"maxEvents\":50,\"waitMillis\":1000,\"ackDeadlineMillis\":30000}");
        assertEquals(200, r.statusCode(), r.body());
        List<String> ids = json(r).getJsonArray("events").stream()
                .map(v -> v.asJsonObject().getJsonObject("event").getString("id"))
                .toList();
        if (!ids.isEmpty()) {
            String list = String.join("\",\"", ids);
            HttpResponse<String> ack =
                    Stack.postJson("/v1/subscriptions/" + sub + "/ack", "{\"eventIds\":[\"" + list + "\"]}");
            assertEquals(200, ack.statusCode(), ack.body());
        }
        return ids;
    }

    @Test
    void pausedWebhookSubscriptionsGetWhatWasPublishedMeanwhileOnResumeInKeyOrder() {
        String type = WebhookIT.unique("it.paused.t");
        String ordered = WebhookIT.unique("paused-ordered-");
        String unordered = WebhookIT.unique("paused-unordered-");
        String witness = WebhookIT.unique("paused-witness-");
        Subscriptions.webhook(ordered, type, receiver.url("/" + ordered), "ordered", 5);
        Subscriptions.webhook(unordered, type, receiver.url("/" + unordered), "unordered", 5);
        Subscriptions.webhook(witness, type, receiver.url("/" + witness), "unordered", 5);
        assertEquals("paused", changeState(ordered, "pause"));
        assertEquals("paused", changeState(unordered, "pause"));

        List<String> ids = publishInterleaved(type);
        awaitQueued(ids, ordered);
        awaitQueued(ids, unordered);
        await(Duration.ofSeconds(30), "the active subscription on the same type got all", () -> gotAll(witness, ids));
        assertNothingHandedOut(ids, ordered);
        assertNothingHandedOut(ids, unordered);
        assertEquals(List.of(), receiver.calls("/" + ordered), "nothing sent while paused");
        assertEquals(List.of(), receiver.calls("/" + unordered), "nothing sent while paused");

        assertEquals("active", changeState(ordered, "resume"));
        assertEquals("active", changeState(unordered, "resume"));
        await(
                Duration.ofSeconds(60),
                "all delivered after resume",
                () -> gotAll(ordered, ids) && gotAll(unordered, ids));
        assertEquals(Set.copyOf(ids), Set.copyOf(received("/" + ordered)));
        assertEquals(Set.copyOf(ids), Set.copyOf(received("/" + unordered)));
        assertPerKeyPublishOrder(ids, received("/" + ordered));
        for (String id : ids) {
            await(Duration.ofSeconds(30), id + " settled", () -> Subscriptions.state(id, ordered)
                    .equals("DELIVERED"));
        }
    }

    @Test
    void aPausedPullSubscriptionPullsNothingAndOnResumeEverythingInKeyOrder() {
        String type = WebhookIT.unique("it.pausedpull.t");
        String sub = WebhookIT.unique("paused-pull-");
        Subscriptions.create(
                sub, "{\"eventTypes\":[\"" + type + "\"],\"target\":{\"type\":\"pull\"},\"ordering\":\"ordered\"}");
        assertEquals("paused", changeState(sub, "pause"));

        List<String> ids = publishInterleaved(type);
        awaitQueued(ids, sub);
        assertEquals(List.of(), pullAndAck(sub), "a paused subscription hands out nothing");
        assertNothingHandedOut(ids, sub);

        assertEquals("active", changeState(sub, "resume"));
        List<String> pulled = new ArrayList<>();
        await(Duration.ofSeconds(60), "all pulled after resume", () -> {
            pulled.addAll(pullAndAck(sub));
            return Set.copyOf(pulled).containsAll(ids);
        });
        assertEquals(N, pulled.size(), "each once: " + pulled);
        assertPerKeyPublishOrder(ids, pulled);
    }

    @Test
    void aDisabledSubscriptionAccumulatesUntilItIsResumed() {
        String type = WebhookIT.unique("it.disabled.t");
        String sub = WebhookIT.unique("disabled-pull-");
        JsonObject created = Subscriptions.create(
                sub,
                "{\"eventTypes\":[\"" + type + "\"],\"target\":{\"type\":\"pull\"},\"ordering\":\"unordered\","
                        + "\"state\":\"disabled\",\"disabledReason\":\"receiver retired for maintenance\"}");
        assertEquals("disabled", created.getString("state"));

        List<String> ids = publishInterleaved(type);
        awaitQueued(ids, sub);
        assertEquals(List.of(), pullAndAck(sub), "a disabled subscription hands out nothing");
        assertNothingHandedOut(ids, sub);

        assertEquals("active", changeState(sub, "resume"));
        List<String> pulled = new ArrayList<>();
        await(Duration.ofSeconds(60), "all pulled after resume", () -> {
            pulled.addAll(pullAndAck(sub));
            return Set.copyOf(pulled).containsAll(ids);
        });
        assertEquals(Set.copyOf(ids), Set.copyOf(pulled));
        assertTrue(ids.stream().allMatch(id -> Subscriptions.state(id, sub).equals("DELIVERED")));
    }

    @Test
    void replacingAPausedSubscriptionWithoutAStateKeepsItPausedAndIgnoresAGivenReason() {
        String sub = "pr-keep-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        String body = "{\"eventTypes\":[\"it.keep.x\"],\"target\":{\"type\":\"pull\"}}";
        Subscriptions.create(sub, body);
        changeState(sub, "pause");
        java.net.http.HttpResponse<String> replaced = Stack.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(Stack.baseUrl() + "/v1/subscriptions/" + sub))
                        .header("Content-Type", "application/json")
                        .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(
                                body.replace("}}", "},\"disabledReason\":\"permissions withdrawn: forged\"}"))));
        assertEquals(200, replaced.statusCode(), replaced.body());
        jakarta.json.JsonObject now = json(Stack.get("/v1/subscriptions/" + sub));
        assertEquals("paused", now.getString("state"), "a client re-registering at start-up does not resume it");
        assertTrue(!now.containsKey("disabledReason"), now.toString());
    }
}
