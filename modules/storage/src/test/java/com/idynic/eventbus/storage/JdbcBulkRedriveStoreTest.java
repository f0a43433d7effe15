package com.idynic.eventbus.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.idynic.eventbus.broker.DeadLetterFilter;
import com.idynic.eventbus.broker.spi.BulkRedriveStore;
import com.idynic.eventbus.broker.spi.BulkRedriveStore.Job;
import com.idynic.eventbus.broker.spi.DeliveryStatus;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bulk redrive jobs on a real PostgreSQL, migrated from {@code sql/}; reuses the delivery queue test's helpers. */
class JdbcBulkRedriveStoreTest {
    static EmbeddedPostgres postgres;
    static final JdbcBulkRedriveStore jobs = new JdbcBulkRedriveStore();

    @BeforeAll
    static void start() throws IOException {
        postgres = EmbeddedPostgres.start();
        JdbcDeliveryQueueTest.ds = postgres.getPostgresDatabase();
        Database database = new Database();
        database.ds = JdbcDeliveryQueueTest.ds;
        database.migrate();
        JdbcDeliveryQueueTest.store.ds = JdbcDeliveryQueueTest.ds;
        JdbcDeliveryQueueTest.deadLetters.ds = JdbcDeliveryQueueTest.ds;
        JdbcDeliveryQueueTest.history.ds = JdbcDeliveryQueueTest.ds;
        jobs.ds = JdbcDeliveryQueueTest.ds;
    }

    @AfterAll
    static void stop() throws IOException {
        postgres.close();
    }

    /** Queues an event and makes its delivery a dead letter with this error. */
    static String dead(String sub, String error) {
        String id = JdbcDeliveryQueueTest.queued(sub, null);
        JdbcDeliveryQueueTest.sql(
                "update eb_delivery set state = 'DEAD', dead_at = now(), last_error = ? where event_id = ?", error, id);
        return id;
    }

    static DeliveryStatus status(String sub, String eventId) {
        return JdbcDeliveryQueueTest.status(sub, eventId);
    }

    static Job job(String sub, DeadLetterFilter f) {
        String id = "rdr-" + java.util.UUID.randomUUID().toString().substring(0, 13);
        return new Job(id, sub, f, 10, "running", 0, 0, 0, 0, null, "ops", Instant.now(), Instant.now());
    }

    @Test
    void aJobCoversTheMatchingDeadLettersOfItsStartAndRedrivesThemInStepsRecordingProgress() {
        String sub = JdbcDeliveryQueueTest.subscription("unordered", "active");
        List<String> matching = new ArrayList<>();
        List<String> others = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            matching.add(dead(sub, "HTTP 503 from target"));
            others.add(dead(sub, "rejected: HTTP 400"));
        }
        Job j = job(sub, DeadLetterFilter.of(null, "503"));

        assertEquals(Optional.empty(), jobs.create(j));
        Job stored = jobs.find(j.id()).orElseThrow();
        assertEquals(5, stored.total());
        assertEquals("running", stored.state());
        // a dead letter that dies after the start is not the job's
        String later = dead(sub, "HTTP 503 later");

        assertEquals(new BulkRedriveStore.Step(true, 2, 2, false), jobs.step(j.id(), 2));
        assertEquals(new BulkRedriveStore.Step(true, 2, 4, false), jobs.step(j.id(), 2));
        assertEquals(new BulkRedriveStore.Step(true, 1, 5, true), jobs.step(j.id(), 2));
        assertEquals(new BulkRedriveStore.Step(false, 0, 5, false), jobs.step(j.id(), 2));

