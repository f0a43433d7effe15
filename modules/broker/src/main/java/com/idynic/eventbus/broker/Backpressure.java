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
 * Kafka) or the relay lag (how long the oldest of them has waited) passes its threshold, publish is
 * refused with 429 and a Retry-After instead of queuing without bound. Both are measured at most once
 * a second, by whichever request finds them stale.
 *
 * @since 0.3.0
 */
public final class Backpressure {
    private final LongSupplier backlog;
    private final LongSupplier lagMillis;
    private final long threshold;
    private final Duration maxLag;
    private final Duration retryAfter;
    private final Clock clock;
    private volatile long counted;
    private volatile long lag;
    private volatile long countedAt = -1;

    /**
     * @param backlog counts the outbox (may throw when the store is down)
     * @param lagMillis how long the oldest outbox row has waited
     * @param threshold refuse publish while the backlog is at or above this many events
     * @param maxLag refuse publish while the relay lag is at or above this
     * @param retryAfter what a refused publisher is told to wait
     */
    public Backpressure(
            LongSupplier backlog,
            LongSupplier lagMillis,
            long threshold,
            Duration maxLag,
            Duration retryAfter,
            Clock clock) {
        this.backlog = backlog;
        this.lagMillis = lagMillis;
        this.threshold = threshold;
        this.maxLag = maxLag;
        this.retryAfter = retryAfter;
        this.clock = clock;
    }

    /** @throws BusException {@code OVERLOADED} while the backlog or the relay lag is at or over its threshold */
    public void check() {
        long n = backlog();
        long lagMs = lag;
        if (n >= threshold || lagMs >= maxLag.toMillis()) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("outboxBacklog", n);
            details.put("threshold", threshold);
            details.put("relayLagSeconds", lagMs / 1000);
            details.put("maxRelayLagSeconds", maxLag.toSeconds());
            details.put("retryAfterSeconds", Math.max(1, retryAfter.toSeconds()));
            String why = n >= threshold
                    ? n + " events wait for Kafka (threshold " + threshold + ")"
                    : "the oldest event has waited " + lagMs / 1000 + " s for Kafka (limit " + maxLag.toSeconds()
                            + " s)";
            throw new BusException(ErrorCode.OVERLOADED, "The bus is behind: " + why + "; retry later", details);
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
                        lag = counted == 0 ? 0 : lagMillis.getAsLong();
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

    /** @return the relay lag in milliseconds, measured with the backlog */
    public long lagMillis() {
        backlog();
        return lag;
    }

    /** @return the relay lag at which publish is refused */
    public Duration maxLag() {
        return maxLag;
    }

    /** @return whether publish is being refused now */
    public boolean overloaded() {
        return backlog() >= threshold || lag >= maxLag.toMillis();
    }
}
