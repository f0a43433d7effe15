package com.idynic.eventbus.it;

import static com.idynic.eventbus.it.Stack.await;
import static com.idynic.eventbus.it.Stack.count;
import static com.idynic.eventbus.it.Stack.json;
import static com.idynic.eventbus.it.Stack.newId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The publish and delivery guarantees when many clients act at once: per-key order and one call per key at a
 * time to an ordered webhook while several publishers send the same keys, and one stored event per event id
 * and per {@code Idempotency-Key} (also when an expired key is reused) however many clients send it together.
 */
class ConcurrencyIT {
    @RegisterExtension
    static final WebhookReceiver receiver = new WebhookReceiver();

    private static final int CLIENTS = 8;

    /** One publish as its client saw it: when the request went out and when the answer came back (nanoTime). */
    record Published(String id, String key, long sentAt, long answeredAt, int status, String body) {}

    /** One webhook call as the receiver saw it: from its arrival until just before its answer went out. */
    record Call(String eventId, String key, long start, long end) {}

    @Test
    void eightClientsPublishingOneKeyTogetherHaveItsEventsDeliveredInAnswerOrderOneAtATime() {
        String key = newId("key");
        SlowOrderedHook hook = new SlowOrderedHook(20, 40);
        List<Published> published = inRounds(CLIENTS, 10, (client, round) -> hook.publish(key));
        hook.assertDeliveredInAnswerOrderOneAtATime(published);
    }

    @Test
    void twoKeysInterleavedByEightClientsAreEachDeliveredInAnswerOrderOneAtATime() {
        List<String> keys = List.of(newId("key-a"), newId("key-b"));
        SlowOrderedHook hook = new SlowOrderedHook(20, 40);
        List<Published> published =
                inRounds(CLIENTS, 10, (client, round) -> hook.publish(keys.get((client + round) % 2)));
        assertEquals(
                Map.of(keys.get(0), 40L, keys.get(1), 40L),
                published.stream().collect(Collectors.groupingBy(Published::key, Collectors.counting())));
        hook.assertDeliveredInAnswerOrderOneAtATime(published);
    }

    /**
     * Concurrent publishes can reach Kafka out of sequence (a later one commits first and the relay sends it
     * at once); when the key is idle the later one is already in flight as the earlier one arrives, which must
     * then wait for it. Each burst starts on an idle key.
     */
    @Test
    void burstsOfConcurrentPublishesToAnIdleKeyAreDeliveredOneAtATime() {
        String key = newId("key");
        SlowOrderedHook hook = new SlowOrderedHook(20, 30);
        List<Published> published = new ArrayList<>();
        for (int burst = 0; burst < 6; burst++) {
            published.addAll(inRounds(CLIENTS, 1, (client, round) -> hook.publish(key)));
            hook.awaitDelivered(published.size());
        }
        hook.assertDeliveredInAnswerOrderOneAtATime(published);
    }

