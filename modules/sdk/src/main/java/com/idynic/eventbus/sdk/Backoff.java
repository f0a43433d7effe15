package com.idynic.eventbus.sdk;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** How long to wait before the next attempt: the bus's {@code Retry-After} when it named one, else doubling with jitter. */
final class Backoff {
    static final Duration FIRST = Duration.ofMillis(100);
    static final Duration MAX = Duration.ofSeconds(5);

    private Backoff() {}

    /**
     * @param attempt 1 after the first failure, 2 after the second, …
     * @param retryAfter the bus's {@code Retry-After}, or null
     */
    static Duration delay(int attempt, Duration retryAfter) {
        if (retryAfter != null) {
            return retryAfter;
        }
        long max = Math.min(MAX.toMillis(), FIRST.toMillis() << Math.min(attempt - 1, 10));
        return Duration.ofMillis(max / 2 + ThreadLocalRandom.current().nextLong(max / 2 + 1));
    }
}
