package com.idynic.eventbus.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.idynic.eventbus.broker.AttemptResult;
import com.idynic.eventbus.broker.Decision;
import com.idynic.eventbus.broker.spi.DeliveryAttempt;
import com.idynic.eventbus.broker.spi.DeliveryState;
import com.idynic.eventbus.broker.spi.DeliveryStatus;
import com.idynic.eventbus.broker.spi.EventSearch;
import com.idynic.eventbus.broker.spi.Leased;
import com.idynic.eventbus.broker.spi.RetentionStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import jakarta.json.Json;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Finished deliveries moving to the delivery history, on a real PostgreSQL migrated from {@code sql/}: what moves,
 * what stays, and that every reader (status, attempts, search, replay, retention) still finds them afterwards.
 * Each test makes its own subscriptions and event types, and asserts only on its own rows.
 */
class JdbcDeliveryArchiveTest {
    static final Duration MINUTE = Duration.ofMinutes(1);
    static final Decision DELIVERED = new Decision(Decision.Kind.DELIVERED, null, null);

    static EmbeddedPostgres postgres;
    static DataSource ds;
    static final JdbcDeliveryQueue queue = new JdbcDeliveryQueue();
    static final JdbcDeliveryArchive archive = new JdbcDeliveryArchive();
    static final JdbcDeliveryHistory history = new JdbcDeliveryHistory();
    static final JdbcEventSearch search = new JdbcEventSearch();
    static final JdbcRetentionStore retention = new JdbcRetentionStore();

