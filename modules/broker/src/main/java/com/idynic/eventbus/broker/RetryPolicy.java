package com.idynic.eventbus.broker;

import java.time.Duration;
import java.util.Set;

/**
 * When to try a failed delivery again: exponential backoff with jitter, bounded by attempts and age.
 * Defaults: 1 s, doubling, at most 1 h apart, 15 attempts or 24 h, whichever comes first; webhook
 * answers 400, 401, 403, 404, 410 and 413 are not retried.
 *
 * @param initialDelay delay after the first failure
 * @param multiplier growth per further failure (≥ 1)
 * @param maxDelay cap for a single delay
 * @param maxAttempts attempts in all, including the first
 * @param maxAge give up when the first attempt is older than this
 * @param nonRetryableStatuses webhook HTTP statuses that go straight to the dead-letter queue
 * @since 0.2.0
 */
public record RetryPolicy(
        Duration initialDelay,
        double multiplier,
        Duration maxDelay,
        int maxAttempts,
        Duration maxAge,
        Set<Integer> nonRetryableStatuses) {

    /** The documented defaults. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(
            Duration.ofSeconds(1),
            2.0,
            Duration.ofHours(1),
            15,
            Duration.ofHours(24),
            Set.of(400, 401, 403, 404, 410, 413));

    public RetryPolicy {
        nonRetryableStatuses = Set.copyOf(nonRetryableStatuses);
    }

    /**
     * @param failedAttempt the attempt that just failed (1 for the first)
     * @param random a number in [0, 1) for jitter (±20 %)
     * @return the delay before the next attempt
     */
    public Duration delayAfter(int failedAttempt, double random) {
        double base = initialDelay.toMillis() * Math.pow(multiplier, Math.max(0, failedAttempt - 1));
        double capped = Math.min(base, maxDelay.toMillis());
        double jittered = capped * (0.8 + 0.4 * random);
        return Duration.ofMillis(Math.max(0, Math.round(Math.min(jittered, maxDelay.toMillis()))));
    }

    /**
     * @param attemptsMade attempts so far, including the one that just failed
     * @param age time since the first attempt
     * @return whether no further attempt is allowed
     */
    public boolean exhausted(int attemptsMade, Duration age) {
        return attemptsMade >= maxAttempts || age.compareTo(maxAge) >= 0;
    }
}
