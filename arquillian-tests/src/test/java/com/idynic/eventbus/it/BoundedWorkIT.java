package com.idynic.eventbus.it;

import static com.idynic.eventbus.it.Stack.await;
import static com.idynic.eventbus.it.Stack.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Work per request is bounded: long polls per calling service (the test server allows 3), the replay dry
 * run's count (at most 10,000) and the dead-letter lookup (one row, not the whole queue).
 */
class BoundedWorkIT {
    @BeforeAll
    static void ready() {
        Stack.awaitReady();
    }

    /** A subscriber service of its own with a pull subscription on {@code type}. @return its token */
    static String subscriber(String sub, String type) {
        String name = "it-polls-" + UUID.randomUUID().toString().substring(0, 8);
        String token =
                Stack.token(AuthIT.service(name, "{\"roles\":[\"subscriber\"],\"subscribe\":[\"it.bounded.*\"]}"));
        HttpResponse<String> created = AuthIT.call(
                "PUT",
                "/v1/subscriptions/" + sub,
                token,
                "{\"eventTypes\":[\"" + type + "\"],\"target\":{\"type\":\"pull\"}}");
        assertEquals(201, created.statusCode(), created.body());
        return token;
    }

    static HttpResponse<String> pull(String sub, String token, int waitMillis) {
        return AuthIT.call(
                "POST",
                "/v1/subscriptions/" + sub + "/pull",
                token,
                "{\"maxEvents\":1,\"waitMillis\":" + waitMillis + "}");
    }

    /** A long poll that holds its slot until it returns; asks again if a probe held the slot a moment. */
    static HttpResponse<String> holding(String sub, String token) {
        HttpResponse<String> r = pull(sub, token, 5000);
        for (int tries = 0; r.statusCode() == 429 && tries < 50; tries++) {
            r = pull(sub, token, 5000);
        }
        return r;
    }

    @Test
    void longPollsBeyondTheServicesCapGet429WhileOtherServicesAndPullsWithoutWaitGoOn() throws Exception {
        String type = WebhookIT.unique("it.bounded.poll");
        String busySub = WebhookIT.unique("bounded-busy-");
        String otherSub = WebhookIT.unique("bounded-other-");
        String busy = subscriber(busySub, type);
        String other = subscriber(otherSub, type);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<HttpResponse<String>>> polls = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                polls.add(pool.submit(() -> holding(busySub, busy)));
            }
            List<HttpResponse<String>> refused = new ArrayList<>();
            await(Duration.ofSeconds(4), "a fourth long poll of the service refused", () -> {
                HttpResponse<String> r = pull(busySub, busy, 1);
                if (r.statusCode() == 429) {
                    refused.add(r);
                }
                return !refused.isEmpty();
            });
            HttpResponse<String> r = refused.get(0);
            AuthIT.assertError(429, "RATE_LIMITED", r);
            assertEquals(
                    "1",
                    r.headers().firstValue("Retry-After").orElse(null),
                    r.headers().toString());
            JsonObject details = json(r).getJsonObject("details");
            assertEquals(3, details.getInt("limit"), r.body());
            assertEquals(3, details.getInt("inFlight"), r.body());

            HttpResponse<String> noWait = pull(busySub, busy, 0);
            assertEquals(200, noWait.statusCode(), "a pull without wait holds no slot: " + noWait.body());
            HttpResponse<String> otherService = pull(otherSub, other, 200);
            assertEquals(200, otherService.statusCode(), "another service has its own slots: " + otherService.body());

