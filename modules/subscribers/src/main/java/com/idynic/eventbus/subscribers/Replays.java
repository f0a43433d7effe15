package com.idynic.eventbus.subscribers;

import com.idynic.eventbus.api.EventTypes;
import com.idynic.eventbus.broker.Signal;
import com.idynic.eventbus.broker.spi.DeliveryQueue;
import com.idynic.eventbus.broker.spi.EventLog;
import com.idynic.eventbus.subscribers.spi.ReplayStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs replay jobs, which {@link ReplayService} validates and stores: each replays events to one subscription from the beginning, a time or an event id, optionally up to an end
 * time and narrowed by type; in publish order (so per-key order holds, also against live events), marked
 * as replays, and no faster than the job's rate budget so live delivery is never starved. A job that
 * selects some event types reads only their events from PostgreSQL's type index; a job of every type
 * reads the Kafka topic where it still holds the range (sparing the database a long scan) and the
 * PostgreSQL store otherwise or when Kafka fails midway (both give the same events in the same order).
 * One job per subscription runs at a time; deleting the subscription cancels it. Jobs survive restarts
 * (progress is stored) and run on whichever server claims them.
 *
 * @since 0.2.0
 */
public final class Replays implements Runnable {
    private static final Logger LOG = Logger.getLogger(Replays.class.getName());
    private static final int PAGE = 200;
    static final String KAFKA = "kafka";
    static final String POSTGRESQL = "postgresql";

    /**
     * The error of a job cancelled because its subscription was deleted.
     *
     * @since 0.5.0
     */
    public static final String SUBSCRIPTION_DELETED = "subscription deleted";

    private final ReplayStore store;
    private final EventLog log;
    private final DeliveryQueue deliveries;
    private final SubscriptionRegistry registry;
    private final Signal enqueued;
    private final Pacing pacing;
    private final String owner = "srv-" + UUID.randomUUID();
    private volatile boolean running = true;

    /** @param log the Kafka topic, read where it still holds a job's range */
    public Replays(
            ReplayStore store, EventLog log, DeliveryQueue deliveries, SubscriptionRegistry registry, Signal enqueued) {
        this(store, log, deliveries, registry, enqueued, Pacing.SYSTEM);
    }

    /** @param pacing how a job waits between two events to keep to its rate */
    Replays(
            ReplayStore store,
            EventLog log,
            DeliveryQueue deliveries,
            SubscriptionRegistry registry,
            Signal enqueued,
            Pacing pacing) {
        this.store = store;
        this.log = log;
        this.deliveries = deliveries;
        this.registry = registry;
        this.enqueued = enqueued;
        this.pacing = pacing;
    }

    /** The time a job's rate budget is kept in: a monotonic clock and a way to wait on it. */
    interface Pacing {
        /** {@link System#nanoTime()} and {@link Thread#sleep(long, int)}. */
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

    @Override
    public void run() {
        while (running && !Thread.currentThread().isInterrupted()) {
            try {
                pass();
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "replay pass failed: " + e);
                sleep(5000);
            }
        }
    }

    /** Claims the jobs no live server holds and runs each to its end (or until stopped). */
    void pass() throws InterruptedException {
        for (ReplayStore.Job job : store.claimRunnable(owner)) {
            runJob(job);
        }
    }

