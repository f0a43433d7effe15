package com.idynic.eventbus.broker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Tells a dispatcher that is stuck from one that is idle or waiting: records wait in Kafka for the
 * dispatcher's consumer group, yet the dispatcher has not been handed a record (nor retried one) for
 * {@code stallAfter}. Open Liberty's Reactive Messaging Kafka connector can end the dispatch channel after
 * a broker outage; only a restart brings it back, so liveness reports it and an orchestrator restarts the
 * server (nothing is lost: dispatch resumes from the committed offset).
 *
 * <p>Asking Kafka for the lag takes network round trips (and up to its timeouts while Kafka is away), so a
 * check does not ask: it reads the last measurement and, when that is older than {@code refreshEvery}, has
 * one new measurement taken in the background. Only the very first check measures on the caller's thread.
 * Liveness stays cheap at any request rate, and its verdict is at most {@code refreshEvery} (plus one
 * measurement) late.
 *
 * @since 0.4.0
 */
public final class DispatchWatch {
    /**
     * @param stalled whether liveness should fail
     * @param consumerLag records not yet committed by the dispatcher, empty while Kafka cannot say
     * @param sinceLastProgress time since the dispatcher last handled or retried a record
     */
    public record Status(boolean stalled, OptionalLong consumerLag, Duration sinceLastProgress) {}

    /** One lag measurement and when it was taken. */
    private record Measured(OptionalLong lag, Instant at) {}

    private final Supplier<OptionalLong> lag;
    private final Clock clock;
    private final Duration stallAfter;
    private final Duration refreshEvery;
    private final Executor refresher;
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private volatile Instant lastProgress;
    private volatile Measured measured;

    /**
     * A watch that measures the lag on every check (tests).
     *
     * @param lag records waiting for the dispatcher's group, empty when Kafka does not answer
     * @param stallAfter how long records may wait with no dispatcher progress before it counts as stuck
     */
    public DispatchWatch(Supplier<OptionalLong> lag, Clock clock, Duration stallAfter) {
        this(lag, clock, stallAfter, Duration.ZERO, Runnable::run);
    }

    /**
     * @param refreshEvery how old a lag measurement may get before a check has a new one taken, e.g. 1 s
     * @param refresher where measurements after the first run (a managed executor in the server)
     * @since 0.19.0
     */
    public DispatchWatch(
            Supplier<OptionalLong> lag, Clock clock, Duration stallAfter, Duration refreshEvery, Executor refresher) {
        this.lag = lag;
        this.clock = clock;
        this.stallAfter = stallAfter;
        this.refreshEvery = refreshEvery;
        this.refresher = refresher;
        this.lastProgress = clock.instant();
    }

    /** The dispatcher handled a record, or is retrying one (it is alive). */
    public void progressed() {
        lastProgress = clock.instant();
    }

    /** @return the dispatcher's state now, from the latest lag measurement */
    public Status check() {
        Measured m = measured;
        if (m == null) {
            m = measure();
        } else if (Duration.between(m.at(), clock.instant()).compareTo(refreshEvery) >= 0) {
            refreshInBackground();
            m = measured;
        }
        OptionalLong waiting = m.lag();
        if (waiting.isPresent() && waiting.getAsLong() == 0 && m.at().isAfter(lastProgress)) {
            lastProgress = m.at();
        }
        Duration since = Duration.between(lastProgress, clock.instant());
        boolean stalled = waiting.isPresent() && waiting.getAsLong() > 0 && since.compareTo(stallAfter) > 0;
        return new Status(stalled, waiting, since);
    }

    private void refreshInBackground() {
        if (!refreshing.compareAndSet(false, true)) {
            return;
        }
        try {
            refresher.execute(() -> {
                try {
                    measure();
                } finally {
                    refreshing.set(false);
                }
            });
        } catch (RejectedExecutionException e) {
            refreshing.set(false);
        }
    }

    private Measured measure() {
        OptionalLong l;
        try {
            l = lag.get();
        } catch (RuntimeException e) {
            l = OptionalLong.empty();
        }
        Measured m = new Measured(l, clock.instant());
        measured = m;
        return m;
    }
}
