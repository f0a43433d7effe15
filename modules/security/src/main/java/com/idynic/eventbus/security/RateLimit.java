package com.idynic.eventbus.security;

/**
 * A token bucket: {@code perSecond} sustained, bursts up to {@code burst}.
 *
 * @param perSecond tokens added per second, &gt; 0
 * @param burst bucket size, &ge; 1
 * @since 0.3.0
 */
public record RateLimit(double perSecond, int burst) {
    /** @throws IllegalArgumentException when either is not positive */
    public RateLimit {
        if (!(perSecond > 0) || burst < 1) {
            throw new IllegalArgumentException("perSecond and burst must be positive");
        }
    }
}
