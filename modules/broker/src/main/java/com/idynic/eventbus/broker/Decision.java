package com.idynic.eventbus.broker;

import java.time.Instant;

/**
 * What to do with a delivery after an attempt.
 *
 * @param kind {@code DELIVERED}, {@code RETRY} (at {@code retryAt}) or {@code DEAD} (dead-letter queue)
 * @param retryAt when to try again; null unless {@code RETRY}
 * @param reason why, for the delivery record; null when delivered
 * @since 0.2.0
 */
public record Decision(Kind kind, Instant retryAt, String reason) {
    /** Decision kinds. */
    public enum Kind {
        DELIVERED,
        RETRY,
        DEAD
    }

    /**
     * Applies the retry policy to an attempt.
     *
     * @param result the attempt
     * @param policy the subscription's policy
     * @param attemptsMade attempts including this one
     * @param firstAttemptAt when the first attempt started
     * @param random in [0, 1), for jitter
     */
    public static Decision after(
            AttemptResult result, RetryPolicy policy, int attemptsMade, Instant firstAttemptAt, double random) {
        switch (result.outcome()) {
            case SUCCESS:
                return new Decision(Kind.DELIVERED, null, null);
            case REJECTED:
                return new Decision(Kind.DEAD, null, "rejected: " + describe(result));
            default:
                break;
        }
        if (result.httpStatus() != null && policy.nonRetryableStatuses().contains(result.httpStatus())) {
            return new Decision(Kind.DEAD, null, "non-retryable answer: " + describe(result));
        }
        Instant now = result.startedAt().plus(result.duration());
        if (policy.exhausted(attemptsMade, java.time.Duration.between(firstAttemptAt, now))) {
            return new Decision(
                    Kind.DEAD, null, "retries exhausted after " + attemptsMade + " attempts: " + describe(result));
        }
        java.time.Duration delay = result.retryAfter() != null
                ? min(result.retryAfter(), policy.maxDelay())
                : policy.delayAfter(attemptsMade, random);
        return new Decision(Kind.RETRY, now.plus(delay), describe(result));
    }

    private static java.time.Duration min(java.time.Duration a, java.time.Duration b) {
        return a.compareTo(b) < 0 ? a : b;
    }

    private static String describe(AttemptResult r) {
        StringBuilder sb = new StringBuilder();
        if (r.httpStatus() != null) {
            sb.append("HTTP ").append(r.httpStatus());
        }
        if (r.error() != null) {
            if (sb.length() > 0) {
                sb.append(": ");
            }
            sb.append(r.error());
        }
        return sb.length() == 0 ? r.outcome().name().toLowerCase(java.util.Locale.ROOT) : sb.toString();
    }
}
