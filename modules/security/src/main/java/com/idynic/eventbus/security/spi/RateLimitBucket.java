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
}