    /**
     * The same race made certain: the earlier publish is held inside its transaction, after its event row took
     * its sequence, by a test transaction inserting the same Idempotency-Key; a later event of its key is then
     * published, relayed and called first, and the earlier one commits while that call is in flight.
     */
    @Test
    void anEarlierEventThatCommitsWhileALaterOneOfItsKeyIsInFlightWaitsForThatCall() throws Exception {
        String service = keyOwner();
        String key = newId("key");
        String idempotencyKey = newId("idem");
        String earlier = newId("evt");
        String later = newId("evt");
        String unrelated = newId("evt");
        CountDownLatch answerLater = new CountDownLatch(1);
        SlowOrderedHook hook = new SlowOrderedHook(id -> {
            if (id.equals(later)) {
                try {
                    answerLater.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        ExecutorService publisher = Executors.newSingleThreadExecutor();
        List<Published> published = new ArrayList<>();
        try {
            Future<Published> held;
            try (Connection holder = Stack.db()) {
                holder.setAutoCommit(false);
                try (PreparedStatement ps = holder.prepareStatement("insert into eb_idempotency"
                        + " (service, idem_key, content_hash, event_id) values (?, ?, repeat('0', 64), 'held')")) {
                    ps.setString(1, service);
                    ps.setString(2, idempotencyKey);
                    ps.executeUpdate();
                }
                String pid;
                try (Statement st = holder.createStatement();
                        ResultSet rs = st.executeQuery("select pg_backend_pid()")) {
                    rs.next();
                    pid = rs.getString(1);
                }
                String blocked = "select count(*) from pg_stat_activity where ?::int = any(pg_blocking_pids(pid))";
                held = publisher.submit(() -> hook.publish(earlier, key, idempotencyKey));
                await(
                        Duration.ofSeconds(30),
                        "the earlier publish waiting to record its Idempotency-Key",
                        () -> count(blocked, pid) == 1);
                published.add(hook.publish(later, key, null));
                await(Duration.ofSeconds(30), "the later event's call in flight", () -> hook.started.contains(later));
                holder.rollback();
            }
            published.add(0, held.get(60, TimeUnit.SECONDS));
            Map<String, Long> seq = seqs(List.of(earlier, later));
            assertTrue(seq.get(earlier) < seq.get(later), "the earlier publish took the lower sequence: " + seq);
            await(Duration.ofSeconds(30), "the earlier event queued", () -> deliveries(hook.sub, earlier) == 1);
            published.add(hook.publish(unrelated, newId("key"), null));
            await(Duration.ofSeconds(30), "another key's call", () -> hook.started.contains(unrelated));
            assertEquals("PENDING", Subscriptions.state(earlier, hook.sub), "held back while the later one is called");
        } finally {
            answerLater.countDown();
            publisher.shutdownNow();
        }

        hook.assertDeliveredInAnswerOrderOneAtATime(published);
        assertEquals(List.of(later, earlier), hook.order(key), "the later event was called first");
    }

    @Test
    void sixteenClientsPublishingOneEventTogetherStoreItOnceAndAllGetItsReceipt() {
        String id = newId("evt");
        String body = Stack.event(id, WebhookIT.unique("it.conc.t"), "{\"variant\":\"x\"}", "{}");
        List<HttpResponse<String>> answers = inRounds(16, 1, (client, round) -> Stack.postJson("/v1/events", body));

        assertEquals(1, count("select count(*) from eb_event_id where id = ?", id));
        assertEquals(1, count("select count(*) from eb_event where id = ?", id));
        String receipt = storedReceipt(id);
        assertEquals(
                IntStream.range(0, 16).mapToObj(c -> "202 " + receipt).toList(),
                answers.stream()
                        .map(r -> r.statusCode() + " " + json(r).getString("receipt", r.body()))
                        .toList());
        assertEquals(1, answers.stream().map(Stack::json).distinct().count(), "one answer for all");
    }

    @Test
    void oneEventIdWithTwoContentsFromSixteenClientsTogetherAcceptsOnlyTheContentThatWasStored() {
        String id = newId("evt");
        String type = WebhookIT.unique("it.conc.t");
        List<String> bodies = IntStream.range(0, 16)
                .mapToObj(c -> Stack.event(id, type, "{\"variant\":\"" + (c % 2 == 0 ? "x" : "y") + "\"}", "{}"))
                .toList();
        List<HttpResponse<String>> answers =
                inRounds(16, 1, (client, round) -> Stack.postJson("/v1/events", bodies.get(client)));

        assertEquals(1, count("select count(*) from eb_event_id where id = ?", id));
        assertEquals(1, count("select count(*) from eb_event where id = ?", id));
        String stored = storedVariant(id);
        String receipt = storedReceipt(id);
        assertEquals(
                IntStream.range(0, 16)
                        .mapToObj(c -> bodies.get(c).contains("\"variant\":\"" + stored + "\"")
                                ? "202 " + receipt
                                : "409 DUPLICATE_EVENT_ID " + id)
                        .toList(),
                answers.stream().map(ConcurrencyIT::outcome).toList());
    }

    @Test
    void oneIdempotencyKeyFromSixteenClientsTogetherStoresOneEventAndRefusesEveryOtherBody() {
        String key = newId("idem");
        String type = WebhookIT.unique("it.conc.t");
        String same = newId("evt");
        List<String> ids = IntStream.range(0, 16)
                .mapToObj(c -> c < 10 ? same : newId("evt"))
                .toList();
        List<String> bodies = ids.stream()
                .map(id -> Stack.event(id, type, "{\"variant\":\"" + id + "\"}", "{}"))
                .toList();
        List<HttpResponse<String>> answers =
                inRounds(16, 1, (client, round) -> PublishIT.publishWithKey(key, bodies.get(client)));

        String winner = keyEvent(key);
        assertTrue(ids.contains(winner), winner);
        assertEquals(1, countIds("select count(*) from eb_event_id where id = any(?)", ids), "one stored event");
        assertEquals(1, countIds("select count(*) from eb_event where id = any(?)", ids), "one stored event");
        String receipt = storedReceipt(winner);
        assertEquals(
                ids.stream()
                        .map(id -> id.equals(winner) ? "202 " + receipt : "409 IDEMPOTENCY_KEY_REUSED " + winner)
                        .toList(),
                answers.stream().map(ConcurrencyIT::outcome).toList());
    }

    /**
     * The test server keeps the default window (PT24H); instead of waiting it out, the key's record is made
     * 25 hours old, which is what the window compares.
     */
    @Test
    void anIdempotencyKeyPastItsWindowIsTakenOverByExactlyOneOfManyNewBodiesSentTogether() {
        String key = newId("idem");
        String type = WebhookIT.unique("it.conc.t");
        String first = newId("evt");
        String firstBody = Stack.event(first, type, "{\"variant\":\"first\"}", "{}");
        HttpResponse<String> accepted = PublishIT.publishWithKey(key, firstBody);
        assertEquals(202, accepted.statusCode(), accepted.body());
        String early = newId("evt");
        assertEquals(
                "409 IDEMPOTENCY_KEY_REUSED " + first,
                outcome(PublishIT.publishWithKey(key, Stack.event(early, type, "{}", "{}"))),
                "within the window");
        assertEquals(0, count("select count(*) from eb_event_id where id = ?", early));

        Stack.sql("update eb_idempotency set created_at = created_at - interval '25 hours' where idem_key = ?", key);
        List<String> ids =
                IntStream.range(0, CLIENTS).mapToObj(c -> newId("evt")).toList();
        List<HttpResponse<String>> answers = inRounds(
                CLIENTS,
                1,
                (client, round) -> PublishIT.publishWithKey(key, Stack.event(ids.get(client), type, "{}", "{}")));

        String winner = keyEvent(key);
        assertTrue(ids.contains(winner), winner);
        assertEquals(1, countIds("select count(*) from eb_event_id where id = any(?)", ids), "one new event");
        String receipt = storedReceipt(winner);
        assertNotEquals(storedReceipt(first), receipt);
        assertEquals(
                ids.stream()
                        .map(id -> id.equals(winner) ? "202 " + receipt : "409 IDEMPOTENCY_KEY_REUSED " + winner)
                        .toList(),
                answers.stream().map(ConcurrencyIT::outcome).toList());
        assertEquals(
                "409 IDEMPOTENCY_KEY_REUSED " + winner,
                outcome(PublishIT.publishWithKey(key, firstBody)),
                "the key now names the new event");
        assertEquals(json(accepted), json(Stack.postJson("/v1/events", firstBody)), "event-id idempotency stays");
    }

    /**
     * An ordered webhook subscription to a fresh type (up to 16 calls at once, so only the ordering keeps one
     * key's calls apart) whose receiver works on each call before answering 200, and logs every call.
     */
    private static final class SlowOrderedHook {
        final String type = WebhookIT.unique("it.conc.t");
        final String sub = WebhookIT.unique("conc-");
        final List<Call> calls = new CopyOnWriteArrayList<>();
        final Set<String> started = ConcurrentHashMap.newKeySet();

        /** A receiver taking {@code minMs}..{@code maxMs} per call. */
        SlowOrderedHook(int minMs, int maxMs) {
            this(id -> {
                try {
                    Thread.sleep(ThreadLocalRandom.current().nextInt(minMs, maxMs + 1));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }

        /** @param work what the receiver does with a call (given its event id) before answering */
        SlowOrderedHook(Consumer<String> work) {
            // the receiver's own delay (Answer.delayMs) runs after the behaviour, too late to log the call's end
            receiver.on("/" + sub, c -> {
                long start = System.nanoTime();
                started.add(c.id());
                work.accept(c.id());
                calls.add(new Call(
                        c.id(),
                        Stack.parse(c.body()).getJsonObject("metadata").getString("partitionKey"),
                        start,
                        System.nanoTime()));
                return WebhookReceiver.Answer.ok();
            });
            Subscriptions.create(
                    sub,
                    "{\"owner\":\"it\",\"eventTypes\":[\"" + type + "\"],\"target\":{\"type\":\"webhook\",\"url\":\""
                            + receiver.url("/" + sub) + "\",\"timeoutMillis\":10000},\"ordering\":\"ordered\","
                            + "\"maxConcurrency\":16,\"retryPolicy\":{\"initialDelayMillis\":300,\"multiplier\":2,"
                            + "\"maxDelayMillis\":5000,\"maxAttempts\":5}}");
        }

        Published publish(String key) {
            return publish(newId("evt"), key, null);
        }

        /** Publishes an event of this type with a partition key, and an Idempotency-Key unless null. */
        Published publish(String id, String key, String idempotencyKey) {
            String body = Stack.event(id, type, "{}", "{\"partitionKey\":\"" + key + "\"}");
            long sentAt = System.nanoTime();
            HttpResponse<String> r = idempotencyKey == null
                    ? Stack.postJson("/v1/events", body)
                    : PublishIT.publishWithKey(idempotencyKey, body);
            return new Published(id, key, sentAt, System.nanoTime(), r.statusCode(), r.body());
        }

        /** @return the events of {@code key} in the order their calls began */
        List<String> order(String key) {
            return calls.stream()
                    .filter(c -> c.key().equals(key))
                    .sorted(Comparator.comparingLong(Call::start))
                    .map(Call::eventId)
                    .toList();
        }

        void awaitDelivered(int events) {
            String delivered =
                    "select count(*) from " + Stack.DELIVERIES + " where subscription_id = ? and state = 'DELIVERED'";
            await(Duration.ofSeconds(60), events + " deliveries settled", () -> count(delivered, sub) == events);
        }

        /**
         * Each event is called exactly once; no two calls of one key overlap; and when an event was answered
         * 202 before another of its key was sent, it has the lower publish sequence and was delivered first.
         * Events sent while the other was still unanswered have no order between them.
         */
        void assertDeliveredInAnswerOrderOneAtATime(List<Published> published) {
            assertEquals(
                    List.of(),
                    published.stream()
                            .filter(p -> p.status() != 202)
                            .map(p -> p.status() + " " + p.body())
                            .toList(),
                    "every publish accepted");
            awaitDelivered(published.size());
            assertEquals(
                    published.stream().collect(Collectors.toMap(Published::id, p -> 1L)),
                    calls.stream().collect(Collectors.groupingBy(Call::eventId, Collectors.counting())),
                    "calls per event");

            List<String> overlaps = new ArrayList<>();
            calls.stream().collect(Collectors.groupingBy(Call::key)).forEach((key, ofKey) -> {
                long busyUntil = Long.MIN_VALUE;
                String busyWith = null;
                for (Call c : ofKey.stream()
                        .sorted(Comparator.comparingLong(Call::start))
                        .toList()) {
                    if (c.start() < busyUntil) {
                        overlaps.add(c.eventId() + " called while " + busyWith + " was in flight");
                    }
                    if (c.end() > busyUntil) {
                        busyUntil = c.end();
                        busyWith = c.eventId();
                    }
                }
            });
            assertEquals(List.of(), overlaps, "one call per key at a time");

            Map<String, Long> delivered = calls.stream().collect(Collectors.toMap(Call::eventId, Call::start));
            Map<String, Long> seq = seqs(published.stream().map(Published::id).toList());
            List<String> outOfOrder = new ArrayList<>();
            for (Published a : published) {
                for (Published b : published) {
                    if (!a.key().equals(b.key()) || a.answeredAt() >= b.sentAt()) {
                        continue;
                    }
                    String pair = a.id() + " (seq " + seq.get(a.id()) + ") was answered before " + b.id() + " (seq "
                            + seq.get(b.id()) + ") was sent";
                    if (seq.get(a.id()) >= seq.get(b.id())) {
                        outOfOrder.add(pair + " but has the later publish sequence");
                    }
                    if (delivered.get(a.id()) > delivered.get(b.id())) {
                        outOfOrder.add(pair + " but was delivered after it");
                    }
                }
            }
            assertTrue(
                    outOfOrder.isEmpty(),
                    outOfOrder.size() + " pairs out of order, e.g. "
                            + outOfOrder.stream().limit(5).toList());
        }
    }

    /** Code and what decides it: {@code 202 <receipt>} or {@code <status> <errorCode> <details.eventId>}. */
    private static String outcome(HttpResponse<String> r) {
        var body = json(r);
        if (r.statusCode() == 202) {
            return "202 " + body.getString("receipt");
        }
        return r.statusCode() + " " + body.getString("errorCode") + " "
                + body.getJsonObject("details").getString("eventId");
    }

    @FunctionalInterface
    interface ClientCall<T> {
        T call(int client, int round);
    }

    /**
     * Runs {@code clients} threads for {@code rounds} rounds; in each round a barrier releases all clients
     * together, so every answer of one round came back before any request of the next went out.
     *
     * @return the results, client by client and within a client round by round
     */
    static <T> List<T> inRounds(int clients, int rounds, ClientCall<T> call) {
        CyclicBarrier together = new CyclicBarrier(clients);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<List<T>>> runs = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                runs.add(pool.submit(() -> {
                    List<T> mine = new ArrayList<>();
                    for (int round = 0; round < rounds; round++) {
                        together.await(60, TimeUnit.SECONDS);
                        mine.add(call.call(client, round));
                    }
                    return mine;
                }));
            }
            List<T> all = new ArrayList<>();
            for (Future<List<T>> run : runs) {
                all.addAll(run.get(2, TimeUnit.MINUTES));
            }
            return all;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("a client failed", e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** @return the service the bus records the test token's Idempotency-Keys under */
    private static String keyOwner() {
        String key = newId("idem");
        HttpResponse<String> r =
                PublishIT.publishWithKey(key, Stack.event(newId("evt"), WebhookIT.unique("it.conc.t"), "{}", "{}"));
        assertEquals(202, r.statusCode(), r.body());
        return query("select service from eb_idempotency where idem_key = ?", ConcurrencyIT::string, key);
    }

    private static String storedReceipt(String id) {
        return query("select receipt from eb_event where id = ?", ConcurrencyIT::string, id);
    }

    private static String storedVariant(String id) {
        String payload = query("select payload from eb_event where id = ?", ConcurrencyIT::string, id);
        return Stack.parse(payload).getJsonObject("data").getString("variant");
    }

    private static String keyEvent(String key) {
        return query("select event_id from eb_idempotency where idem_key = ?", ConcurrencyIT::string, key);
    }

    private static long deliveries(String subscription, String eventId) {
        return query(
                "select count(*) from " + Stack.DELIVERIES + " where subscription_id = ? and event_id = ?",
                ConcurrencyIT::number,
                subscription,
                eventId);
    }

    private static long countIds(String sql, List<String> ids) {
        return query(sql, ConcurrencyIT::number, ids);
    }

    private static Map<String, Long> seqs(List<String> ids) {
        return query(
                "select id, seq from eb_event where id = any(?)",
                rs -> {
                    Map<String, Long> m = new HashMap<>();
                    while (rs.next()) {
                        m.put(rs.getString(1), rs.getLong(2));
                    }
                    return m;
                },
                ids);
    }

    private static String string(ResultSet rs) throws SQLException {
        return rs.next() ? rs.getString(1) : null;
    }

    private static long number(ResultSet rs) throws SQLException {
        rs.next();
        return rs.getLong(1);
    }

    @FunctionalInterface
    private interface Rows<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /** Runs a query; a list parameter is passed as a varchar array. */
    private static <T> T query(String sql, Rows<T> rows, Object... params) {
        try (Connection c = Stack.db();
                PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                Object p = params[i];
                ps.setObject(i + 1, p instanceof List<?> l ? c.createArrayOf("varchar", l.toArray()) : p);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rows.read(rs);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
