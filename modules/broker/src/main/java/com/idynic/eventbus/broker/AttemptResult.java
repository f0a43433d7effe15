package com.idynic.eventbus.broker;

import java.time.Duration;
import java.time.Instant;

/**
 * What happened when the bus tried to hand one event to one subscriber.
 *
 * @param outcome {@code SUCCESS}, {@code FAILURE} (retry per policy) or {@code REJECTED} (never retry)
 * @param startedAt when the attempt began
 * @param duration how long it took
 * @param target where it went, e.g. the webhook URL, {@code pull} or {@code cdi}
 * @param httpStatus the webhook's answer, or null
 * @param error why it failed, or null
 * @param retryAfter the receiver's requested delay (HTTP {@code Retry-After}), or null
 * @since 0.2.0
 */
public record AttemptResult(
        Outcome outcome,
        Instant startedAt,
        Duration duration,
        String target,
        Integer httpStatus,
        String error,
        Duration retryAfter) {

    /** Attempt outcomes. */
    public enum Outcome {
        SUCCESS,
        FAILURE,
        REJECTED
    }
}