    @BeforeAll
    static void start() throws IOException {
        postgres = EmbeddedPostgres.start();
        ds = postgres.getPostgresDatabase();
        Database database = new Database();
        database.ds = ds;
        database.migrate();
        queue.ds = ds;
        archive.ds = ds;
        history.ds = ds;
        search.ds = ds;
        retention.ds = ds;
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

    static long count(String sql, Object... params) {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static String subscription() {
        String id = "sub-" + UUID.randomUUID();
        sql(
                "insert into eb_subscription (id, owner, event_types, target_type, ordering, state)"
                        + " values (?, 'svc', 'it.t', 'pull', 'unordered', 'active')",
                id);
        return id;
    }

    static String type() {
        return "it.h" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Stores an event of {@code type} accepted at {@code acceptedAt}, as publishing does, and queues it. */
    static String queued(String sub, String type, Instant acceptedAt) {
        String id = "evt-" + UUID.randomUUID();
        String payload = Json.createObjectBuilder()
                .add("id", id)
                .add("eventType", type)
                .add("source", "svc")
                .add("timestamp", "2026-01-01T00:00:00Z")
                .add("data", Json.createObjectBuilder())
                .add("metadata", Json.createObjectBuilder())
                .build()
                .toString();
        sql("insert into eb_event_id (id, accepted_at) values (?, ?)", id, Timestamp.from(acceptedAt));
        sql(
                "insert into eb_event (id, event_type, source, occurred_at, payload, content_hash, receipt,"
                        + " accepted_at) select ?, ?, 'svc', now(), ?, repeat('0', 64), 'rcpt-h', i.accepted_at"
                        + " from eb_event_id i where i.id = ?",
                id,
                type,
                payload,
                id);
        queue.enqueue(id, null, List.of(sub));
        return id;
    }

    static String queued(String sub) {
        return queued(sub, type(), Instant.now());
    }

    /** Leases the subscription's one queued event and settles it as {@code decision}, recording an attempt. */
    static Leased settled(String sub, AttemptResult.Outcome outcome, int status, Decision decision) {
        List<Leased> leased = queue.lease(sub, 10, MINUTE);
        assertEquals(1, leased.size());
        AttemptResult a = new AttemptResult(outcome, Instant.now(), Duration.ofMillis(7), "pull", status, null, null);
        assertTrue(queue.settle(leased.get(0), a, decision));
        return leased.get(0);
    }

    static Leased delivered(String sub) {
        return settled(sub, AttemptResult.Outcome.SUCCESS, 200, DELIVERED);
    }

    static long inQueue(String eventId) {
        return count("select count(*) from eb_delivery where event_id = ?", eventId);
    }

    static long inHistory(String eventId) {
        return count("select count(*) from eb_delivery_history where event_id = ?", eventId);
    }

    static int moveAll() {
        return archive.moveFinished(Instant.now().plus(MINUTE), 5_000);
    }

    @Test
    void aDeliveredRowPastTheWindowLeavesTheQueueAndItsStateAndAttemptStayReadable() {
        String sub = subscription();
        String type = type();
        String e = queued(sub, type, Instant.now());
        Leased leased = delivered(sub);

        assertTrue(moveAll() >= 1);

        assertEquals(List.of(0L, 1L), List.of(inQueue(e), inHistory(e)));
        List<DeliveryStatus> states = history.statusOf(e);
        assertEquals(1, states.size(), states.toString());
        DeliveryStatus s = states.get(0);
        assertEquals(
                List.of(leased.deliveryId(), sub, DeliveryState.DELIVERED, 1),
                List.of(s.deliveryId(), s.subscriptionId(), s.state(), s.attempts()));
        assertNotNull(s.deliveredAt());
        List<DeliveryAttempt> attempts = history.attemptsOf(e);
        assertEquals(1, attempts.size(), attempts.toString());
        assertEquals(
                List.of(sub, "SUCCESS", 200, 1),
                List.of(
                        attempts.get(0).subscriptionId(),
                        attempts.get(0).outcome(),
                        attempts.get(0).httpStatus(),
                        attempts.get(0).attempt()));
        List<EventSearch.Hit> hits = search.search(new EventSearch.Criteria(type, null, null, null, null, 0, 10));
        assertEquals(
                List.of(DeliveryState.DELIVERED),
                hits.get(0).deliveries().stream().map(DeliveryStatus::state).toList(),
                "search shows the moved delivery");
    }

    @Test
    void aTypeAndTimeRangePageHasExactlyTheEventsInTheRangeEvenWhenSequenceAndTimeDisagreeALittle() {
        String sub = subscription();
        String type = type();
        // later than every other test's events: the store's events are accepted in sequence order, give or take
        // JdbcEventSearch.SEQ_SLACK, and so are these
        Instant from = Instant.now().plus(Duration.ofDays(2)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Instant to = from.plus(Duration.ofHours(1));
        queued(sub, type, from.minus(Duration.ofHours(1)));
        String inFirst = queued(sub, type, from.plusSeconds(10));
        queued(sub, type(), from.plusSeconds(20));
        // stored after inFirst but accepted before the range: its sequence number is the higher one
        queued(sub, type, from.minusSeconds(30));
        String inLast = queued(sub, type, to.minusSeconds(1));
        queued(sub, type, to);
        queued(sub, type, to.plusSeconds(30));

        List<EventSearch.Hit> hits = search.search(new EventSearch.Criteria(type, null, null, from, to, 0, 10));

        assertEquals(
                List.of(inFirst, inLast),
                hits.stream().map(h -> h.event().envelope().id()).toList());
    }

    @Test
    void onlyDeliveredAndDiscardedRowsPastTheWindowMove() {
        String delivering = subscription();
        String withholding = subscription();
        String killing = subscription();
        String waiting = subscription();
        String holding = subscription();
        String delivered = queued(delivering);
        delivered(delivering);
        String withheld = queued(withholding);
        assertTrue(queue.withhold(queue.lease(withholding, 1, MINUTE).get(0), "permission withdrawn"));
        String dead = queued(killing);
        settled(killing, AttemptResult.Outcome.REJECTED, 400, new Decision(Decision.Kind.DEAD, null, "rejected"));
        String pending = queued(waiting);
        String leased = queued(holding);
        assertEquals(1, queue.lease(holding, 1, MINUTE).size());

        archive.moveFinished(Instant.now().minus(Duration.ofMinutes(10)), 5_000);
        assertEquals(List.of(1L, 1L), List.of(inQueue(delivered), inQueue(withheld)), "inside the window: stay");

        moveAll();
        assertEquals(List.of(1L, 1L), List.of(inHistory(delivered), inHistory(withheld)), "finished: moved");
        assertEquals(DeliveryState.DISCARDED, history.statusOf(withheld).get(0).state());
        for (String owed : List.of(dead, pending, leased)) {
            assertEquals(List.of(1L, 0L), List.of(inQueue(owed), inHistory(owed)), owed + " is still owed");
        }
    }

    @Test
    void aBatchMovesAtMostItsLimitOldestFirst() {
        String sub = subscription();
        String e1 = queued(sub);
        delivered(sub);
        String e2 = queued(sub);
        delivered(sub);
        String e3 = queued(sub);
        delivered(sub);
        Instant epoch = Instant.parse("1990-01-01T00:00:00Z");
        sql("update eb_delivery set delivered_at = ? where event_id = ?", Timestamp.from(epoch.plusSeconds(3)), e1);
        sql("update eb_delivery set delivered_at = ? where event_id = ?", Timestamp.from(epoch.plusSeconds(1)), e2);
        sql("update eb_delivery set delivered_at = ? where event_id = ?", Timestamp.from(epoch.plusSeconds(2)), e3);

        assertEquals(2, archive.moveFinished(epoch.plus(Duration.ofDays(1)), 2));
        assertEquals(List.of(1L, 0L, 0L), List.of(inQueue(e1), inQueue(e2), inQueue(e3)));
        assertEquals(1, archive.moveFinished(epoch.plus(Duration.ofDays(1)), 2));
        assertEquals(0, inQueue(e1));
    }

    @Test
    void aReplayAfterTheMoveQueuesTheEventAgainBesideItsEarlierDelivery() {
        String sub = subscription();
        String e = queued(sub);
        delivered(sub);
        moveAll();

        assertEquals(1, queue.requeue(sub, List.of(e)));

        assertEquals(
                List.of(DeliveryState.PENDING, DeliveryState.DELIVERED),
                history.statusOf(e).stream().map(DeliveryStatus::state).toList(),
                "the newest delivery first");
        Leased again = queue.lease(sub, 10, MINUTE).get(0);
        assertEquals(List.of(e, 1, true), List.of(again.event().envelope().id(), again.attempt(), again.replay()));
    }

    @Test
    void retentionRemovesAMovedDeliveryAndItsAttemptsWithTheirEvent() {
        String sub = subscription();
        String type = type();
        String e = queued(sub, type, Instant.now());
        delivered(sub);
        moveAll();

        RetentionStore.Batch b = retention.purge(
                type, null, RetentionStore.Position.before(Instant.now().plus(MINUTE)), 1000, Duration.ofSeconds(20));

        assertEquals(1, b.removed());
        assertEquals(0, inHistory(e));
        assertEquals(0, count("select count(*) from eb_delivery_attempt where event_id = ?", e));
        assertEquals(0, count("select count(*) from eb_event_id where id = ?", e));
    }

    @Test
    void droppingADayDropsThatDaysDeliveryHistoryAndAttemptsWithIt() {
        LocalDate day = LocalDate.now(ZoneOffset.UTC).minusDays(20);
        String suffix = day.format(DateTimeFormatter.BASIC_ISO_DATE);
        sql("select eb_event_partition(?::date)", day.toString());
        for (String table : List.of("eb_event_p", "eb_delivery_history_p", "eb_delivery_attempt_p")) {
            assertEquals(1, count("select count(*) from pg_class where relname = ?", table + suffix), table);
        }
        String sub = subscription();
        String e = queued(sub, type(), day.atTime(12, 0).toInstant(ZoneOffset.UTC));
        delivered(sub);
        moveAll();
        assertEquals(1, count("select count(*) from eb_delivery_history_p" + suffix + " where event_id = ?", e));
        assertEquals(1, count("select count(*) from eb_delivery_attempt_p" + suffix + " where event_id = ?", e));

        assertTrue(retention.dropDay(day, Duration.ofSeconds(20)).isPresent());

        for (String table : List.of("eb_event_p", "eb_delivery_history_p", "eb_delivery_attempt_p")) {
            assertEquals(0, count("select count(*) from pg_class where relname = ?", table + suffix), table);
        }
        assertEquals(0, count("select count(*) from eb_event_id where id = ?", e));
    }
}