        Job done = jobs.find(j.id()).orElseThrow();
        assertEquals(List.of("done", 5L, 5L), List.of(done.state(), done.total(), done.done()));
        for (String e : matching) {
            DeliveryStatus s = status(sub, e);
            assertEquals("PENDING", s.state().name(), e);
            assertEquals(1, s.redriveCount(), e);
            assertNotNull(s.redrivenAt(), e);
        }
        for (String e : others) {
            assertEquals("DEAD", status(sub, e).state().name(), e);
            assertEquals(0, status(sub, e).redriveCount(), e);
        }
        assertEquals("DEAD", status(sub, later).state().name());
        assertEquals(
                1,
                JdbcDeliveryQueueTest.count(
                        "select count(*) from eb_audit where subscription_id = ? and actor = 'ops'"
                                + " and action = 'redrive-all' and detail = ?",
                        sub,
                        j.id() + " error~\"503\" -> 5 at 10.0/s"));
    }

    @Test
    void oneJobRunsPerSubscriptionAndACancelStopsItAudited() {
        String sub = JdbcDeliveryQueueTest.subscription("unordered", "active");
        for (int i = 0; i < 3; i++) {
            dead(sub, "HTTP 503");
        }
        Job first = job(sub, DeadLetterFilter.ALL);
        assertEquals(Optional.empty(), jobs.create(first));

        Optional<Job> refused = jobs.create(job(sub, DeadLetterFilter.of("it.t", null)));

        assertEquals(first.id(), refused.orElseThrow().id());
        assertEquals(new BulkRedriveStore.Step(true, 1, 1, false), jobs.step(first.id(), 1));
        assertTrue(jobs.cancel(first.id(), "ops"));
        assertFalse(jobs.cancel(first.id(), "ops"), "already cancelled");
        assertEquals(new BulkRedriveStore.Step(false, 0, 1, false), jobs.step(first.id(), 1));
        assertEquals(
                2, JdbcDeliveryQueueTest.deadLetters.deadLetterCount(sub, DeadLetterFilter.ALL), "the rest stays dead");
        assertEquals("cancelled", jobs.find(first.id()).orElseThrow().state());
        assertEquals(
                1,
                JdbcDeliveryQueueTest.count(
                        "select count(*) from eb_audit where subscription_id = ? and action = 'redrive-all-cancel'",
                        sub));
        // once it ended, another may start
        assertEquals(Optional.empty(), jobs.create(job(sub, DeadLetterFilter.ALL)));
    }

    @Test
    void aRunningJobIsClaimedByOneOwnerUntilItsClaimGoesStale() {
        String sub = JdbcDeliveryQueueTest.subscription("unordered", "active");
        dead(sub, "x");
        Job j = job(sub, DeadLetterFilter.ALL);
        jobs.create(j);

        assertTrue(jobs.claimRunnable("srv-a").stream().anyMatch(x -> x.id().equals(j.id())));
        assertFalse(jobs.claimRunnable("srv-b").stream().anyMatch(x -> x.id().equals(j.id())));
        JdbcDeliveryQueueTest.sql(
                "update eb_dead_letter_redrive set updated_at = now() - interval '31 seconds' where id = ?", j.id());
        assertTrue(jobs.claimRunnable("srv-b").stream().anyMatch(x -> x.id().equals(j.id())));
    }

    @Test
    void theFilterSelectsByTypeErrorAndDeathTime() {
        String sub = JdbcDeliveryQueueTest.subscription("unordered", "active");
        String a = dead(sub, "HTTP 503");
        JdbcDeliveryQueueTest.sql("update eb_delivery set dead_at = '2026-01-01T00:00:00Z' where event_id = ?", a);
        dead(sub, "HTTP 503");
        Instant jan2 = Instant.parse("2026-01-02T00:00:00Z");
        var store = JdbcDeliveryQueueTest.deadLetters;

        assertEquals(2, store.deadLetterCount(sub, DeadLetterFilter.of("it.t", "503")));
        assertEquals(0, store.deadLetterCount(sub, DeadLetterFilter.of("other.type", null)));
        assertEquals(1, store.deadLetterCount(sub, new DeadLetterFilter(null, null, null, jan2)));
        assertEquals(1, store.deadLetterCount(sub, new DeadLetterFilter(null, null, jan2, null)));
        assertEquals(
                List.of(a),
                store.deadLetters(sub, new DeadLetterFilter(null, "503", null, jan2), 0, 10).stream()
                        .map(DeliveryStatus::eventId)
                        .toList());
    }
}