            for (Future<HttpResponse<String>> f : polls) {
                HttpResponse<String> held = f.get();
                assertEquals(200, held.statusCode(), held.body());
            }
            HttpResponse<String> again = pull(busySub, busy, 200);
            assertEquals(200, again.statusCode(), "slots come back when the polls return: " + again.body());
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Long polls that arrive together are counted exactly (no request waits for a thread before it is counted),
     * a publish answers one of the waiting ones with its event, and the others are answered empty when their
     * wait ends: the whole suspended path (filters, signal, timer, resume) end to end.
     */
    @Test
    void longPollsArrivingTogetherAreCountedExactlyAndAPublishAnswersOneWhileTheOthersWaitOut() throws Exception {
        String type = WebhookIT.unique("it.bounded.together");
        String sub = WebhookIT.unique("bounded-together-");
        String token = subscriber(sub, type);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<HttpResponse<String>>> polls = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                polls.add(pool.submit(() -> pull(sub, token, 15_000)));
            }
            await(
                    Duration.ofSeconds(10),
                    "three of six long polls answered",
                    () -> done(polls).size() == 3);
            for (HttpResponse<String> r : done(polls)) {
                AuthIT.assertError(429, "RATE_LIMITED", r);
            }

            String event = Subscriptions.publish(type, null, "{\"n\":1}");
            await(
                    Duration.ofSeconds(10),
                    "a waiting long poll answered",
                    () -> done(polls).size() == 4);
            List<HttpResponse<String>> answered =
                    done(polls).stream().filter(r -> r.statusCode() == 200).toList();
            assertEquals(1, answered.size(), answered.toString());
            assertEquals(
                    event,
                    json(answered.get(0))
                            .getJsonArray("events")
                            .getJsonObject(0)
                            .getJsonObject("event")
                            .getString("id"));

