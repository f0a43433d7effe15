package com.idynic.eventbus.broker;

import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.ErrorCode;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Global overload protection for publish: when the outbox backlog (events accepted but not yet in
 * Kafka) passes its threshold, publish is refused with 429 and a Retry-After instead of queuing without
 * bound. The backlog is counted at most once a second, by whichever request finds it stale.
 *
 * @since 0.3.0
 */
public final class Backpressure {
    private final LongSupplier backlog;
    private final long threshold;
    private final Duration retryAfter;
    private final Clock clock;
    private volatile long counted;
    private volatile long countedAt = -1;

    /**
     * @param backlog counts the outbox (may throw when the store is down)
     * @param threshold refuse publish while the backlog is at or above this many events
     * @param retryAfter what a refused publisher is told to wait
     */
    public Backpressure(LongSupplier backlog, long threshold, Duration retryAfter, Clock clock) {
        this.backlog = backlog;
        this.threshold = threshold;
        this.retryAfter = retryAfter;
        this.clock = clock;
    }

    /** @throws BusException {@code OVERLOADED} while the backlog is at or over the threshold */
    public void check() {
        long n = backlog();
        if (n >= threshold) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("outboxBacklog", n);
            details.put("threshold", threshold);
            details.put("retryAfterSeconds", Math.max(1, retryAfter.toSeconds()));
            throw new BusException(
                    ErrorCode.OVERLOADED,
                    "The bus is behind: " + n + " events wait for Kafka (threshold " + threshold + "); retry later",
                    details);
        }
    }

    /** @return the backlog, counted within the last second (0 before the store has answered once) */
    public long backlog() {
        long now = clock.millis();
        if (countedAt < 0 || now - countedAt >= 1000) {
            synchronized (this) {
                if (countedAt < 0 || now - countedAt >= 1000) {
                    try {
                        counted = backlog.getAsLong();
                    } finally {
                        countedAt = now;
                    }
                }
            }
        }
        return counted;
    }

    /** @return the threshold */
    public long threshold() {
        return threshold;
    }

    /** @return whether publish is being refused now */
    public boolean overloaded() {
        return backlog() >= threshold;
    }
}
