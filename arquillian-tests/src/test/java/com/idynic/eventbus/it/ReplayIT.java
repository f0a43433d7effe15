package com.idynic.eventbus.it;

import static com.idynic.eventbus.it.Stack.await;
import static com.idynic.eventbus.it.Stack.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Replay of stored events to one subscription, from the start, a time or an event id, under a rate budget. */
class ReplayIT {
    @RegisterExtension
    static final WebhookReceiver receiver = new WebhookReceiver();

    static String type;
    static final List<String> ids = new ArrayList<>();
    static String fourthAcceptedAt;

    @BeforeAll
    static void history() throws Exception {
        Stack.awaitReady();
        type = WebhookIT.unique("it.replay.t");
        for (int i = 1; i <= 6; i++) {
            String id = Stack.newId("evt-h" + i);
            var r = Stack.postJson(
                    "/v1/events",
                    Stack.event(
                            id,
                            type,
                            "{\"n\":" + i + ",\"run\":\"" + type + "\"}",
                            "{\"partitionKey\":\"" + (i % 2 == 0 ? "B" : "A") + "\"}"));
            assertEquals(202, r.statusCode(), r.body());
            ids.add(id);
            if (i == 4) {
                fourthAcceptedAt = json(r).getString("timestamp");
            }
            Thread.sleep(20);
        }
    }

    static JsonObject replay(String sub, String body, int status) {
        var r = Stack.postJson("/v1/subscriptions/" + sub + "/replays", body);
        assertEquals(status, r.statusCode(), r.body());
        return json(r);
    }

    static List<String> replayed(String sub) {
        return receiver.calls("/" + sub).stream()
                .filter(WebhookReceiver.Call::replay)
                .map(WebhookReceiver.Call::id)
                .toList();
    }

    /** @return the replay job's progress as the API shows it */
    static JsonObject progress(String sub, JsonObject job) {
        return json(Stack.get("/v1/subscriptions/" + sub + "/replays/" + job.getString("id")));
    }

