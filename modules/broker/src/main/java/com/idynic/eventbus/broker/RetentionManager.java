package com.idynic.eventbus.broker;

import com.idynic.eventbus.broker.spi.RetentionPolicy;
import com.idynic.eventbus.broker.spi.RetentionStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Enforces retention: per event type policies and a global default. Whole days past the longest
 * policy go at once (the store drops their time partition); the rest goes in small batches (short
 * transactions, no long locks). Each run also creates the partitions of the next days. Events still in the outbox, pending, leased or dead-lettered are never
 * removed. After each run the Kafka topic's retention is set to the longest kept age, so Kafka never
 * drops what the store still promises to replay.
 *
 * @since 0.2.0
 */
public final class RetentionManager {
    private static final Logger LOG = Logger.getLogger(RetentionManager.class.getName());
    private static final int BATCH = 1000;
    private static final int PARTITIONS_AHEAD = 3;

    /**
     * One run's result.
     *
     * @param at when it ran
     * @param removed events removed per event type ({@code *} for types under the default policy)
     */
    public record Report(Instant at, Map<String, Long> removed) {
        /** @return events removed in all */
        public long total() {
            return removed.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private final RetentionStore store;
    private final Duration defaultMaxAge;
    private final Consumer<Duration> kafkaRetention;
    private final Clock clock;
    private final Consumer<Report> onRun;
    private final AtomicLong removedTotal = new AtomicLong();
    private volatile Report last;

    /**
     * @param kafkaRetention applies a retention time to the events topic (may throw when Kafka is down)
     * @param onRun told of every run's report (metrics)
     */
    public RetentionManager(
            RetentionStore store,
            Duration defaultMaxAge,
            Consumer<Duration> kafkaRetention,
            Clock clock,
            Consumer<Report> onRun) {
        this.store = store;
        this.onRun = onRun;
        this.defaultMaxAge = defaultMaxAge;
        this.kafkaRetention = kafkaRetention;
        this.clock = clock;
    }

    /** Runs every policy to completion. */
    public synchronized Report runOnce() {
        Map<String, Long> removed = new LinkedHashMap<>();
        List<RetentionPolicy> policies = store.policies();
        Duration longest = defaultMaxAge;
        for (RetentionPolicy p : policies) {
            longest = p.maxAge().compareTo(longest) > 0 ? p.maxAge() : longest;
        }
        store.ensurePartitions(PARTITIONS_AHEAD);
        Map<String, Long> dropped = store.dropPartitionsBefore(clock.instant().minus(longest));
        for (RetentionPolicy p : policies) {
            long whole = Objects.requireNonNullElse(dropped.remove(p.eventType()), 0L);
            removed.put(p.eventType(), whole + purgeAll(p.eventType(), p.maxAge(), p.maxCount()));
        }
        long wholeDefault = dropped.values().stream().mapToLong(Long::longValue).sum();
        removed.put("*", wholeDefault + purgeAll(null, defaultMaxAge, null));
        Report r = new Report(clock.instant(), removed);
        removedTotal.addAndGet(r.total());
        last = r;
        onRun.accept(r);
        if (r.total() > 0) {
            LOG.info("retention removed " + r.total() + " events: " + removed);
        }
        try {
            kafkaRetention.accept(longest);
        } catch (RuntimeException e) {
            LOG.warning("could not align the Kafka topic's retention (" + longest + "): " + e.getMessage());
        }
        return r;
    }

    private long purgeAll(String type, Duration maxAge, Long maxCount) {
        long n = 0;
        int got;
        do {
            got = store.purge(type, maxAge, maxCount, BATCH);
            n += got;
        } while (got == BATCH);
        return n;
    }

    /** @return the last run, or null before the first */
    public Report last() {
        return last;
    }

    /** @return events removed since start */
    public long removedTotal() {
        return removedTotal.get();
    }

    /** Creates the store's time partitions for today and the next days (run at start-up). */
    public void preparePartitions() {
        store.ensurePartitions(PARTITIONS_AHEAD);
    }

    /** @return the global default maximum age */
    public Duration defaultMaxAge() {
        return defaultMaxAge;
    }

    /** @return the store's policies */
    public List<RetentionPolicy> policies() {
        return store.policies();
    }
}
