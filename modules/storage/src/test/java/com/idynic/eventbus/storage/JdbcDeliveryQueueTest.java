package com.idynic.eventbus.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.idynic.eventbus.broker.AttemptResult;
import com.idynic.eventbus.broker.Decision;
import com.idynic.eventbus.broker.spi.DeliveryAttempt;
import com.idynic.eventbus.broker.spi.DeliveryQueue;
import com.idynic.eventbus.broker.spi.DeliveryStatus;
import com.idynic.eventbus.broker.spi.Leased;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Leasing and settling on a real PostgreSQL (one server for the class, migrated from {@code sql/} as the bus
 * does). Each test makes its own subscriptions and events.
 */
class JdbcDeliveryQueueTest {
    static final Duration MINUTE = Duration.ofMinutes(1);

    static EmbeddedPostgres postgres;
    static DataSource ds;
    static final JdbcDeliveryQueue store = new JdbcDeliveryQueue();
    static final JdbcDeadLetterStore deadLetters = new JdbcDeadLetterStore();
    static final JdbcDeliveryHistory history = new JdbcDeliveryHistory();

    @BeforeAll
    static void start() throws IOException {
        postgres = EmbeddedPostgres.start();
        ds = postgres.getPostgresDatabase();
        Database database = new Database();
        database.ds = ds;
        database.migrate();
        store.ds = ds;
        deadLetters.ds = ds;
        history.ds = ds;
    }

    @AfterAll
    static void stop() throws IOException {
        postgres.close();
    }