    /**
     * Publishes {@code n} events of {@code type} (partition key {@code key.apply(i)}, data {@code run} the
     * type) and waits until the bus has fanned every one of them out, so that a subscription created
     * afterwards gets them only by replay.
     */
    static List<String> history(String type, int n, IntFunction<String> key) {
        String seen = WebhookIT.unique("seen-");
        Subscriptions.create(seen, "{\"eventTypes\":[\"" + type + "\"],\"target\":{\"type\":\"pull\"}}");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(Subscriptions.publish(type, key.apply(i), "{\"n\":" + i + ",\"run\":\"" + type + "\"}"));
        }
        await(
                Duration.ofSeconds(30),
                "history fanned out",
                () -> Stack.count("select count(*) from eb_delivery where subscription_id = ?", seen) == n);
        var deleted = Stack.send(HttpRequest.newBuilder(URI.create(Stack.baseUrl() + "/v1/subscriptions/" + seen))
                .DELETE());
        assertEquals(204, deleted.statusCode(), deleted.body());
        return out;
    }

    /**
     * An ordered webhook subscription to every event type whose filter lets through only the events whose
     * data's {@code run} is {@code run}: a replay of it reads every event of its range, from the Kafka topic
     * where it holds them.
     */
    static void everyType(String sub, String run) {
        Subscriptions.create(
                sub,
                "{\"owner\":\"it\",\"eventTypes\":[\"*\"],\"filter\":{\"data\":{\"/run\":\"" + run
                        + "\"}},\"target\":{\"type\":\"webhook\",\"url\":\"" + receiver.url("/" + sub)
                        + "\",\"timeoutMillis\":3000},\"ordering\":\"ordered\",\"retryPolicy\":"
                        + "{\"initialDelayMillis\":300,\"multiplier\":2,\"maxDelayMillis\":5000,\"maxAttempts\":5}}");
    }

    @Test
    void replaysFromTheStartATimeAndAnEventIdDeliverExactlyTheExpectedEventsInOrder() {
        String sub = WebhookIT.unique("replay-");
        Subscriptions.webhook(sub, type, receiver.url("/" + sub), "ordered", 5);

        JsonObject dry = replay(sub, "{\"from\":\"earliest\",\"dryRun\":true}", 200);
        assertEquals(6, dry.getInt("total"));

        JsonObject job = replay(sub, "{\"from\":\"earliest\",\"ratePerSecond\":4}", 202);
        await(
                Duration.ofSeconds(60),
                "replay from the start delivered",
                () -> replayed(sub).size() == 6);
        assertEquals(ids, replayed(sub), "publish order");
        await(Duration.ofSeconds(10), "job done", () -> {
            JsonObject p = progress(sub, job);
            return p.getString("state").equals("done") && p.getInt("done") == 6 && p.getInt("total") == 6;
        });
        assertEquals(
                "postgresql",
                progress(sub, job).getString("readFrom"),
                "a replay of one event type reads its events from PostgreSQL's type index");

        JsonObject fromTime = replay(sub, "{\"from\":\"" + fourthAcceptedAt + "\",\"ratePerSecond\":50}", 202);
        await(Duration.ofSeconds(30), "replay from a time", () -> replayed(sub).size() == 9);
        assertSameEventsInKeyOrder(ids.subList(3, 6), replayed(sub).subList(6, 9));
        await(Duration.ofSeconds(10), "replay from a time done", () -> progress(sub, fromTime)
                .getString("state")
                .equals("done"));

        replay(sub, "{\"from\":\"" + ids.get(4) + "\",\"ratePerSecond\":50}", 202);
        await(
                Duration.ofSeconds(30),
                "replay from an event id",
                () -> replayed(sub).size() == 11);
        assertSameEventsInKeyOrder(ids.subList(4, 6), replayed(sub).subList(9, 11));
    }

    @Test
    void aReplayQueuesItsEventsAtItsRateBudgetNeitherFasterNorSlower() {
        int n = 25;
        int rate = 10;
        String t = WebhookIT.unique("it.replay.rate");
        List<String> history = history(t, n, i -> "k" + i % 5);
        String sub = WebhookIT.unique("replay-rate-");
        Subscriptions.webhook(sub, t, receiver.url("/" + sub), "unordered", 5);

        replay(sub, "{\"from\":\"" + history.get(0) + "\",\"ratePerSecond\":" + rate + "}", 202);
        await(
                Duration.ofSeconds(30),
                "the replay delivered",
                () -> replayed(sub).size() == n);
        assertEquals(Set.copyOf(history), Set.copyOf(replayed(sub)), "each event once");
        List<Instant> at = receiver.calls("/" + sub).stream()
                .map(WebhookReceiver.Call::at)
                .sorted()
                .toList();
        long span = Duration.between(at.get(0), at.get(n - 1)).toMillis();
        long budget = (n - 1) * 1000L / rate;
        assertTrue(
                Math.abs(span - budget) <= budget / 5,
                n + " events at " + rate + "/s are queued 1/" + rate + " s apart, so they span " + budget
                        + " ms (within 20 %): " + span + " ms");
    }

    @Test
    void liveEventsOfTheReplayedKeyReachTheSameSubscriptionPromptlyWithoutOvertakingQueuedReplays() {
        int n = 20;
        long held = 500;
        long answeredAfter = 50;
        String t = WebhookIT.unique("it.replay.live");
        List<String> history = history(t, n, i -> "K");
        String sub = WebhookIT.unique("replay-live-");
        String path = "/" + sub;
        List<String> live = new CopyOnWriteArrayList<>();
        Map<String, Instant> acceptedAt = new ConcurrentHashMap<>();
        AtomicReference<List<String>> queuedMeanwhile = new AtomicReference<>(List.of());
        AtomicReference<Throwable> failed = new AtomicReference<>();
        AtomicInteger replayCalls = new AtomicInteger();
        // the third replayed call publishes two live events of its key and holds its answer, so the live
        // events are queued while a replayed one is in flight and more replayed ones are queued behind it
        receiver.on(path, c -> {
            if (!c.replay() || replayCalls.incrementAndGet() != 3) {
                return new WebhookReceiver.Answer(200, null, answeredAfter);
            }
            try {
                for (int i = 0; i < 2; i++) {
                    String id = Subscriptions.publish(t, "K", "{\"live\":" + i + "}");
                    acceptedAt.put(id, Instant.now());
                    live.add(id);
                }
                Thread.sleep(held);
                queuedMeanwhile.set(queued(sub));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failed.set(e);
            } catch (RuntimeException | AssertionError e) {
                failed.set(e);
            }
            return WebhookReceiver.Answer.ok();
        });
        Subscriptions.webhook(sub, t, receiver.url(path), "ordered", 5);

        replay(sub, "{\"from\":\"" + history.get(0) + "\",\"ratePerSecond\":5}", 202);
        await(
                Duration.ofSeconds(30),
                "the replay and the live events delivered",
                () -> replayed(sub).size() == n
                        && live.size() == 2
                        && live.stream()
                                .allMatch(id -> !receiver.calls(path, id).isEmpty()));
        assertNull(failed.get(), () -> "publishing from the receiver failed: " + failed.get());
        assertEquals(history, replayed(sub), "the replay in publish order, each event once");
        List<WebhookReceiver.Call> calls = receiver.calls(path).stream()
                .sorted(Comparator.comparing(WebhookReceiver.Call::at))
                .toList();
        List<String> order = calls.stream().map(WebhookReceiver.Call::id).toList();
        assertEquals(n + 2, calls.size(), "each event once: " + order);

        for (String id : live) {
            Duration took = Duration.between(
                    acceptedAt.get(id), calls.get(order.indexOf(id)).at());
            assertTrue(took.compareTo(Duration.ofSeconds(2)) <= 0, "live event delivered " + took + " after its 202");
        }
        long replayedAfterLive = calls.subList(order.indexOf(live.get(1)) + 1, calls.size()).stream()
                .filter(WebhookReceiver.Call::replay)
                .count();
        assertTrue(
                replayedAfterLive >= 8,
                "the live events did not wait for the replay: " + replayedAfterLive + " replayed after them");

        List<String> before =
                queuedMeanwhile.get().stream().filter(history::contains).toList();
        assertTrue(before.size() >= 3, "the call in flight and those before it were queued: " + before);
        assertEquals(history.subList(0, before.size()), before, "the replay queues in publish order");
        int lastQueuedBefore = order.indexOf(before.get(before.size() - 1));
        assertTrue(
                order.indexOf(live.get(0)) > lastQueuedBefore
                        && order.indexOf(live.get(1)) > order.indexOf(live.get(0)),
                "a live event comes after every replayed event of its key queued before it could go: " + order);
        for (int i = 1; i < calls.size(); i++) {
            long after = calls.get(i - 1).id().equals(history.get(2)) ? held : answeredAfter;
            long gap =
                    Duration.between(calls.get(i - 1).at(), calls.get(i).at()).toMillis();
            assertTrue(
                    gap >= after,
                    "one event of the key at a time: call " + i + " began " + gap + " ms after the"
                            + " previous one, which was answered after " + after + " ms: " + order);
        }
    }

    @Test
    void withKafkaStoppedAnAutoReplayReadsThePostgresqlStoreAndDeliversEveryEventInOrder() {
        assumeTrue(Stack.env().get("DEVSTACK_CONTROL") != null);
        String t = WebhookIT.unique("it.replay.fallback");
        List<String> history = history(t, 10, i -> "K");
        String sub = WebhookIT.unique("replay-fallback-");
        everyType(sub, t);
        Stack.stopKafka();
        try {
            JsonObject job =
                    replay(sub, "{\"from\":\"" + history.get(0) + "\",\"source\":\"auto\",\"ratePerSecond\":100}", 202);
            await(Duration.ofSeconds(30), "the replay done while Kafka is down", () -> progress(sub, job)
                    .getString("state")
                    .equals("done"));
            JsonObject p = progress(sub, job);
            assertEquals("postgresql", p.getString("readFrom"), p.toString());
            assertEquals(10, p.getInt("done"), p.toString());
            assertEquals(10, p.getInt("total"), p.toString());
            await(
                    Duration.ofSeconds(10),
                    "every event delivered",
                    () -> replayed(sub).size() == 10);
            assertEquals(history, replayed(sub), "publish order");
        } finally {
            Stack.control("kafka", "start");
        }
        await(Duration.ofSeconds(60), "readiness reports Kafka UP", () -> OutageIT.readiness("kafka")
                .equals("UP"));
        await(
                Duration.ofSeconds(30),
                "the bus ready again",
                () -> Stack.get("/health/ready").statusCode() == 200);
    }

    /** Same events, and per key in publish order (keys A and B alternate in the history). */
    static void assertSameEventsInKeyOrder(List<String> expected, List<String> got) {
        assertEquals(java.util.Set.copyOf(expected), java.util.Set.copyOf(got));
        for (int parity = 0; parity < 2; parity++) {
            int p = parity;
            List<String> key =
                    ids.stream().filter(id -> ids.indexOf(id) % 2 == p).toList();
            assertEquals(
                    expected.stream().filter(key::contains).toList(),
                    got.stream().filter(key::contains).toList(),
                    "per-key order");
        }
    }

    /** The order in which a replay queued its events (delivery rows are created in reading order). */
    static List<String> queued(String sub) {
        List<String> out = new ArrayList<>();
        try (var c = Stack.db();
                var ps = c.prepareStatement(
                        "select event_id from " + Stack.DELIVERIES + " where subscription_id = ? order by id")) {
            ps.setString(1, sub);
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    @Test
    void kafkaAndThePostgresqlStoreReplayTheSameEventsInTheSameOrder() {
        String viaKafka = WebhookIT.unique("replay-kafka-");
        String viaStore = WebhookIT.unique("replay-pg-");
        everyType(viaKafka, type);
        Subscriptions.webhook(viaStore, type, receiver.url("/" + viaStore), "ordered", 5);
        String from = "{\"from\":\"" + ids.get(1) + "\",\"ratePerSecond\":100";
        JsonObject k = replay(viaKafka, from + "}", 202);
        JsonObject p = replay(viaStore, from + ",\"source\":\"postgresql\"}", 202);
        await(
                Duration.ofSeconds(30),
                "both replays delivered",
                () -> replayed(viaKafka).size() == 5 && replayed(viaStore).size() == 5);
        assertSameEventsInKeyOrder(ids.subList(1, 6), replayed(viaKafka));
        assertSameEventsInKeyOrder(ids.subList(1, 6), replayed(viaStore));
        assertEquals(ids.subList(1, 6), queued(viaKafka), "Kafka's partitions merged back into publish order");
        assertEquals(queued(viaStore), queued(viaKafka));
        assertEquals(
                "kafka",
                json(Stack.get("/v1/subscriptions/" + viaKafka + "/replays/" + k.getString("id")))
                        .getString("readFrom"));
        assertEquals(
                "postgresql",
                json(Stack.get("/v1/subscriptions/" + viaStore + "/replays/" + p.getString("id")))
                        .getString("readFrom"));
    }

    @Test
    void aNewSubscriptionStartingAtEarliestGetsTheHistory() {
        String sub = WebhookIT.unique("history-");
        Subscriptions.create(
                sub,
                "{\"eventTypes\":[\"" + type
                        + "\"],\"startPosition\":\"earliest\",\"target\":{\"type\":\"webhook\",\"url\":\""
                        + receiver.url("/" + sub) + "\"}}");
        await(Duration.ofSeconds(60), "history delivered", () -> replayed(sub).size() == 6);
        List<String> got = replayed(sub);
        assertEquals(java.util.Set.copyOf(ids), java.util.Set.copyOf(got));
        List<String> keyA = got.stream()
                .filter(id -> List.of(ids.get(0), ids.get(2), ids.get(4)).contains(id))
                .toList();
        List<String> keyB = got.stream()
                .filter(id -> List.of(ids.get(1), ids.get(3), ids.get(5)).contains(id))
                .toList();
        assertEquals(List.of(ids.get(0), ids.get(2), ids.get(4)), keyA, "key A in publish order");
        assertEquals(List.of(ids.get(1), ids.get(3), ids.get(5)), keyB, "key B in publish order");
    }

    @Test
    void theCreateResponseNamesTheReplayThatBringsTheHistoryAndItsOwnerCanFollowIt() {
        String owner = WebhookIT.unique("historian-");
        String token =
                Stack.token(AuthIT.service(owner, "{\"roles\":[\"subscriber\"],\"subscribe\":[\"" + type + "\"]}"));
        String sub = WebhookIT.unique("named-replay-");
        var r = AuthIT.call(
                "PUT",
                "/v1/subscriptions/" + sub,
                token,
                "{\"eventTypes\":[\"" + type + "\"],\"startPosition\":\"earliest\",\"target\":{\"type\":\"pull\"}}");
        assertEquals(201, r.statusCode(), r.body());
        JsonObject replay = json(r).getJsonObject("replay");
        assertNotNull(replay, "the 201 body names the replay it started: " + r.body());
        String id = replay.getString("id");
        assertTrue(id.startsWith("rpl-"), id);
        String href = replay.getString("href");
        assertEquals("/v1/subscriptions/" + sub + "/replays/" + id, href);
        assertEquals("running", replay.getString("state"));

        var progress = AuthIT.call("GET", href, token, null);
        assertEquals(200, progress.statusCode(), "the owner follows its replay: " + progress.body());
        assertEquals(id, json(progress).getString("id"));
        assertEquals(sub, json(progress).getString("subscriptionId"));
        await(Duration.ofSeconds(30), "the history replay done", () -> {
            JsonObject p = json(AuthIT.call("GET", href, token, null));
            return p.getString("state").equals("done") && p.getInt("done") == 6;
        });

        String fromNow = WebhookIT.unique("latest-");
        JsonObject latest =
                Subscriptions.create(fromNow, "{\"eventTypes\":[\"" + type + "\"],\"target\":{\"type\":\"pull\"}}");
        assertFalse(latest.containsKey("replay"), "startPosition latest starts no replay: " + latest);
    }

    @Test
    void anUnknownStartEventIsRefused() {
        String sub = WebhookIT.unique("nostart-");
        var r = Stack.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(Stack.baseUrl() + "/v1/subscriptions/" + sub))
                        .header("Content-Type", "application/json")
                        .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(
                                "{\"eventTypes\":[\"x\"],\"startPosition\":\"evt-never-published\"}")));
        assertEquals(400, r.statusCode(), r.body());
        assertEquals("startPosition", json(r).getJsonObject("details").getString("field"));
        assertEquals(404, Stack.get("/v1/subscriptions/" + sub).statusCode());
    }

    @Test
    void aNewSubscriptionAtEarliestForARareTypeGetsExactlyItsTwoEventsFromPostgresqlsIndex() {
        String rare = WebhookIT.unique("it.replay.rare");
        String other = WebhookIT.unique("it.replay.common");
        BoundedWorkIT.storeEvents(other, 20_000);
        List<String> expected = new ArrayList<>();
        expected.add(Subscriptions.publish(rare, "K", "{\"n\":1}"));
        for (int i = 0; i < 50; i++) {
            Subscriptions.publish(other, "K", "{\"n\":" + i + "}");
        }
        expected.add(Subscriptions.publish(rare, "K", "{\"n\":2}"));
        String sub = WebhookIT.unique("rare-");

        JsonObject created = Subscriptions.create(
                sub,
                "{\"eventTypes\":[\"" + rare + "\"],\"startPosition\":\"earliest\",\"target\":{\"type\":\"webhook\","
                        + "\"url\":\"" + receiver.url("/" + sub) + "\"}}");

        String href = created.getJsonObject("replay").getString("href");
        await(Duration.ofSeconds(60), "the history replay done", () -> json(Stack.get(href))
                .getString("state")
                .equals("done"));
        JsonObject p = json(Stack.get(href));
        assertEquals(2, p.getInt("total"), p.toString());
        assertEquals(2, p.getInt("done"), p.toString());
        assertEquals("postgresql", p.getString("readFrom"), "read from the type index, not the whole log: " + p);
        await(
                Duration.ofSeconds(30),
                "both events delivered",
                () -> replayed(sub).size() == 2);
        assertEquals(expected, replayed(sub), "exactly the two events of the type, in publish order");

        JsonObject dry = replay(sub, "{\"from\":\"earliest\",\"ratePerSecond\":100,\"dryRun\":true}", 200);
        assertEquals(2, dry.getInt("total"), dry.toString());
        assertEquals("postgresql", dry.getString("readFrom"), dry.toString());
        assertEquals(1, dry.getInt("etaSeconds"), "2 events at 100/s: " + dry);
    }

    @Test
    void concurrentStartsOfAReplayOfOneSubscriptionStartOneAndAnswer409NamingIt() throws Exception {
        String t = WebhookIT.unique("it.replay.once");
        List<String> history = history(t, 20, i -> "k" + i % 4);
        String sub = WebhookIT.unique("replay-once-");
        Subscriptions.webhook(sub, t, receiver.url("/" + sub), "unordered", 5);
        // 20 events at 2/s keep the first job running for about ten seconds
        String body = "{\"from\":\"" + history.get(0) + "\",\"ratePerSecond\":2}";
        Callable<HttpResponse<String>> start = () -> Stack.postJson("/v1/subscriptions/" + sub + "/replays", body);
        List<HttpResponse<String>> answers = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (Future<HttpResponse<String>> f : pool.invokeAll(List.of(start, start, start, start))) {
                answers.add(f.get());
            }
        } finally {
            pool.shutdownNow();
        }

        List<HttpResponse<String>> started =
                answers.stream().filter(r -> r.statusCode() == 202).toList();
        assertEquals(
                1,
                started.size(),
                "one job started: " + answers.stream().map(HttpResponse::body).toList());
        String id = json(started.get(0)).getString("id");
        String href = "/v1/subscriptions/" + sub + "/replays/" + id;
        assertTrue(
                started.get(0).headers().firstValue("Location").orElse("").endsWith(href),
                "the 202 names the job in Location: " + started.get(0).headers().map());
        for (HttpResponse<String> r : answers) {
            if (r.statusCode() != 202) {
                assertEquals(409, r.statusCode(), r.body());
                assertEquals("ALREADY_RUNNING", json(r).getString("errorCode"), r.body());
                assertEquals(id, json(r).getJsonObject("details").getString("runningId"), r.body());
            }
        }

        await(Duration.ofSeconds(60), "the job done", () -> json(Stack.get(href))
                .getString("state")
                .equals("done"));
        // "done" means every event is queued; the last may still be on its way to the receiver
        await(Duration.ofSeconds(30), "the history delivered", () -> Set.copyOf(replayed(sub))
                .containsAll(history));
        assertEquals(Set.copyOf(history), Set.copyOf(replayed(sub)), "the history once");
        assertEquals(history.size(), replayed(sub).size(), "each event once");
        JsonObject next = replay(sub, "{\"from\":\"" + history.get(0) + "\",\"ratePerSecond\":100}", 202);
        assertEquals("running", next.getString("state"), "a job that ended does not hold the next one back");
    }

    @Test
    void deletingASubscriptionCancelsItsRunningReplayWithTheReason() {
        String t = WebhookIT.unique("it.replay.deleted");
        List<String> history = history(t, 20, i -> "K");
        String sub = WebhookIT.unique("replay-deleted-");
        Subscriptions.webhook(sub, t, receiver.url("/" + sub), "ordered", 5);
        JsonObject job = replay(sub, "{\"from\":\"" + history.get(0) + "\",\"ratePerSecond\":2}", 202);
        String href = "/v1/subscriptions/" + sub + "/replays/" + job.getString("id");
        await(Duration.ofSeconds(30), "the replay under way", () -> !replayed(sub)
                .isEmpty());

        var deleted = Stack.send(HttpRequest.newBuilder(URI.create(Stack.baseUrl() + "/v1/subscriptions/" + sub))
                .DELETE());
        assertEquals(204, deleted.statusCode(), deleted.body());

        await(Duration.ofSeconds(30), "the replay cancelled", () -> {
            HttpResponse<String> r = Stack.get(href);
            return r.statusCode() == 200 && json(r).getString("state").equals("cancelled");
        });
        JsonObject p = json(Stack.get(href));
        assertEquals("subscription deleted", p.getString("error"), p.toString());
        assertTrue(p.getInt("done") < history.size(), "cancelled before the end: " + p);
    }

    @Test
    void anOperatorCancelsARunningReplayItQueuesNothingMoreAndASubscriberMayNot() {
        String t = WebhookIT.unique("it.replay.cancel");
        List<String> history = history(t, 20, i -> "K");
        String sub = WebhookIT.unique("replay-cancel-");
        Subscriptions.webhook(sub, t, receiver.url("/" + sub), "ordered", 5);
        JsonObject job = replay(sub, "{\"from\":\"" + history.get(0) + "\",\"ratePerSecond\":2}", 202);
        String href = "/v1/subscriptions/" + sub + "/replays/" + job.getString("id");
        await(Duration.ofSeconds(30), "the replay under way", () -> !replayed(sub)
                .isEmpty());
        String subscriberToken = Stack.token(AuthIT.service(
                WebhookIT.unique("replay-sub-"), "{\"roles\":[\"subscriber\"],\"subscribe\":[\"" + t + "\"]}"));
        AuthIT.assertError(403, "FORBIDDEN", AuthIT.call("DELETE", href, subscriberToken, null));

        HttpResponse<String> cancelled = Stack.send(
                HttpRequest.newBuilder(URI.create(Stack.baseUrl() + href)).DELETE());
        assertEquals(200, cancelled.statusCode(), cancelled.body());
        assertEquals("cancelled", json(cancelled).getString("state"));
        int done = json(cancelled).getInt("done");
        assertTrue(done < history.size(), "cancelled before the end: " + cancelled.body());
        HttpResponse<String> again = Stack.send(
                HttpRequest.newBuilder(URI.create(Stack.baseUrl() + href)).DELETE());
        assertEquals(200, again.statusCode(), "idempotent: " + again.body());
        assertEquals(done, json(again).getInt("done"), "nothing queued after the cancel");
        assertEquals(
                404,
                Stack.send(HttpRequest.newBuilder(URI.create(Stack.baseUrl() + href + "x"))
                                .DELETE())
                        .statusCode());
        assertTrue(
                Stack.count("select count(*) from eb_audit where action = 'replay-cancel' and subscription_id = ?", sub)
                        == 1,
                "audited once");
    }
}
