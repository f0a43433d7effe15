package com.idynic.eventbus.broker.spi;

import java.time.Instant;

/**
 * One recorded attempt to deliver an event to a subscription.
 *
 * @param subscriptionId the subscription
 * @param eventId the event
 * @param attempt its number, from 1
 * @param startedAt when it started
 * @param durationMs how long it took
 * @param target webhook URL, {@code pull} or {@code cdi}
 * @param outcome {@code SUCCESS}, {@code FAILURE} or {@code REJECTED}
 * @param httpStatus webhook status or null
 * @param error failure description or null
 * @since 0.2.0
 */
public record DeliveryAttempt(
        String subscriptionId,
        String eventId,
        int attempt,
        Instant startedAt,
        long durationMs,
        String target,
        String outcome,
        Integer httpStatus,
        String error) {}
