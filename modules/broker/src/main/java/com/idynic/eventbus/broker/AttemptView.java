package com.idynic.eventbus.broker;

import com.idynic.eventbus.broker.spi.DeliveryAttempt;
import java.time.Instant;

/**
 * One attempt to deliver an event to a subscription, as callers see it (the stored {@link DeliveryAttempt} may
 * change without changing it).
 *
 * @param subscriptionId the subscription
 * @param eventId the event
 * @param attempt its number, from 1
 * @param startedAt when it started
 * @param durationMs how long it took, in milliseconds
 * @param target webhook URL, {@code pull} or {@code cdi}
 * @param outcome {@code SUCCESS}, {@code FAILURE} (retried by the policy) or {@code REJECTED} (never retried)
 * @param httpStatus the webhook's status, or null
 * @param error the failure, or null
 * @since 0.23.0
 */
public record AttemptView(
        String subscriptionId,
        String eventId,
        int attempt,
        Instant startedAt,
        long durationMs,
        String target,
        String outcome,
        Integer httpStatus,
        String error) {

    static AttemptView of(DeliveryAttempt a) {
        return new AttemptView(
                a.subscriptionId(),
                a.eventId(),
                a.attempt(),
                a.startedAt(),
                a.durationMs(),
                a.target(),
                a.outcome(),
                a.httpStatus(),
                a.error());
    }
}