            for (Future<HttpResponse<String>> f : polls) {
                HttpResponse<String> r = f.get();
                if (r.statusCode() == 200 && !r.body().contains(event)) {
                    assertEquals(0, json(r).getJsonArray("events").size(), r.body());
                }
            }
            assertEquals(6, done(polls).size());
        } finally {
            pool.shutdownNow();
        }
    }

    /** @return the answers of the polls that have returned */
    private static List<HttpResponse<String>> done(List<Future<HttpResponse<String>>> polls) {
        List<HttpResponse<String>> out = new ArrayList<>();
        for (Future<HttpResponse<String>> f : polls) {
            if (f.isDone()) {
                try {
                    out.add(f.get());
                } catch (Exception e) {
                    throw new AssertionError("a long poll failed", e);
                }
            }
        }
        return out;
    }

    /** Writes {@code n} events of {@code type} straight into the store (a history the API would take long to build). */
    static void storeEvents(String type, int n) {
        String prefix = Stack.newId("evt-bulk");
        Stack.sql(
                "insert into eb_event_id (id, accepted_at) select ? || '-' || n, now() from generate_series(1, ?) n",
                prefix,
                n);
        Stack.sql(
                "insert into eb_event (id, event_type, source, occurred_at, payload, content_hash, receipt,"
                        + " accepted_at) select ? || '-' || n, ?, 'bounded-it', now(),"
                        + " json_build_object('id', ? || '-' || n, 'eventType', ?, 'source', 'bounded-it',"
                        + " 'timestamp', '2026-01-01T00:00:00Z', 'data', json_build_object('n', n),"
                        + " 'metadata', json_build_object())::text, repeat('0', 64), 'rcpt-bulk',"
                        + " (select i.accepted_at from eb_event_id i where i.id = ? || '-' || n)"
                        + " from generate_series(1, ?) n",
                prefix,
                type,
                prefix,
                type,
                prefix,
                n);
    }

    @Test
    void aDryRunCountsAtMostTenThousandEventsAndSaysWhenItStopped() {
        String many = WebhookIT.unique("it.bounded.many");
        String few = WebhookIT.unique("it.bounded.few");
        storeEvents(many, 10_050);
        storeEvents(few, 3);
        String manySub = WebhookIT.unique("bounded-many-");
        String fewSub = WebhookIT.unique("bounded-few-");
        Subscriptions.create(manySub, "{\"eventTypes\":[\"" + many + "\"],\"target\":{\"type\":\"pull\"}}");
        Subscriptions.create(fewSub, "{\"eventTypes\":[\"" + few + "\"],\"target\":{\"type\":\"pull\"}}");

        JsonObject capped = ReplayIT.replay(manySub, "{\"from\":\"earliest\",\"dryRun\":true}", 200);
        assertEquals("dry-run", capped.getString("state"), capped.toString());
        assertEquals(10_000, capped.getInt("total"), capped.toString());
        assertTrue(capped.getBoolean("countCapped"), capped.toString());

        JsonObject exact = ReplayIT.replay(fewSub, "{\"from\":\"earliest\",\"dryRun\":true}", 200);
        assertEquals(3, exact.getInt("total"), exact.toString());
        assertFalse(exact.getBoolean("countCapped"), exact.toString());

        JsonObject narrowed = ReplayIT.replay(
                manySub, "{\"from\":\"earliest\",\"eventTypes\":[\"" + few + "\"],\"dryRun\":true}", 200);
        assertEquals(0, narrowed.getInt("total"), "narrowed to a type the subscription does not take");
        assertFalse(narrowed.getBoolean("countCapped"), narrowed.toString());
    }

    static HttpResponse<String> inspect(String sub, String eventId) {
        return Stack.get("/v1/subscriptions/" + sub + "/dead-letters/" + eventId);
    }

    static List<String> parkedSequence(HttpResponse<String> r) {
        return json(r).getJsonArray("parkedSequence").getValuesAs(JsonString.class).stream()
                .map(JsonString::getString)
                .toList();
    }

    @Test
    void aDeadLetterIsFoundWithItsParkedSequenceAndAnEventOutsideTheQueueIsNotFound() {
        String type = WebhookIT.unique("it.bounded.dead");
        String sub = WebhookIT.unique("bounded-dead-");
        Subscriptions.create(
                sub,
                "{\"eventTypes\":[\"" + type + "\"],\"target\":{\"type\":\"pull\"},\"ordering\":\"ordered\","
                        + "\"retryPolicy\":{\"maxAttempts\":5}}");
        String head = Subscriptions.publish(type, "K", "{\"n\":1}");
        String parked = Subscriptions.publish(type, "K", "{\"n\":2}");
        String delivered = Subscriptions.publish(type, "L", "{\"n\":3}");
        List<String> pulled = new ArrayList<>();
        await(Duration.ofSeconds(30), "the head of key K and the event of key L pulled", () -> {
            PullIT.pull(sub, 1000, 60_000).forEach(d -> pulled.add(PullIT.id(d)));
            return pulled.containsAll(List.of(head, delivered));
        });
        // an ordered pull hands out a key's run: the second event of K comes leased with its head (or, queued a
        // moment later, waits pending behind it); the head's rejection parks it either way
        await(Duration.ofSeconds(30), "the second event of key K queued behind its head", () -> List.of(
                        "PENDING", "LEASED")
                .contains(Subscriptions.state(parked, sub)));
        PullIT.settle(sub, "nack", "{\"eventIds\":[\"" + head + "\"],\"reject\":true,\"reason\":\"invalid\"}");
        PullIT.settle(sub, "ack", "{\"eventIds\":[\"" + delivered + "\"]}");

        for (String id : List.of(head, parked)) {
            HttpResponse<String> r = inspect(sub, id);
            assertEquals(200, r.statusCode(), r.body());
            JsonObject d = json(r).getJsonObject("deadLetter");
            assertEquals(id, d.getString("eventId"), r.body());
            assertEquals("DEAD", d.getString("state"), r.body());
            assertEquals(List.of(head, parked), parkedSequence(r), r.body());
            assertFalse(json(r).getBoolean("parkedSequenceTruncated"), r.body());
        }
        AuthIT.assertError(404, "NOT_FOUND", inspect(sub, delivered));
        String missing = Stack.newId("evt-missing");
        HttpResponse<String> r = inspect(sub, missing);
        AuthIT.assertError(404, "NOT_FOUND", r);
        assertEquals(missing, json(r).getJsonObject("details").getString("eventId"), r.body());
    }
}
