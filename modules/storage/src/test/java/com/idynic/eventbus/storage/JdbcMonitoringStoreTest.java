package com.idynic.eventbus.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.idynic.eventbus.admin.spi.MonitoringStore.AttemptStats;
import com.idynic.eventbus.admin.spi.MonitoringStore.QueueCounts;
import com.idynic.eventbus.broker.AttemptResult;
import java.io.IOException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator's delivery figures on a real PostgreSQL migrated from {@code sql/}: open and dead rows per
 * subscription, and the attempts of a window with the percentiles of publish-to-acknowledgement time. Each test makes
 * its own subscriptions and asserts on them only (the whole-bus row sums every test's).
 */
class JdbcMonitoringStoreTest {
    static final JdbcMonitoringStore store = new JdbcMonitoringStore();

    @BeforeAll
    static void start() throws IOException {
        JdbcDeliveryArchiveTest.start();
        store.ds = JdbcDeliveryArchiveTest.ds;
    }

    @AfterAll
    static void stop() throws IOException {
        JdbcDeliveryArchiveTest.stop();
    }

    static QueueCounts counts(String sub) {
        return store.queues().stream()
                .filter(q -> q.subscriptionId().equals(sub))
                .findFirst()
                .orElseThrow();
    }

    static AttemptStats stats(String sub, Instant since) {
        return store.attempts(since).stream()
                .filter(s -> sub.equals(s.subscriptionId()))
                .findFirst()
                .orElseThrow();
    }

    /** Records an attempt of {@code sub} that began at {@code started}, {@code latencyMs} after its event's acceptance. */
    static void attempt(String sub, Instant started, long latencyMs, String outcome, boolean replay) {
        JdbcDeliveryArchiveTest.sql(
                "insert into eb_delivery_attempt (delivery_id, accepted_at, started_at, duration_ms, attempt,"
                        + " subscription_id, event_id, target, outcome, replay) values (0, ?, ?, 0, 1, ?, 'evt-x',"
                        + " 'pull', ?, ?)",
                Timestamp.from(started.minusMillis(latencyMs)),
                Timestamp.from(started),
                sub,
                outcome,
                replay);
    }

    @Test
    void eachSubscriptionCountsItsOpenAndDeadRowsAndAQuietOneCountsZero() {
        String busy = JdbcDeliveryArchiveTest.subscription();
        String quiet = JdbcDeliveryArchiveTest.subscription();
        for (int i = 0; i < 4; i++) {
            JdbcDeliveryArchiveTest.queued(busy);
        }
        JdbcDeliveryArchiveTest.sql(
                "update eb_delivery set state = 'LEASED', lease_until = now() + interval '1 minute'"
                        + " where id = (select min(id) from eb_delivery where subscription_id = ?)",
                busy);
        JdbcDeliveryArchiveTest.sql(
                "update eb_delivery set state = 'DEAD', dead_at = now() where id = (select max(id) from eb_delivery"
                        + " where subscription_id = ?)",
                busy);
        JdbcDeliveryArchiveTest.sql(
                "update eb_delivery set state = 'DELIVERED', delivered_at = now() where id = (select max(id)"
                        + " from eb_delivery where subscription_id = ? and state = 'PENDING')",
                busy);

        QueueCounts b = counts(busy);
        assertEquals(
                new QueueCounts(busy, 2, 1),
                new QueueCounts(busy, b.open(), b.dead()),
                "one pending, one leased; one dead; one delivered");
        assertEquals(new QueueCounts(quiet, 0, 0), counts(quiet));
    }

    @Test
    void theOldestOwedRowIsWhenTheOldestPendingOrLeasedRowWasQueuedNotAnyDeliveredOrDeadOne() {
        String sub = JdbcDeliveryArchiveTest.subscription();
        Instant t0 = Instant.parse("2026-12-01T10:00:00Z");
        for (int i = 0; i < 4; i++) {
            JdbcDeliveryArchiveTest.queued(sub);
        }
        String ids = "(select id from eb_delivery where subscription_id = ? order by id offset ? limit 1)";
        JdbcDeliveryArchiveTest.sql(
                "update eb_delivery set state = 'DELIVERED', delivered_at = now(), created_at = ? where id = " + ids,
                Timestamp.from(t0),
                sub,
                0);
        JdbcDeliveryArchiveTest.sql(
                "update eb_delivery set state = 'DEAD', dead_at = now(), created_at = ? where id = " + ids,
                Timestamp.from(t0.plusSeconds(10)),
                sub,
                1);
        JdbcDeliveryArchiveTest.sql(
                "update eb_delivery set state = 'LEASED', lease_until = now() + interval '1 minute', created_at = ?"
                        + " where id = " + ids,
                Timestamp.from(t0.plusSeconds(20)),
                sub,
                2);
        JdbcDeliveryArchiveTest.sql(
                "update eb_delivery set created_at = ? where id = " + ids, Timestamp.from(t0.plusSeconds(30)), sub, 3);

        assertEquals(new QueueCounts(sub, 2, 1, t0.plusSeconds(20)), counts(sub));
        assertNull(counts(JdbcDeliveryArchiveTest.subscription()).oldestOpen(), "nothing owed, no oldest row");
    }

    @Test
    void theOldestOwedRowIsOneProbeOfTheOpenSinceIndexNotAReadOfDeliveredHistory() throws java.sql.SQLException {
        try (java.sql.Connection c = JdbcDeliveryArchiveTest.ds.getConnection();
                java.sql.Statement s = c.createStatement()) {
            s.execute("set enable_seqscan = off");
            try (java.sql.ResultSet rs = s.executeQuery("explain " + JdbcMonitoringStore.QUEUES)) {
                StringBuilder plan = new StringBuilder();
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
                assertTrue(plan.toString().contains("eb_delivery_open_since"), plan.toString());
            }
        }
    }

    @Test
    void theWindowsAttemptsGiveTheSuccessRateAndPercentilesOfLiveDeliveriesOnly() {
        String sub = JdbcDeliveryArchiveTest.subscription();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        for (int ms = 1; ms <= 100; ms++) {
            attempt(sub, now.minusSeconds(10), ms, "SUCCESS", false);
        }
        attempt(sub, now.minusSeconds(10), 5, "FAILURE", false);
        attempt(sub, now.minusSeconds(10), 5, "REJECTED", false);
        attempt(sub, now.minusSeconds(10), 86_400_000, "SUCCESS", true);
        attempt(sub, now.minusSeconds(400), 1, "FAILURE", false);

        AttemptStats s = stats(sub, now.minus(Duration.ofMinutes(5)));

        assertEquals(List.of(103L, 101L, 100L), List.of(s.finished(), s.succeeded(), s.timed()));
        assertEquals(Duration.ofNanos(50_500_000), s.p50());
        assertEquals(Duration.ofNanos(95_050_000), s.p95());
        assertEquals(Duration.ofNanos(99_010_000), s.p99());
        AttemptStats all = store.attempts(now.minus(Duration.ofMinutes(5))).stream()
                .filter(a -> a.subscriptionId() == null)
                .findFirst()
                .orElseThrow();
        assertTrue(all.finished() >= 103, all.toString());
    }

    @Test
    void aBusyWindowsPercentilesComeFromASampleAndAQuietSubscriptionsStayExact() {
        String busy = JdbcDeliveryArchiveTest.subscription();
        String quiet = JdbcDeliveryArchiveTest.subscription();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        JdbcDeliveryArchiveTest.sql(
                "insert into eb_delivery_attempt (delivery_id, accepted_at, started_at, duration_ms, attempt,"
                        + " subscription_id, event_id, target, outcome, replay)"
                        + " select 0, ?::timestamptz - g * interval '1 millisecond', ?, 0, 1, ?, 'evt-x', 'pull', 'SUCCESS', false"
                        + " from generate_series(1, 4000) g",
                Timestamp.from(now.minusSeconds(10)),
                Timestamp.from(now.minusSeconds(10)),
                busy);
        for (int ms = 1; ms <= 20; ms++) {
            attempt(quiet, now.minusSeconds(10), ms, "SUCCESS", false);
        }
        store.sample = 400;
        store.exactBelow = 100;
        try {
            AttemptStats b = stats(busy, now.minus(Duration.ofMinutes(5)));
            AttemptStats q = stats(quiet, now.minus(Duration.ofMinutes(5)));

            assertEquals(List.of(4000L, 4000L, 4000L), List.of(b.finished(), b.succeeded(), b.timed()), "exact counts");
            long p50 = b.p50().toMillis();
            assertTrue(p50 > 1600 && p50 < 2400, "a sample's median of 1..4000 ms: " + p50);
            assertEquals(Duration.ofNanos(10_500_000), q.p50(), "a quiet subscription's percentiles stay exact");
            assertEquals(Duration.ofNanos(19_810_000), q.p99());
        } finally {
            store.sample = 20_000;
            store.exactBelow = 5_000;
        }
    }

    @Test
    void aSubscriptionWithOnlyFailuresHasNoPercentiles() {
        String sub = JdbcDeliveryArchiveTest.subscription();
        attempt(sub, Instant.now(), 5, "FAILURE", false);

        AttemptStats s = stats(sub, Instant.now().minusSeconds(60));

        assertEquals(List.of(1L, 0L, 0L), List.of(s.finished(), s.succeeded(), s.timed()));
        assertNull(s.p50());
        assertNull(s.p99());
    }

    @Test
    void aSettledReplayIsRecordedAsOne() {
        String sub = JdbcDeliveryArchiveTest.subscription();
        String e = JdbcDeliveryArchiveTest.queued(sub);
        JdbcDeliveryArchiveTest.delivered(sub);
        assertEquals(1, JdbcDeliveryArchiveTest.queue.requeue(sub, List.of(e)));
        JdbcDeliveryArchiveTest.settled(sub, AttemptResult.Outcome.SUCCESS, 200, JdbcDeliveryArchiveTest.DELIVERED);

        AttemptStats s = stats(sub, Instant.now().minusSeconds(60));

        assertEquals(List.of(2L, 2L, 1L), List.of(s.finished(), s.succeeded(), s.timed()), "the replay is not timed");
    }
}