    private void runJob(ReplayStore.Job job) throws InterruptedException {
        Optional<Subscription> found = registry.find(job.subscriptionId());
        if (found.isEmpty()) {
            cancelDeleted(job);
            return;
        }
        Subscription sub = found.get();
        long upTo = job.to() == null ? store.seqUpTo(job.createdAt()) : store.seqUpTo(job.to());
        long seq = job.lastSeq();
        long done = job.done();
        long total = job.total() > 0
                ? job.total()
                : store.countUpTo(seq, upTo, sub.eventTypes(), job.eventTypes(), sub.filter(), Long.MAX_VALUE - 1)
                        + done;
        // the total is shown before the first event is read, however long the reading takes
        if (!store.progress(job.id(), "running", total, done, seq, null)) {
            return;
        }
        long runStart = seq;
        EventLog.Reader kafka = openLog(job, sub, seq, upTo);
        store.readingFrom(job.id(), kafka == null ? POSTGRESQL : KAFKA);
        long intervalNanos = (long) (1e9 / job.ratePerSecond());
        long nextDue = pacing.nanoTime();
        try {
            while (running) {
                List<ReplayStore.Row> page;
                if (kafka != null) {
                    try {
                        page = kafka.next(PAGE).stream()
                                .map(l -> new ReplayStore.Row(l.seq(), l.event()))
                                .toList();
                    } catch (RuntimeException e) {
                        LOG.warning("replay " + job.id() + " reads PostgreSQL from event " + runStart
                                + " (events already queued may arrive twice): Kafka read failed: " + e.getMessage());
                        kafka.close();
                        kafka = null;
                        seq = runStart;
                        store.readingFrom(job.id(), POSTGRESQL);
                        continue;
                    }
                } else {
                    page = store.page(seq, upTo, sub.eventTypes(), job.eventTypes(), sub.filter(), PAGE);
                }
                if (page.isEmpty()) {
                    store.progress(job.id(), "done", total, done, seq, null);
                    LOG.info("replay " + job.id() + " done: " + done + " events to " + job.subscriptionId());
                    return;
                }
                List<ReplayStore.Row> batch = new ArrayList<>();
                for (ReplayStore.Row r : page) {
                    seq = Math.max(seq, r.seq());
                    if (selects(sub, job.eventTypes(), r)) {
                        batch.add(r);
                    }
                }
                // Kafka partitions may hold a later event before an earlier one, so a Kafka-read job's
                // resume point stays at the run's start: a restart queues some events again, never skips
                long resumeAt = kafka != null ? runStart : seq;
                // queued in chunks of a hundredth of a second's worth (one statement each), paced per chunk
                int chunk = (int) Math.max(1, Math.min(PAGE, job.ratePerSecond() / 100));
                for (int from = 0; from < batch.size(); from += chunk) {
                    List<ReplayStore.Row> part = batch.subList(from, Math.min(batch.size(), from + chunk));
                    long wait = nextDue - pacing.nanoTime();
                    if (wait > 0) {
                        pacing.sleep(wait);
                    }
                    try {
                        deliveries.requeue(
                                job.subscriptionId(),
                                part.stream().map(r -> r.event().id()).toList());
                    } catch (RuntimeException e) {
                        if (ended(job)) {
                            return;
                        }
                        throw e;
                    }
                    nextDue = Math.max(nextDue, pacing.nanoTime()) + intervalNanos * part.size();
                    long before = done;
                    done += part.size();
                    enqueued.raise();
                    // mid-page, resume after the events just queued: the rest of the page is not queued yet
                    long last = part.get(part.size() - 1).seq();
                    if (done / 50 != before / 50
                            && !store.progress(
                                    job.id(), "running", total, done, kafka != null ? runStart : last, null)) {
                        return;
                    }
                }
                if (!store.progress(job.id(), "running", total, done, resumeAt, null)) {
                    return;
                }
                long progressDone = done;
                long progressTotal = total;
                LOG.fine(() -> "replay " + job.id() + " progress " + progressDone + "/" + progressTotal);
            }
        } finally {
            if (kafka != null) {
                kafka.close();
            }
        }
    }

    /**
     * Tells a failure caused by the job's end (its subscription deleted under it, so its events can no longer
     * be queued) from one to retry.
     *
     * @return whether the job must stop: its subscription is gone (the job is then cancelled) or the job is
     *     no longer running
     */
    private boolean ended(ReplayStore.Job job) {
        if (registry.find(job.subscriptionId()).isEmpty()) {
            cancelDeleted(job);
            return true;
        }
        return store.find(job.id()).map(j -> !"running".equals(j.state())).orElse(true);
    }

    private void cancelDeleted(ReplayStore.Job job) {
        store.cancel(job.subscriptionId(), SUBSCRIPTION_DELETED);
        LOG.info("replay " + job.id() + " cancelled: " + SUBSCRIPTION_DELETED);
    }

    /**
     * @return a reader over the Kafka topic when the job reads every event type, may read Kafka and the topic
     *     holds its range; else null (the job reads PostgreSQL)
     */
    private EventLog.Reader openLog(ReplayStore.Job job, Subscription sub, long afterSeq, long upTo) {
        if (POSTGRESQL.equals(job.source())
                || ReplayPlan.selective(sub, job.eventTypes())
                || !store.relayedUpTo(upTo)) {
            return null;
        }
        Optional<Instant> since = store.acceptedAfter(afterSeq);
        if (since.isEmpty()) {
            return null;
        }
        return log.open(since.get(), afterSeq, upTo).orElse(null);
    }

    private static boolean selects(Subscription s, List<String> types, ReplayStore.Row r) {
        boolean typeOk = types.isEmpty()
                || types.stream().anyMatch(t -> EventTypes.matches(t, r.event().eventType()));
        return typeOk
                && s.eventTypes().stream()
                        .anyMatch(sel -> EventTypes.matches(sel, r.event().eventType()))
                && s.filter().matches(r.event());
    }

    /** Ends the loop after the current batch. */
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
