package com.idynic.eventbus.broker;

import com.idynic.eventbus.broker.spi.BulkRedriveStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs the bulk redrives {@link BulkRedrives} stores, side by side: each running job takes a step (a chunk of
 * its dead letters, redriven with its progress in one transaction) whenever its rate budget allows, so no job
 * goes faster than its rate and a long job does not hold up another subscription's. A job claimed by a server
 * that stopped is taken over by another (or by this one after a restart) from its stored progress. Supervised
 * like the other loops ({@link Loops#supervise}).
 *
 * @since 0.9.0
 */
public final class BulkRedriveRunner implements Runnable {
    private static final Logger LOG = Logger.getLogger(BulkRedriveRunner.class.getName());

    /** The most dead letters one step redrives. */
    static final int MAX_CHUNK = 100;

    /** How often running jobs are claimed (new ones, and those of servers that stopped). */
    static final long CLAIM_EVERY_NANOS = 1_000_000_000L;

    private final BulkRedriveStore store;
    private final Signal enqueued;
    private final Pacing pacing;
    private final String owner = "srv-" + UUID.randomUUID();
    private final Map<String, Running> jobs = new LinkedHashMap<>();
    private volatile boolean running = true;

    /** @param enqueued raised after each step that redrove something, so delivery starts at once */
    public BulkRedriveRunner(BulkRedriveStore store, Signal enqueued) {
        this(store, enqueued, Pacing.SYSTEM);
    }

    BulkRedriveRunner(BulkRedriveStore store, Signal enqueued, Pacing pacing) {
        this.store = store;
        this.enqueued = enqueued;
        this.pacing = pacing;
    }

    /** The time a rate budget is kept in: a monotonic clock and a way to wait on it. */
    interface Pacing {
        Pacing SYSTEM = new Pacing() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void sleep(long nanos) throws InterruptedException {
                Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
            }
        };

        /** @return a reading in nanoseconds, only for differences */
        long nanoTime();

        /** Waits about {@code nanos} nanoseconds. */
        void sleep(long nanos) throws InterruptedException;
    }

    /** A job this server runs, and when its next step is due. */
    private static final class Running {
        final BulkRedriveStore.Job job;
        final int chunk;
        final long intervalNanos;
        long nextDue;

        Running(BulkRedriveStore.Job job, long now) {
            this.job = job;
            this.chunk = chunk(job.ratePerSecond());
            this.intervalNanos = (long) (1e9 / job.ratePerSecond());
            this.nextDue = now;
        }
    }

    /** @return dead letters per step: a tenth of a second's worth, 1 to {@value #MAX_CHUNK} */
    static int chunk(double ratePerSecond) {
        return (int) Math.max(1, Math.min(MAX_CHUNK, Math.floor(ratePerSecond / 10)));
    }

    @Override
    public void run() {
        long lastClaim = pacing.nanoTime() - CLAIM_EVERY_NANOS;
        while (running && !Thread.currentThread().isInterrupted()) {
            try {
                long now = pacing.nanoTime();
                if (now - lastClaim >= CLAIM_EVERY_NANOS) {
                    claim();
                    lastClaim = now;
                }
                long wait = Math.min(CLAIM_EVERY_NANOS - (pacing.nanoTime() - lastClaim), stepDue());
                if (wait > 0) {
                    pacing.sleep(wait);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "bulk redrive pass failed: " + e);
                jobs.clear();
                sleep(5000);
            }
        }
    }

    /** Takes on the running jobs no live server holds (and renews this server's claim on its own). */
    void claim() {
        List<BulkRedriveStore.Job> claimed = store.claimRunnable(owner);
        long now = pacing.nanoTime();
        for (BulkRedriveStore.Job j : claimed) {
            jobs.computeIfAbsent(j.id(), id -> new Running(j, now));
        }
        jobs.keySet().retainAll(claimed.stream().map(BulkRedriveStore.Job::id).toList());
    }

    /**
     * Steps every job that is due.
     *
     * @return nanoseconds until the next job is due (a second when none runs)
     */
    long stepDue() {
        long soonest = CLAIM_EVERY_NANOS;
        for (var it = jobs.values().iterator(); it.hasNext() && running; ) {
            Running r = it.next();
            long now = pacing.nanoTime();
            if (r.nextDue > now) {
                soonest = Math.min(soonest, r.nextDue - now);
                continue;
            }
            BulkRedriveStore.Step s;
            try {
                s = store.step(r.job.id(), r.chunk);
            } catch (RuntimeException e) {
                LOG.warning("bulk redrive " + r.job.id() + " step failed, retried: " + e.getMessage());
                r.nextDue = now + CLAIM_EVERY_NANOS;
                continue;
            }
            if (s.redriven() > 0) {
                enqueued.raise();
            }
            if (!s.running() || s.finished()) {
                if (s.finished()) {
                    LOG.info("bulk redrive " + r.job.id() + " of " + r.job.subscriptionId() + " done: " + s.done()
                            + " redriven");
                }
                it.remove();
                continue;
            }
            // the budget is spent per dead letter redriven; a step that found none costs one
            r.nextDue = Math.max(r.nextDue, now) + r.intervalNanos * Math.max(1, s.redriven());
            soonest = Math.min(soonest, r.nextDue - now);
        }
        return soonest;
    }

    /** @return the jobs this server runs now */
    int runningJobs() {
        return jobs.size();
    }

    /** Ends the loop after the current step. */
    public void stop() {
        running = false;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
