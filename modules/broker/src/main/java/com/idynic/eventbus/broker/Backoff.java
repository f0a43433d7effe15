package com.idynic.eventbus.broker;

import java.time.Duration;

/**
 * The wait between attempts of a retry loop: {@code initial} first, multiplied by {@code factor} after each
 * failed attempt, never longer than {@code max}. A value: the loop keeps its current wait and asks for the next.
 *
 * @param initial the first wait, positive, e.g. 100 ms
 * @param max the longest wait, at least {@code initial}, e.g. 5 s
 * @param factor how much each wait grows over the previous one, at least 1 (2 doubles it)
 * @since 0.8.0
 */
public record Backoff(Duration initial, Duration max, int factor) {
    public Backoff {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff must be positive and its maximum at least its start");
        }
        if (factor < 1) {
            throw new IllegalArgumentException("backoff factor must be at least 1, was " + factor);
        }
    }

    /**
     * @param initial the first wait
     * @param max the longest wait
     * @return a backoff that doubles from {@code initial} up to {@code max}
     */
    public static Backoff doubling(Duration initial, Duration max) {
        return new Backoff(initial, max, 2);
    }

    /**
     * @param current the wait just used
     * @return the wait after it: {@code current} times the factor, at most {@link #max()}
     */
    public Duration next(Duration current) {
        return current.compareTo(max.dividedBy(factor)) > 0 ? max : current.multipliedBy(factor);
    }

    /**
     * @param attempt how many attempts failed before this wait, 0 for the first wait
     * @return the wait before attempt {@code attempt + 1}: {@code initial * factor^attempt}, at most {@link #max()}
     */
    public Duration delay(int attempt) {
        Duration d = initial;
        for (int i = 0; i < attempt && d.compareTo(max) < 0; i++) {
            d = next(d);
        }
        return d;
    }
}
