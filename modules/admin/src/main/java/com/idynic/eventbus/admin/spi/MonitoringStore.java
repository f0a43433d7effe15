package com.idynic.eventbus.admin.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Reads the delivery figures from the store, from its indexes: open and dead delivery rows per subscription, and
 * the attempts finished in a time window with the time from publish to delivery of the successful ones.
 *
 * @since 0.19.0
 */
public interface MonitoringStore {
    /**
     * Delivery rows of one subscription now.
     *
     * @param subscriptionId the subscription
     * @param open rows owed: pending (new or waiting for a retry) and leased (in flight)
     * @param dead rows in the dead-letter queue (dead letters and the events parked behind them)
     * @param oldestOpen when the oldest owed row was queued (created, or queued again by a replay or a redrive);
     *     null when nothing is owed
     */
    record QueueCounts(String subscriptionId, long open, long dead, Instant oldestOpen) {
        /** Counts without the oldest row's time (nothing owed, or a store that does not know it). */
        public QueueCounts(String subscriptionId, long open, long dead) {
            this(subscriptionId, open, dead, null);
        }
    }

    /**
     * Attempts of one subscription (or of all, when {@code subscriptionId} is null) that began in the window.
     *
     * @param subscriptionId the subscription, or null for the whole bus
     * @param finished attempts recorded (every recorded attempt has finished: success, failure or rejection)
     * @param succeeded those that delivered the event
     * @param timed successful attempts of live (not replayed) deliveries, the ones the percentiles are of
     * @param p50 median time from the bus accepting the event to the subscriber acknowledging it; null when
     *     {@code timed} is 0
     * @param p95 95th percentile of the same, or null
     * @param p99 99th percentile of the same, or null
     */
    record AttemptStats(
            String subscriptionId,
            long finished,
            long succeeded,
            long timed,
            Duration p50,
            Duration p95,
            Duration p99) {}

    /** @return every subscription's counts (zeros included), by subscription id */
    List<QueueCounts> queues();

    /**
     * @param since the window's start (inclusive), by the attempts' start time
     * @return one entry per subscription with attempts in the window, and one with a null subscription for all
     *     of them together (absent when there were none)
     */
    List<AttemptStats> attempts(Instant since);

    /**
     * @param since the window's start (inclusive), by the events' acceptance time
     * @return events accepted since then (0 for a store that does not count them)
     * @since 0.19.0
     */
    default long published(Instant since) {
        return 0;
    }
}
