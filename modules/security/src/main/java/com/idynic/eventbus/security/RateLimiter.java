package com.idynic.eventbus.security;

import com.idynic.eventbus.security.spi.RateLimitBucket;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Per-service publish rate limits: a token bucket in the shared store (so all servers count together),
 * and, while that store is unreachable, a bucket in this server's memory with the same limit (each
 * server then allows the full rate on its own; degraded, but never unlimited and never failing publish).
 *
 * @since 0.3.0
 */
public final class RateLimiter {
    private static final Logger LOG = Logger.getLogger(RateLimiter.class.getName());

    private final RateLimitBucket shared;
    private final Clock clock;
    private final Map<String, Local> local = new ConcurrentHashMap<>();
    private volatile boolean degraded;

    public RateLimiter(RateLimitBucket shared, Clock clock) {
        this.shared = shared;
        this.clock = clock;
    }

    /** @return zero when allowed, otherwise how long to wait before retrying */
    public Duration acquire(String service, RateLimit limit) {
        return acquire(service, limit, 1);
    }

    /**
     * Takes {@code count} tokens at once (a batch publish counts each of its events).
     *
     * @return zero when allowed, otherwise how long to wait before retrying
     * @since 0.5.0
     */
    public Duration acquire(String service, RateLimit limit, int count) {
        try {
            Duration wait = shared.take(service, limit, count);
            if (degraded) {
                degraded = false;
                LOG.info("rate limits shared again");
            }
            return wait;
        } catch (RuntimeException e) {
            if (!degraded) {
                degraded = true;
                LOG.warning("rate limit store unreachable, limiting per server until it returns: " + e);
            }
            return local.computeIfAbsent(service, s -> new Local()).take(limit, count, clock.millis());
        }
    }

    /** @return whether limits are currently counted per server only */
    public boolean degraded() {
        return degraded;
    }

    private static final class Local {
        private double tokens = -1;
        private long at;

        synchronized Duration take(RateLimit limit, int count, long now) {
            if (tokens < 0) {
                tokens = limit.burst();
                at = now;
            }
            tokens = Math.min(limit.burst(), tokens + (now - at) / 1000.0 * limit.perSecond());
            at = now;
            if (tokens >= count) {
                tokens -= count;
                return Duration.ZERO;
            }
            return Duration.ofMillis((long) Math.ceil((count - tokens) / limit.perSecond() * 1000));
        }
    }
}
