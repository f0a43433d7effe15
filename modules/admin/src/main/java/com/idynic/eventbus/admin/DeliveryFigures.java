package com.idynic.eventbus.admin;

import java.time.Duration;

/**
 * The seed's four monitoring figures for one subscription or for the whole bus: delivery success rate and
 * processing time over the window, queue depth and dead-letter queue size now.
 *
 * @param queueDepth events owed now: pending (new or waiting for a retry) and in flight
 * @param deadLetters events in the dead-letter queue now (dead letters and events parked behind them)
 * @param attemptsFinished delivery attempts finished in the window
 * @param attemptsSucceeded of those, the ones that delivered the event
 * @param delivered live (not replayed) deliveries in the window, which the processing times are of
 * @param p50 median time from the bus accepting an event to the subscriber acknowledging it, or null without
 *     deliveries in the window
 * @param p95 95th percentile of the same, or null
 * @param p99 99th percentile of the same, or null
 * @param lag how long the oldest owed delivery has waited since it was queued (the subscription's lag: a queue of
 *     ten that has not moved for an hour is worse than one of ten thousand that moves); null when nothing is owed
 * @since 0.19.0
 */
public record DeliveryFigures(
        long queueDepth,
        long deadLetters,
        long attemptsFinished,
        long attemptsSucceeded,
        long delivered,
        Duration p50,
        Duration p95,
        Duration p99,
        Duration lag) {
    /** Nothing queued, nothing dead, no attempts. */
    public static final DeliveryFigures NONE = new DeliveryFigures(0, 0, 0, 0, 0, null, null, null);

    /** Figures without a lag (nothing owed, or not known). */
    public DeliveryFigures(
            long queueDepth,
            long deadLetters,
            long attemptsFinished,
            long attemptsSucceeded,
            long delivered,
            Duration p50,
            Duration p95,
            Duration p99) {
        this(queueDepth, deadLetters, attemptsFinished, attemptsSucceeded, delivered, p50, p95, p99, null);
    }

    /**
     * @return attempts succeeded / attempts finished, from 0 to 1 (0.999 is 99.9 %), or null when no attempt
     *     finished in the window
     */
    public Double successRate() {
        return attemptsFinished == 0 ? null : (double) attemptsSucceeded / attemptsFinished;
    }
}