    static void sql(String sql, Object... params) {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            ps.execute();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static String subscription(String ordering, String state) {
        String id = "sub-" + UUID.randomUUID();
        sql(
                "insert into eb_subscription (id, owner, event_types, target_type, ordering, state)"
                        + " values (?, 'svc', 'it.t', 'pull', ?, ?)",
                id,
                ordering,
                state);
        return id;
    }

    /** Stores an event as publishing does (the sequence number grows with every call). */
    static String publish(String key) {
        String id = "evt-" + UUID.randomUUID();
        JsonObject payload = Json.createObjectBuilder()
                .add("id", id)
                .add("eventType", "it.t")
                .add("source", "svc")
                .add("timestamp", "2026-01-01T00:00:00Z")
                .add("data", JsonObject.EMPTY_JSON_OBJECT)
                .add(
                        "metadata",
                        key == null
                                ? JsonObject.EMPTY_JSON_OBJECT
                                : Json.createObjectBuilder()
                                        .add("partitionKey", key)
                                        .build())
                .build();
        // the id row and the event row carry the same accepted time (the bus joins them on it)
        sql("insert into eb_event_id (id, accepted_at) values (?, now())", id);
        sql(
                "insert into eb_event (id, event_type, source, occurred_at, partition_key, payload, content_hash,"
                        + " receipt, accepted_at) select ?, 'it.t', 'svc', now(), ?, ?, ?, ?, i.accepted_at"
                        + " from eb_event_id i where i.id = ?",
                id,
                key,
                payload.toString(),
                "0".repeat(64),
                "rcpt-" + id.substring(4, 12),
                id);
        return id;
    }

    static String queued(String subscription, String key) {
        String id = publish(key);
        store.enqueue(id, key, List.of(subscription));
        return id;
    }

    /** Queues {@code n} more events of {@code key} for the subscription, in bulk (one statement per table). */
    static void queueBehind(String subscription, String key, int n) {
        String prefix = "evt-bulk-" + UUID.randomUUID();
        sql("insert into eb_event_id (id, accepted_at) select ? || g, now() from generate_series(1, ?) g", prefix, n);
        sql(
                "insert into eb_event (id, event_type, source, occurred_at, partition_key, payload, content_hash,"
                        + " receipt, accepted_at) select i.id, 'it.t', 'svc', now(), ?, '{}', repeat('0', 64),"
                        + " 'rcpt-bulk', i.accepted_at from eb_event_id i where i.id like ? || '%'",
                key, prefix);
        sql(
                "insert into eb_delivery (subscription_id, event_id, ordering_key, event_seq)"
                        + " select ?, e.id, ?, e.seq from eb_event e where e.id like ? || '%' order by e.seq",
                subscription, key, prefix);
    }

    static List<String> ids(List<Leased> leased) {
        return leased.stream().map(l -> l.event().envelope().id()).toList();
    }

    static DeliveryStatus status(String subscription, String eventId) {
        return history.statusOf(eventId).stream()
                .filter(s -> s.subscriptionId().equals(subscription))
                .findFirst()
                .orElseThrow();
    }

    static AttemptResult attempt(AttemptResult.Outcome outcome, int status) {
        return new AttemptResult(outcome, Instant.now(), Duration.ofMillis(7), "pull", status, null, null);
    }

    static final Decision DELIVERED = new Decision(Decision.Kind.DELIVERED, null, null);

    static long seqOf(String eventId) {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("select seq from eb_event where id = ?")) {
            ps.setString(1, eventId);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static long queuedSeq(String subscription, String eventId) {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "select event_seq from eb_delivery where subscription_id = ? and event_id = ?")) {
            ps.setString(1, subscription);
            ps.setString(2, eventId);
            try (var rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aBatchTakesTheSequenceNumbersItIsGivenReadsTheMissingOnesAndSkipsEventsThatAreGone() {
        String sub = subscription("ordered", "active");
        String given = publish("k");
        String read = publish("k");
        long readSeq = seqOf(read);

        store.enqueueAll(List.of(
                new DeliveryQueue.Enqueue(given, "k", List.of(sub), 424242),
                new DeliveryQueue.Enqueue(read, "k", List.of(sub)),
                new DeliveryQueue.Enqueue("evt-never-stored", "k", List.of(sub), 7)));

        assertEquals(424242, queuedSeq(sub, given), "as given: the Kafka record's eb-seq");
        assertEquals(readSeq, queuedSeq(sub, read), "read from the event row");
        assertEquals(-1, queuedSeq(sub, "evt-never-stored"), "no row for an event the store does not hold");
    }

    @Test
    void releasedLeasesGoBackToPendingUncountedUnlessLeasedAgainMeanwhile() {
        String sub = subscription("unordered", "active");
        String e1 = queued(sub, null);
        String e2 = queued(sub, null);
        List<Leased> first = store.lease(sub, 2, MINUTE);
        assertEquals(List.of(e1, e2), ids(first));
        sql("update eb_delivery set attempts = attempts + 1 where subscription_id = ? and event_id = ?", sub, e2);

        store.release(first);

        assertEquals("PENDING", status(sub, e1).state().name());
        assertEquals(0, status(sub, e1).attempts());
        assertEquals("LEASED", status(sub, e2).state().name(), "another attempt's lease is not touched");
        assertEquals(List.of(e1), ids(store.lease(sub, 2, MINUTE)));
        assertEquals(1, status(sub, e1).attempts());
    }

    @Test
    void leasesDueEventsLowestSequenceFirstWhateverOrderTheyWereQueuedIn() {
        String sub = subscription("unordered", "active");
        String e1 = publish(null);
        String e2 = publish(null);
        String e3 = publish(null);
        store.enqueue(e3, null, List.of(sub));
        store.enqueue(e1, null, List.of(sub));
        store.enqueue(e2, null, List.of(sub));

        assertEquals(List.of(e1), ids(store.lease(sub, 1, MINUTE)));
        assertEquals(List.of(e2), ids(store.lease(sub, 1, MINUTE)));
        assertEquals(List.of(e3), ids(store.lease(sub, 1, MINUTE)));
        assertEquals(List.of(), store.lease(sub, 1, MINUTE));
        assertEquals("LEASED", status(sub, e1).state().name());
        assertEquals(1, status(sub, e1).attempts());
    }

    /**
     * Catching up: more blocked events than the lease looks at in the oldest-first window (one key's head
     * waits for a retry with a long queue behind it) must not hold up a key further back, and that key
     * still goes one event at a time, in order.
     */
    @Test
    void aKeyBehindMoreBlockedEventsThanTheLeaseWindowStillProgressesInOrder() {
        String sub = subscription("ordered", "active");
        String head = queued(sub, "stuck");
        queueBehind(sub, "stuck", LeaseCandidates.ORDERED_WINDOW + 50);
        String late1 = queued(sub, "late");
        String late2 = queued(sub, "late");
        sql(
                "update eb_delivery set available_at = now() + interval '1 hour' where subscription_id = ? and event_id = ?",
                sub,
                head);

        assertEquals(List.of(late1), ids(store.lease(sub, 10, MINUTE)), "the late key's head, and only it");
        assertEquals(List.of(), store.lease(sub, 10, MINUTE), "late2 waits while late1 is leased");
    }

    /**
     * An event without an ordering key waits for nothing but its own retry time: published after more
     * blocked events of other keys than the window holds, it is leased at once (issue 16: it waited ~85 s).
     */
    @Test
    void anEventWithoutAKeyPublishedBehindADeepBacklogOfOtherKeysIsLeasedAtOnce() {
        String sub = subscription("ordered", "active");
        String head = queued(sub, "stuck");
        queueBehind(sub, "stuck", LeaseCandidates.ORDERED_WINDOW + 50);
        sql(
                "update eb_delivery set available_at = now() + interval '1 hour' where subscription_id = ? and event_id = ?",
                sub,
                head);
        String keyless1 = queued(sub, null);
        String keyless2 = queued(sub, null);

        assertEquals(List.of(keyless1, keyless2), ids(store.lease(sub, 4, MINUTE)));
        assertEquals(List.of(), store.lease(sub, 4, MINUTE));
    }

    /** A lease holds what it hands out in memory: it stops at {@code LEASE_BYTES} of payload, the rest stay due. */
    @Test
    void aLeaseStopsAtItsByteBoundAndTheEventsPastItComeWithTheNextLease() {
        String sub = subscription("unordered", "active");
        int size = (int) (JdbcDeliveryQueue.LEASE_BYTES * 2 / 5);
        String e1 = queued(sub, null);
        String e2 = queued(sub, null);
        String e3 = queued(sub, null);
        String e4 = queued(sub, null);
        for (String id : List.of(e1, e2, e3, e4)) {
            sql(
                    "update eb_event set payload = jsonb_set(payload::jsonb, '{data}',"
                            + " jsonb_build_object('pad', repeat('x', ?)))::text where id = ?",
                    size,
                    id);
        }

        List<Leased> first = store.lease(sub, 10, MINUTE);
        assertEquals(List.of(e1, e2, e3), ids(first), "the third starts below the bound, the fourth does not");
        assertEquals(
                size, first.get(0).event().envelope().data().getString("pad").length());
        assertEquals(List.of(e4), ids(store.lease(sub, 10, MINUTE)));
    }

    @Test
    void anOrderedSubscriptionLeasesOneEventPerKeyAndNoneBehindAnEarlierPendingLeasedOrDeadOne() {
        String sub = subscription("ordered", "active");
        String a1 = queued(sub, "A");
        String a2 = queued(sub, "A");
        String b1 = queued(sub, "B");
        String n1 = queued(sub, null);
        String n2 = queued(sub, null);

        List<Leased> first = store.lease(sub, 10, MINUTE);
        assertEquals(List.of(a1, b1, n1, n2), ids(first), "one per key; keyless events are not held back");
        assertEquals(List.of(), store.lease(sub, 10, MINUTE), "a2 waits while a1 is leased");

        Leased leasedA1 = first.get(0);
        Instant later = Instant.now().plus(Duration.ofHours(1));
        store.settle(
                leasedA1,
                attempt(AttemptResult.Outcome.FAILURE, 503),
                new Decision(Decision.Kind.RETRY, later, "HTTP 503"));
        assertEquals("PENDING", status(sub, a1).state().name());
        assertEquals(List.of(), store.lease(sub, 10, MINUTE), "a2 waits while a1 is pending a retry");

        sql("update eb_delivery set available_at = now() where subscription_id = ? and event_id = ?", sub, a1);
        List<Leased> retried = store.lease(sub, 10, MINUTE);
        assertEquals(List.of(a1), ids(retried));
        store.settle(
                retried.get(0),
                attempt(AttemptResult.Outcome.REJECTED, 400),
                new Decision(Decision.Kind.DEAD, null, "rejected: HTTP 400"));
        String a3 = queued(sub, "A");
        assertEquals(List.of(), store.lease(sub, 10, MINUTE), "a3, queued after a1 died, waits behind it");
        assertEquals("PENDING", status(sub, a3).state().name());
        assertEquals("DEAD", status(sub, a2).state().name());
    }

    @Test
    void anOrderedLeaseInRunsHandsOutEachKeysConsecutiveEventsInOrderAndNoKeyTwice() {
        String sub = subscription("ordered", "active");
        String a1 = queued(sub, "A");
        String b1 = queued(sub, "B");
        String a2 = queued(sub, "A");
        String n1 = queued(sub, null);
        String a3 = queued(sub, "A");
        String b2 = queued(sub, "B");

        assertEquals(List.of(a1, b1, a2, n1, a3, b2), ids(store.leaseRuns(sub, 16, MINUTE)), "every key's run");
        assertEquals(List.of(), ids(store.leaseRuns(sub, 16, MINUTE)), "A and B are held by the first run");
        String a4 = queued(sub, "A");
        store.settleAll(store.leased(sub, List.of(a1, a2, a3, b1, b2, n1)).stream()
                .map(l -> new DeliveryQueue.Settlement(l, attempt(AttemptResult.Outcome.SUCCESS, 200), DELIVERED))
                .toList());
        assertEquals(List.of(a4), ids(store.leaseRuns(sub, 16, MINUTE)));
    }

    @Test
    void anOrderedLeaseInRunsGivesEachKeyAShareFirstSoConcurrentPullersTakeDifferentKeys() {
        String sub = subscription("ordered", "active");
        java.util.Map<String, List<String>> byKey = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 6; i++) {
            for (String k : List.of("A", "B", "C")) {
                byKey.computeIfAbsent(k, x -> new java.util.ArrayList<>()).add(queued(sub, k));
            }
        }
        String n1 = queued(sub, null);

        // 4 at most: a run takes ceil(4 / 8) = 1 event while other keys have some, so the heads come first
        assertEquals(
                List.of(
                        byKey.get("A").get(0),
                        byKey.get("B").get(0),
                        byKey.get("C").get(0),
                        n1),
                ids(store.leaseRuns(sub, 4, MINUTE)),
                "one event per key and the keyless one, not A's run");
        assertEquals(List.of(), ids(store.leaseRuns(sub, 4, MINUTE)), "every key is held");
    }

    @Test
    void anOrderedLeaseInRunsFillsTheRoomLeftWithTheOldestKeysRuns() {
        String sub = subscription("ordered", "active");
        List<String> a = new java.util.ArrayList<>();
        List<String> b = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            a.add(queued(sub, "A"));
            b.add(queued(sub, "B"));
        }

        // 16 at most: 2 per key first (A0 A1 B0 B1), then the room left goes to A, the oldest head: A2..A13
        List<String> expected = new java.util.ArrayList<>(a.subList(0, 14));
        expected.addAll(b.subList(0, 2));
        List<String> got = ids(store.leaseRuns(sub, 16, MINUTE));
        assertEquals(16, got.size());
        assertEquals(new java.util.HashSet<>(expected), new java.util.HashSet<>(got));
        assertEquals(a.subList(0, 14), got.stream().filter(a::contains).toList(), "A's prefix, in order");
    }

    @Test
    void aRetryInARunReleasesTheLaterEventsOfItsKeyUncountedToComeAgainAfterIt() {
        String sub = subscription("ordered", "active");
        String a1 = queued(sub, "A");
        String a2 = queued(sub, "A");
        String a3 = queued(sub, "A");
        String b1 = queued(sub, "B");
        List<Leased> run = store.leaseRuns(sub, 10, MINUTE);
        assertEquals(List.of(a1, a2, a3, b1), ids(run));

        Instant later = Instant.now().plus(Duration.ofHours(1));
        assertTrue(store.settle(
                run.get(1),
                attempt(AttemptResult.Outcome.FAILURE, 503),
                new Decision(Decision.Kind.RETRY, later, "503")));
        assertEquals("PENDING", status(sub, a3).state().name(), "a3 released");
        assertEquals(0, status(sub, a3).attempts(), "its lease was not an attempt");
        assertEquals("LEASED", status(sub, a1).state().name(), "earlier events keep their lease");
        assertEquals("LEASED", status(sub, b1).state().name(), "other keys keep theirs");
        assertFalse(
                store.settle(run.get(2), attempt(AttemptResult.Outcome.SUCCESS, 200), DELIVERED), "a3's lease ended");
        assertTrue(store.settle(run.get(0), attempt(AttemptResult.Outcome.SUCCESS, 200), DELIVERED));
        assertEquals(List.of(), store.leaseRuns(sub, 10, MINUTE), "a3 waits behind a2's retry");

        sql("update eb_delivery set available_at = now() where subscription_id = ? and event_id = ?", sub, a2);
        List<Leased> again = store.leaseRuns(sub, 10, MINUTE);
        assertEquals(List.of(a2, a3), ids(again));
        assertEquals(List.of(2, 1), again.stream().map(Leased::attempt).toList());
    }

    /** Lets every lease of the subscription lapse, as a holder that stalled past its lease would. */
    static void lapse(String subscription) {
        sql(
                "update eb_delivery set lease_until = now() - interval '1 second' where subscription_id = ?"
                        + " and state = 'LEASED'",
                subscription);
    }

    static String column(String subscription, String eventId, String column) {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "select " + column + " from eb_delivery where subscription_id = ? and event_id = ?")) {
            ps.setString(1, subscription);
            ps.setString(2, eventId);
            try (var rs = ps.executeQuery()) {
                assertTrue(rs.next());
                return rs.getString(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aLateSettlementOfALapsedLeaseLeavesTheNewLeaseAndItsRunAlone() {
        String sub = subscription("ordered", "active");
        String a1 = queued(sub, "A");
        String a2 = queued(sub, "A");
        String a3 = queued(sub, "A");
        List<Leased> old = store.leaseRuns(sub, 10, MINUTE);
        assertEquals(List.of(a1, a2, a3), ids(old));
        lapse(sub);
        List<Leased> now = store.leaseRuns(sub, 10, MINUTE);
        assertEquals(List.of(a1, a2, a3), ids(now), "the lapsed run is leased again");

        Instant later = Instant.now().plus(Duration.ofHours(1));
        assertFalse(
                store.settle(
                        old.get(0),
                        attempt(AttemptResult.Outcome.FAILURE, 503),
                        new Decision(Decision.Kind.RETRY, later, "503")),
                "the old holder's retry comes too late");
        assertFalse(
                store.settle(old.get(1), attempt(AttemptResult.Outcome.SUCCESS, 200), DELIVERED),
                "so does its success");
        assertFalse(
                store.settle(
                        old.get(2),
                        attempt(AttemptResult.Outcome.REJECTED, 400),
                        new Decision(Decision.Kind.DEAD, null, "400")),
                "and its dead letter");
        store.release(old);
        assertEquals(
                List.of("LEASED", "LEASED", "LEASED"),
                List.of(a1, a2, a3).stream()
                        .map(e -> status(sub, e).state().name())
                        .toList(),
                "the new lease and its run are untouched");
        assertEquals(
                List.of(2, 2, 2),
                List.of(a1, a2, a3).stream().map(e -> status(sub, e).attempts()).toList());

        assertTrue(store.settle(now.get(0), attempt(AttemptResult.Outcome.SUCCESS, 200), DELIVERED));
        assertTrue(store.settle(
                now.get(1),
                attempt(AttemptResult.Outcome.FAILURE, 503),
                new Decision(Decision.Kind.RETRY, later, "503")));
        assertEquals("PENDING", status(sub, a3).state().name(), "the new holder's retry releases its own run");
    }

    @Test
    void aRetryReleasesOnlyTheRowsItsOwnLeaseTook() {
        String sub = subscription("ordered", "active");
        String a1 = queued(sub, "A");
        List<Leased> first = store.leaseRuns(sub, 10, MINUTE);
        String a2 = queued(sub, "A");
        // a2 arrived after a1's lease: a later lease of the key's run (as a lane taking over after a lapse would)
        sql(
                "update eb_delivery set state = 'LEASED', attempts = 1, leased_at = now() - interval '1 second',"
                        + " lease_until = now() + interval '1 minute' where subscription_id = ? and event_id = ?",
                sub,
                a2);
        assertTrue(store.settle(
                first.get(0),
                attempt(AttemptResult.Outcome.FAILURE, 503),
                new Decision(Decision.Kind.RETRY, Instant.now().plus(Duration.ofHours(1)), "503")));
        assertEquals("LEASED", status(sub, a2).state().name(), "a2 is not a1's run's to release");
    }

    @Test
    void aReleasedFirstAttemptForgetsWhenItStarted() {
        String sub = subscription("ordered", "active");
        String a1 = queued(sub, "A");
        String a2 = queued(sub, "A");
        String a3 = queued(sub, "A");
        List<Leased> run = store.leaseRuns(sub, 10, MINUTE);
        assertEquals(List.of(a1, a2, a3), ids(run));
        store.release(List.of(run.get(2)));
        assertNull(column(sub, a3, "first_attempt_at"), "a3 was never attempted");
        assertTrue(store.settle(
                run.get(0),
                attempt(AttemptResult.Outcome.FAILURE, 503),
                new Decision(Decision.Kind.RETRY, Instant.now().plus(Duration.ofHours(1)), "503")));
        assertNull(column(sub, a2, "first_attempt_at"), "nor was a2, released by a1's retry");
        assertNotNull(column(sub, a1, "first_attempt_at"), "a1 was");
    }

    @Test
    void aRunStopsAtAParkedEventAndAtOneWaitingForItsRetryTime() {
        String sub = subscription("ordered", "active");
        String a1 = queued(sub, "A");
        String a2 = queued(sub, "A");
        String a3 = queued(sub, "A");
        String b1 = queued(sub, "B");
        String b2 = queued(sub, "B");
        String b3 = queued(sub, "B");
        sql("update eb_delivery set state = 'DEAD' where subscription_id = ? and event_id = ?", sub, a2);
        sql(
                "update eb_delivery set available_at = now() + interval '1 hour' where subscription_id = ?"
                        + " and event_id = ?",
                sub,
                b2);

        assertEquals(List.of(a1, b1), ids(store.leaseRuns(sub, 10, MINUTE)), "neither a3 nor b2, b3 come along");
    }

    @Test
    void aDeadLetterInARunParksTheLaterEventsOfItsRun() {
        String sub = subscription("ordered", "active");
        String a1 = queued(sub, "A");
        String a2 = queued(sub, "A");
        String a3 = queued(sub, "A");
        List<Leased> run = store.leaseRuns(sub, 10, MINUTE);

        assertTrue(store.settle(
                run.get(0),
                attempt(AttemptResult.Outcome.REJECTED, 400),
                new Decision(Decision.Kind.DEAD, null, "400")));
        assertEquals(
                List.of("DEAD", "DEAD", "DEAD"),
                List.of(a1, a2, a3).stream()
                        .map(e -> status(sub, e).state().name())
                        .toList());
    }

    @Test
    void anUnorderedSubscriptionLeasesEventsOfOneKeyTogether() {
        String sub = subscription("unordered", "active");
        String a1 = queued(sub, "A");
        String a2 = queued(sub, "A");
        String a3 = queued(sub, "A");

        assertEquals(List.of(a1, a2, a3), ids(store.lease(sub, 10, MINUTE)));
    }

    @Test
    void aPausedOrDisabledSubscriptionGetsNothingUntilItIsActiveAgain() {
        String sub = subscription("ordered", "paused");
        String e1 = queued(sub, "A");

        assertEquals(List.of(), store.lease(sub, 10, MINUTE));
        sql("update eb_subscription set state = 'disabled' where id = ?", sub);
        assertEquals(List.of(), store.lease(sub, 10, MINUTE));
        assertEquals("PENDING", status(sub, e1).state().name());
        sql("update eb_subscription set state = 'active' where id = ?", sub);
        assertEquals(List.of(e1), ids(store.lease(sub, 10, MINUTE)));
    }

    @Test
    void anExpiredLeaseComesBackAsTheNextAttemptAndALiveOneDoesNot() {
        String sub = subscription("ordered", "active");
        String e1 = queued(sub, "A");

        Leased first = store.lease(sub, 10, Duration.ZERO).get(0);
        Leased second = store.lease(sub, 10, MINUTE).get(0);

        assertEquals(e1, second.event().envelope().id());
        assertEquals(first.deliveryId(), second.deliveryId());
        assertEquals(List.of(1, 2), List.of(first.attempt(), second.attempt()));
        assertEquals(first.firstAttemptAt(), second.firstAttemptAt(), "the first attempt's time is kept");
        assertEquals(List.of(), store.lease(sub, 10, MINUTE), "a live lease is not handed out twice");
    }

    @Test
    void settlingDeliveredRecordsTheAttemptOnceAndFreesTheNextEventOfTheKey() {
        String sub = subscription("ordered", "active");
        String a1 = queued(sub, "A");
        String a2 = queued(sub, "A");
        Leased leased = store.lease(sub, 10, MINUTE).get(0);

        assertTrue(store.settle(leased, attempt(AttemptResult.Outcome.SUCCESS, 200), DELIVERED));
        assertFalse(store.settle(leased, attempt(AttemptResult.Outcome.SUCCESS, 200), DELIVERED), "settled once");

        DeliveryStatus s = status(sub, a1);
        assertEquals("DELIVERED", s.state().name());
        assertNotNull(s.deliveredAt());
        List<DeliveryAttempt> attempts = history.attemptsOf(a1);
        assertEquals(1, attempts.size());
        assertEquals(
                List.of("SUCCESS", 200, 1, "pull"),
                List.of(
                        attempts.get(0).outcome(),
                        attempts.get(0).httpStatus(),
                        attempts.get(0).attempt(),
                        attempts.get(0).target()));
        assertEquals(List.of(a2), ids(store.lease(sub, 10, MINUTE)));
    }

    @Test
    void settlingRetryLeavesTheEventPendingUntilItsRetryTime() {
        String sub = subscription("unordered", "active");
        String e1 = queued(sub, null);
        Leased leased = store.lease(sub, 10, MINUTE).get(0);
        Instant retryAt = Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);

        assertTrue(store.settle(
                leased,
                attempt(AttemptResult.Outcome.FAILURE, 503),
                new Decision(Decision.Kind.RETRY, retryAt, "HTTP 503")));

        DeliveryStatus s = status(sub, e1);
        assertEquals("PENDING", s.state().name());
        assertEquals(retryAt, s.nextAttemptAt());
        assertEquals("HTTP 503", s.lastError());
        assertEquals(
                List.of("FAILURE"),
                history.attemptsOf(e1).stream().map(DeliveryAttempt::outcome).toList());
        assertEquals(List.of(), store.lease(sub, 10, MINUTE), "not due before its retry time");
        sql("update eb_delivery set available_at = now() where subscription_id = ?", sub);
        Leased again = store.lease(sub, 10, MINUTE).get(0);
        assertEquals(List.of(e1, 2), List.of(again.event().envelope().id(), again.attempt()));
    }

    /** One transaction settles a mixed batch exactly as one settle each would, attempts included. */
    @Test
    void settlingABatchDeliversRetriesAndKillsEachAsOneSettleWouldAndRecordsEveryAttempt() {
        String sub = subscription("ordered", "active");
        String a1 = queued(sub, "A");
        String a2 = queued(sub, "A");
        String b1 = queued(sub, "B");
        String c1 = queued(sub, "C");
        String d1 = queued(sub, "D");
        List<Leased> leased = store.lease(sub, 10, MINUTE);
        assertEquals(List.of(a1, b1, c1, d1), ids(leased));
        Instant later = Instant.now().plus(Duration.ofHours(1));
        java.util.Set<Long> settled = store.settleAll(List.of(
                new DeliveryQueue.Settlement(
                        leased.get(0),
                        attempt(AttemptResult.Outcome.REJECTED, 400),
                        new Decision(Decision.Kind.DEAD, null, "rejected: HTTP 400")),
                new DeliveryQueue.Settlement(leased.get(1), attempt(AttemptResult.Outcome.SUCCESS, 204), DELIVERED),
                new DeliveryQueue.Settlement(
                        leased.get(2),
                        attempt(AttemptResult.Outcome.FAILURE, 503),
                        new Decision(Decision.Kind.RETRY, later, "HTTP 503")),
                new DeliveryQueue.Settlement(leased.get(3), attempt(AttemptResult.Outcome.SUCCESS, 200), DELIVERED)));
        assertEquals(
                java.util.Set.of(
                        leased.get(0).deliveryId(),
                        leased.get(1).deliveryId(),
                        leased.get(2).deliveryId(),
                        leased.get(3).deliveryId()),
                settled);
        assertEquals("DEAD", status(sub, a1).state().name());
        assertEquals("DEAD", status(sub, a2).state().name(), "parked behind its key's dead letter");
        assertEquals("DELIVERED", status(sub, b1).state().name());
        assertEquals(
                List.of("PENDING", "HTTP 503"),
                List.of(status(sub, c1).state().name(), status(sub, c1).lastError()));
        assertEquals("DELIVERED", status(sub, d1).state().name());
        for (String id : List.of(a1, b1, c1, d1)) {
            assertEquals(1, history.attemptsOf(id).size(), id);
        }
        assertEquals(204, history.attemptsOf(b1).get(0).httpStatus());
        assertEquals("REJECTED", history.attemptsOf(a1).get(0).outcome());

        assertEquals(
                java.util.Set.of(),
                store.settleAll(List.of(new DeliveryQueue.Settlement(
                        leased.get(1), attempt(AttemptResult.Outcome.SUCCESS, 204), DELIVERED))),
                "a delivery settled already is not settled twice");
        assertEquals(1, history.attemptsOf(b1).size(), "nor is its attempt recorded twice");
    }

    @Test
    void settlingDeadParksTheLaterEventsOfItsKeyBehindIt() {
        String sub = subscription("ordered", "active");
        String a1 = queued(sub, "A");
        String a2 = queued(sub, "A");
        String a3 = queued(sub, "A");
        String b1 = queued(sub, "B");
        Leased head = store.lease(sub, 10, MINUTE).get(0);
        assertEquals(a1, head.event().envelope().id());

        assertTrue(store.settle(
                head,
                attempt(AttemptResult.Outcome.REJECTED, 400),
                new Decision(Decision.Kind.DEAD, null, "rejected: HTTP 400")));

        DeliveryStatus dead = status(sub, a1);
        assertEquals(List.of("DEAD", "rejected: HTTP 400"), List.of(dead.state().name(), dead.lastError()));
        assertNotNull(dead.deadAt());
        assertEquals(head.deliveryId(), dead.deadGroup());
        for (String parked : List.of(a2, a3)) {
            DeliveryStatus p = status(sub, parked);
            assertEquals("DEAD", p.state().name(), parked);
            assertEquals(head.deliveryId(), p.deadGroup(), parked);
            assertEquals("parked behind dead letter " + a1, p.lastError());
        }
        assertEquals("LEASED", status(sub, b1).state().name(), "other keys go on");
        assertNull(status(sub, b1).deadGroup());
        assertEquals(List.of(a1, a2, a3), deadLetters.parkedSequence(sub, head.deliveryId(), 10));
        assertEquals(3, deadLetters.deadLetterCount(sub, com.idynic.eventbus.broker.DeadLetterFilter.ALL));
    }

    @Test
    void aRedriveAndADiscardEachStoreTheirAuditRecordWithThemInOneCall() {
        String sub = subscription("unordered", "active");
        String a1 = queued(sub, null);
        String a2 = queued(sub, null);
        for (Leased l : store.lease(sub, 10, MINUTE)) {
            store.settle(
                    l,
                    attempt(AttemptResult.Outcome.REJECTED, 400),
                    new Decision(Decision.Kind.DEAD, null, "rejected: HTTP 400"));
        }

        assertEquals(1, deadLetters.redrive(sub, List.of(a1), "ops"));
        assertEquals(1, deadLetters.discard(sub, null, "obsolete", "ops"));

        assertEquals("PENDING", status(sub, a1).state().name());
        assertEquals("DISCARDED", status(sub, a2).state().name());
        assertEquals(
                1,
                count(
                        "select count(*) from eb_audit where subscription_id = ? and actor = 'ops' and action = 'redrive'"
                                + " and detail = ?",
                        sub,
                        a1 + " -> 1"));
        assertEquals(
                1,
                count(
                        "select count(*) from eb_audit where subscription_id = ? and actor = 'ops' and action = 'discard'"
                                + " and detail = ?",
                        sub,
                        "all -> 1: obsolete"));
    }

    @Test
    void anOrderedLeaseHandsAKeysEventsOutInPublishOrderWhenTheirRowsWereWrittenInAnotherOrder() {
        String sub = subscription("ordered", "active");
        String first = publish("k-resent");
        String second = publish("k-resent");
        String third = publish("k-resent");
        // Kafka held the first event after the others (the relay sent it again): its row is written last
        store.enqueue(second, "k-resent", List.of(sub));
        store.enqueue(third, "k-resent", List.of(sub));
        store.enqueue(first, "k-resent", List.of(sub));

        assertEquals(List.of(first, second, third), ids(store.leaseRuns(sub, 10, MINUTE)));
    }

    /**
     * Statistics taken before a burst (every row delivered then, thousands due now) once made PostgreSQL drive the
     * take from every due row of the table and read the candidates' events again for each (1.5 to 2.2 s per lease
     * in a soak). The take reads each candidate's event once, whatever the statistics say.
     */
    @Test
    void theTakeReadsEachCandidatesEventOnceWhenTheStatisticsPredateABurst() throws SQLException {
        String busy = subscription("unordered", "active");
        queueBehind(busy, "burst", 3_000);
        sql("update eb_delivery set state = 'DELIVERED' where subscription_id = ?", busy);
        sql("analyze eb_delivery");
        sql("update eb_delivery set state = 'PENDING' where subscription_id = ?", busy);
        String sub = subscription("unordered", "active");
        queueBehind(sub, "k", 50);
        Long[] candidates;
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("select id from eb_delivery where subscription_id = ?")) {
            ps.setString(1, sub);
            List<Long> found = new java.util.ArrayList<>();
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(rs.getLong(1));
                }
            }
            candidates = found.toArray(Long[]::new);
        }

