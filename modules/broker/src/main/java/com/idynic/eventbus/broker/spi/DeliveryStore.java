package com.idynic.eventbus.broker.spi;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * Per-subscription delivery state: one row per (subscription, event).
 *
 * @since 0.1.0
 */
public interface DeliveryStore {
    /**
     * Records that each subscription must receive the event; idempotent per (subscription, event).
     *
     * @param eventId the event
     * @param orderingKey its ordering key or null; rows with equal keys are delivered one at a time, in order
     * @param subscriptionIds the subscriptions that want it
     */
    void enqueue(String eventId, String orderingKey, Collection<String> subscriptionIds);

    /**
     * Leases up to {@code max} deliverable events of one subscription: due, not leased (or lease
     * expired), and with no earlier unfinished event of the same ordering key.
     */
    List<Leased> lease(String subscriptionId, int max, Duration ackDeadline);

    /** Marks leased events delivered. @return rows changed */
    int ack(String subscriptionId, Collection<String> eventIds);

    /** Returns leased events for redelivery after {@code retryDelay}. @return rows changed */
    int nack(String subscriptionId, Collection<String> eventIds, Duration retryDelay, String reason);
}
