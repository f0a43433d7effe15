package com.idynic.eventbus.security.spi;

import com.idynic.eventbus.security.RateLimit;
import java.time.Duration;

/**
 * A token bucket shared by every server (Redis in production).
 *
 * @since 0.3.0
 */
@FunctionalInterface
public interface RateLimitBucket {
    /**
     * Takes one token from {@code key}'s bucket.
     *
     * @return zero when a token was taken, otherwise how long until one will be there
     * @throws RuntimeException when the shared store is unreachable
     */
    Duration take(String key, RateLimit limit);

    /**
     * Takes {@code count} tokens at once (a batch publish), or none.
     *
     * @return zero when they were taken, otherwise how long until that many will be there
     * @since 0.5.0
     */
    default Duration take(String key, RateLimit limit, int count) {
        if (count == 1) {
            return take(key, limit);
        }
        throw new UnsupportedOperationException("this bucket takes one token at a time");
    }
}
