package com.idynic.eventbus.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.idynic.eventbus.broker.spi.BulkRedriveStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BulkRedriveRunnerTest {
    static final long MS = 1_000_000;

    /** A store whose jobs each hold a number of dead letters left; steps take from them. */
    static class FakeStore implements BulkRedriveStore {
        final Map<String, Job> jobs = new HashMap<>();
        final Map<String, Integer> left = new HashMap<>();
        final List<String> steps = new ArrayList<>();
        final FakePacing pacing;

        FakeStore(FakePacing pacing) {
            this.pacing = pacing;
        }

        void add(String id, double rate, int deadLetters) {
            jobs.put(
                    id,
                    new Job(
                            id,
                            "sub-" + id,
                            DeadLetterFilter.ALL,
                            rate,
                            "running",
                            deadLetters,
                            0,
                            0,
                            0,
                            null,
                            "ops",
                            Instant.EPOCH,
                            Instant.EPOCH));
            left.put(id, deadLetters);
        }

        @Override
        public Optional<Job> create(Job job) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<Job> find(String id) {
            return Optional.ofNullable(jobs.get(id));
        }

        @Override
        public List<Job> claimRunnable(String owner) {
            return jobs.values().stream()
                    .filter(Job::running)
                    .sorted((a, b) -> a.id().compareTo(b.id()))
                    .toList();
        }

        @Override
        public Step step(String id, int limit) {
            Job j = jobs.get(id);
            steps.add(id + "@" + (pacing == null ? 0 : pacing.now / MS) + ":" + limit);
            if (!j.running()) {
                return new Step(false, 0, j.done(), false);
            }
            int n = Math.min(limit, left.get(id));
            left.put(id, left.get(id) - n);
            boolean finished = n < limit;
            jobs.put(id, with(j, finished ? "done" : "running", j.done() + n));
            return new Step(true, n, j.done() + n, finished);
        }

        @Override
        public void fail(String id, String error) {
            jobs.put(id, with(jobs.get(id), "failed", jobs.get(id).done()));
        }

        @Override
        public boolean cancel(String id, String actor) {
            Job j = jobs.get(id);
            jobs.put(id, with(j, "cancelled", j.done()));
            return j.running();
        }

        static Job with(Job j, String state, long done) {
            return new Job(
                    j.id(),
                    j.subscriptionId(),
                    j.filter(),
                    j.ratePerSecond(),
                    state,
                    j.total(),
                    done,
                    j.upToId(),
                    j.lastId(),
                    j.error(),
                    j.actor(),
                    j.createdAt(),
                    j.updatedAt());
        }
    }

    static final class FakePacing implements BulkRedriveRunner.Pacing {
        long now;

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void sleep(long nanos) {
            now += nanos;
        }
    }

    final FakePacing pacing = new FakePacing();
    final FakeStore store = new FakeStore(pacing);
    final Signal enqueued = new Signal();
    final BulkRedriveRunner runner = new BulkRedriveRunner(store, enqueued, pacing);

    /** Runs the runner's pass as its loop does, sleeping (on the fake clock) as long as it asks. */
    void runFor(long nanos) throws InterruptedException {
        long end = pacing.now + nanos;
        long lastClaim = Long.MIN_VALUE / 2;
        while (pacing.now < end) {
            if (pacing.now - lastClaim >= BulkRedriveRunner.CLAIM_EVERY_NANOS) {
                runner.claim();
                lastClaim = pacing.now;
            }
            long wait = Math.min(BulkRedriveRunner.CLAIM_EVERY_NANOS - (pacing.now - lastClaim), runner.stepDue());
            pacing.sleep(Math.max(1, wait));
        }
    }

    @Test
    void aStepTakesATenthOfASecondsWorthAndTheNextWaitsUntilTheRateAllowsIt() throws Exception {
        store.add("a", 20, 7);

        runFor(2_000 * MS);

        // 20/s: 2 per step, one step every 100 ms; the 4th step finds 1 (< 2) and ends the job
        assertEquals(List.of("a@0:2", "a@100:2", "a@200:2", "a@300:2"), store.steps);
        assertEquals("done", store.jobs.get("a").state());
        assertEquals(7, store.jobs.get("a").done());
        assertEquals(0, runner.runningJobs());
    }

    @Test
    void theChunkIsOneToAHundred() {
        assertEquals(1, BulkRedriveRunner.chunk(1));
        assertEquals(1, BulkRedriveRunner.chunk(19));
        assertEquals(5, BulkRedriveRunner.chunk(50));
        assertEquals(100, BulkRedriveRunner.chunk(10_000));
    }

    @Test
    void aCancelledJobTakesNoFurtherStep() throws Exception {
        store.add("a", 10, 100);
        runFor(250 * MS);
        assertEquals(List.of("a@0:1", "a@100:1", "a@200:1"), store.steps);

        store.cancel("a", "ops");
        runFor(1_000 * MS);

        // the next claim no longer returns it (and a step would find it not running): nothing else is redriven
        assertEquals(List.of("a@0:1", "a@100:1", "a@200:1"), store.steps);
        assertEquals(3, store.jobs.get("a").done());
        assertEquals("cancelled", store.jobs.get("a").state());
        assertEquals(0, runner.runningJobs());
    }

    @Test
    void aJobCancelledBetweenClaimsStopsAtItsNextStep() throws Exception {
        store.add("a", 10, 100);
        runner.claim();
        assertEquals(100 * MS, runner.stepDue(), "the first step ran; the next is due in 100 ms");
        store.cancel("a", "ops");
        pacing.sleep(100 * MS);

        runner.stepDue();

        assertEquals(List.of("a@0:1", "a@100:1"), store.steps);
        assertEquals(1, store.jobs.get("a").done());
        assertEquals(0, runner.runningJobs());
    }

    @Test
    void twoJobsRunSideBySideEachAtItsOwnRate() throws Exception {
        store.add("a", 10, 1000);
        store.add("b", 5, 1000);

        runFor(1_000 * MS);

        assertEquals(10, store.jobs.get("a").done());
        assertEquals(5, store.jobs.get("b").done());
    }

    @Test
    void aStepThatRedroveSomethingWakesDelivery() throws Exception {
        store.add("a", 10, 2);
        long before = enqueued.generation();

        runFor(1_000 * MS);

        // steps of 1, 1 and 0 (the last ends it): two raise the signal
        assertEquals(before + 2, enqueued.generation());
    }
}
