package com.idynic.eventbus.broker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * Tells a dispatcher that is stuck from one that is idle or waiting: records wait in Kafka for the
 * dispatcher's consumer group, yet the dispatcher has not been handed a record (nor retried one) for
 * {@code stallAfter}. Open Liberty's Reactive Messaging Kafka connector can end the dispatch channel after
 * a broker outage; only a restart brings it back, so liveness reports it and an orchestrator restarts the
 * server (nothing is lost: dispatch resumes from the committed offset).
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

    private final Supplier<OptionalLong> lag;
    private final Clock clock;
    private final Duration stallAfter;
    private volatile Instant lastProgress;

    /**
     * @param lag records waiting for the dispatcher's group, empty when Kafka does not answer
     * @param stallAfter how long records may wait with no dispatcher progress before it counts as stuck
     */
    public DispatchWatch(Supplier<OptionalLong> lag, Clock clock, Duration stallAfter) {
        this.lag = lag;
        this.clock = clock;
        this.stallAfter = stallAfter;
        this.lastProgress = clock.instant();
    }

    /** The dispatcher handled a record, or is retrying one (it is alive). */
    public void progressed() {
        lastProgress = clock.instant();
    }

    /** @return the dispatcher's state now */
    public Status check() {
        Instant now = clock.instant();
        OptionalLong waiting = lag.get();
        if (waiting.isPresent() && waiting.getAsLong() == 0) {
            lastProgress = now;
        }
        Duration since = Duration.between(lastProgress, now);
        boolean stalled = waiting.isPresent() && waiting.getAsLong() > 0 && since.compareTo(stallAfter) > 0;
        return new Status(stalled, waiting, since);
    }
}