        JsonObject plan;
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("explain (analyze, format json) " + DeliverySql.TAKE)) {
                java.sql.Array ids = c.createArrayOf("bigint", candidates);
                ps.setArray(1, ids);
                ps.setLong(2, MINUTE.toMillis());
                ps.setLong(3, JdbcDeliveryQueue.LEASE_BYTES);
                ps.setArray(4, ids);
                try (java.sql.ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    plan = Json.createReader(new java.io.StringReader(rs.getString(1)))
                            .readArray()
                            .getJsonObject(0)
                            .getJsonObject("Plan");
                }
            } finally {
                c.rollback();
            }
        }

        assertEquals(50, eventRowsRead(plan), "event rows read, plan: " + plan);
    }

    /** @return the rows the plan read from the event table's partitions (rows per loop times loops) */
    static long eventRowsRead(JsonObject node) {
        long n = 0;
        String relation = node.getString("Relation Name", "");
        if (relation.startsWith("eb_event_p") || relation.equals("eb_event_default")) {
            n += node.getJsonNumber("Actual Rows").longValue()
                    * node.getJsonNumber("Actual Loops").longValue();
        }
        if (node.containsKey("Plans")) {
            for (var child : node.getJsonArray("Plans")) {
                n += eventRowsRead(child.asJsonObject());
            }
        }
        return n;
    }

    static long count(String sql, Object... params) {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aDeadLetterOfAnUnorderedSubscriptionParksNothing() {
        String sub = subscription("unordered", "active");
        String a1 = queued(sub, "A");
        String a2 = queued(sub, "A");
        Leased head = store.lease(sub, 1, MINUTE).get(0);
        assertEquals(a1, head.event().envelope().id());

        store.settle(
                head,
                attempt(AttemptResult.Outcome.REJECTED, 400),
                new Decision(Decision.Kind.DEAD, null, "rejected: HTTP 400"));

        assertEquals("DEAD", status(sub, a1).state().name());
        assertEquals("PENDING", status(sub, a2).state().name());
        assertEquals(List.of(a2), ids(store.lease(sub, 10, MINUTE)));
    }
}
