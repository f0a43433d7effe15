package com.idynic.eventbus.it;

import static com.idynic.eventbus.it.Stack.await;
import static com.idynic.eventbus.it.Stack.json;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Eight clients pull and acknowledge one ordered subscription's backlog at once. With ack deadlines long enough
 * that no lease lapses, every event is handed out exactly once, one key is held by one client at a time (from
 * the pull that hands out its events to the ack that settles them), and each key's events go out in publish
 * order, whether a pull hands out one event of a key or a run of them.
 */
class OrderedPullConcurrencyIT {
    static final int KEYS = 16;
    static final int PER_KEY = 20;
    static final int PULLERS = 8;
    static final int MAX_EVENTS = 4;

    /** Events of one key handed to one client by one pull, held from the pull's answer until its ack was sent. */
    record Hold(int puller, String key, long from, long to, List<String> ids) {}

    @BeforeAll
    static void ready() {
        Stack.awaitReady();
    }

    static String key(JsonObject delivery) {
        return delivery.getJsonObject("event").getJsonObject("metadata").getString("partitionKey");
    }

    /** Pulls and acks until every event was handed out; returns what this client held. */
    static List<Hold> pullAndAck(String sub, int puller, Set<String> handedOut, int total) {
        List<Hold> holds = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (handedOut.size() < total && System.nanoTime() < deadline) {
            var r = Stack.postJson(
                    "/v1/subscriptions/" + sub + "/pull",
                    "{\"maxEvents\":" + MAX_EVENTS + ",\"waitMillis\":0,\"ackDeadlineMillis\":600000}");
            long from = System.nanoTime();
            assertEquals(200, r.statusCode(), r.body());
            List<JsonObject> got = json(r).getJsonArray("events").stream()
                    .map(JsonValue::asJsonObject)
                    .toList();
            if (got.isEmpty()) {
                Thread.onSpinWait();
                continue;
            }
            Map<String, List<String>> byKey = new LinkedHashMap<>();
            for (JsonObject d : got) {
                byKey.computeIfAbsent(key(d), k -> new ArrayList<>()).add(PullIT.id(d));
            }
            List<String> ids = got.stream().map(PullIT::id).toList();
            long to = System.nanoTime();
            var ack = Stack.postJson(
                    "/v1/subscriptions/" + sub + "/ack", "{\"eventIds\":[\"" + String.join("\",\"", ids) + "\"]}");
            assertEquals(200, ack.statusCode(), ack.body());
            byKey.forEach((k, v) -> holds.add(new Hold(puller, k, from, to, v)));
            handedOut.addAll(ids);
        }
        return holds;
    }

    @Test
    void eightConcurrentPullersNeverShareAKeyNorGetAnEventTwiceAndEachKeyGoesOutInOrder() throws Exception {
        String type = WebhookIT.unique("it.pullorder.t");
        String sub = WebhookIT.unique("pullorder-");
        Subscriptions.create(
                sub, "{\"eventTypes\":[\"" + type + "\"],\"target\":{\"type\":\"pull\"},\"ordering\":\"ordered\"}");
        Map<String, List<String>> published = new LinkedHashMap<>();
        List<String> events = new ArrayList<>();
        for (int i = 0; i < PER_KEY; i++) {
            for (int k = 0; k < KEYS; k++) {
                String key = "k" + k + "-" + sub;
                String id = Stack.newId("evt-pullorder");
                published.computeIfAbsent(key, x -> new ArrayList<>()).add(id);
                events.add(Stack.event(id, type, "{\"i\":" + i + "}", "{\"partitionKey\":\"" + key + "\"}"));
            }
        }
        var r = Stack.postJsonPatiently("/v1/events/batch", "[" + String.join(",", events) + "]");
        assertEquals(202, r.statusCode(), r.body());
        int total = KEYS * PER_KEY;
        await(
                Duration.ofSeconds(60),
                "the backlog queued",
                () -> Stack.count("select count(*) from eb_delivery where subscription_id = ?", sub) == total);

        Set<String> handedOut = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(PULLERS);
        List<Hold> holds = new ArrayList<>();
        try {
            List<Future<List<Hold>>> pullers = new ArrayList<>();
            for (int p = 0; p < PULLERS; p++) {
                int puller = p;
                pullers.add(pool.submit(() -> pullAndAck(sub, puller, handedOut, total)));
            }
            for (Future<List<Hold>> f : pullers) {
                holds.addAll(f.get());
            }
        } finally {
            pool.shutdownNow();
        }

        Map<String, Long> times = holds.stream()
                .flatMap(h -> h.ids().stream())
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        Map<String, Long> once = published.values().stream()
                .flatMap(List::stream)
                .collect(Collectors.toMap(Function.identity(), id -> 1L));
        Map<String, List<Hold>> byKey = holds.stream().collect(Collectors.groupingBy(Hold::key));
        Map<String, List<String>> handedOutInOrder = new LinkedHashMap<>();
        published
                .keySet()
                .forEach(k -> handedOutInOrder.put(
                        k,
                        byKey.getOrDefault(k, List.of()).stream()
                                .sorted(Comparator.comparingLong(Hold::from))
                                .flatMap(h -> h.ids().stream())
                                .toList()));
        assertAll(
                () -> assertEquals(once, times, "every event handed out exactly once"),
                () -> assertEquals(List.of(), overlaps(byKey), "two clients held events of one key at once"),
                () -> assertEquals(published, handedOutInOrder, "each key's events handed out in publish order"),
                () -> assertTrue(
                        holds.stream().map(Hold::puller).distinct().count() > 1,
                        "the backlog was shared between clients"));
    }

    /** @return the pairs of holds of one key whose times overlap (different clients: one client pulls in turn) */
    static List<String> overlaps(Map<String, List<Hold>> byKey) {
        List<String> out = new ArrayList<>();
        for (List<Hold> h : byKey.values()) {
            for (int i = 0; i < h.size(); i++) {
                for (int j = i + 1; j < h.size(); j++) {
                    Hold a = h.get(i);
                    Hold b = h.get(j);
                    if (a.from() < b.to() && b.from() < a.to()) {
                        out.add(a + " and " + b);
                    }
                }
            }
        }
        return out;
    }
}
