package com.idynic.eventbus.broker;

import com.idynic.eventbus.broker.spi.DeliveryStatus;
import java.time.Instant;

/**
 * Where one event stands for one subscription, as callers (the REST API, the console, exports) see it: the
 * storage row ({@link DeliveryStatus}) may change without changing what they show.
 *
 * @param subscriptionId the subscription
 * @param eventId the event
 * @param state {@code PENDING}, {@code IN_FLIGHT}, {@code DELIVERED}, {@code DEAD}, ... (the state's name)
 * @param attempts attempts so far
 * @param lastError the last failure, or null
 * @param nextAttemptAt when it is due (pending), or null
 * @param deliveredAt when it was acknowledged, or null
 * @param deadAt when it entered the dead-letter queue, or null
 * @param parksOthers whether it is a dead letter that heads a parked sequence (events of its ordering key wait
 *     behind it)
 * @param redriveCount how often it was redriven out of the dead-letter queue (0 when never)
 * @param redrivenAt when it was last redriven, or null
 * @since 0.23.0
 */
public record DeliveryView(
        String subscriptionId,
        String eventId,
        String state,
        int attempts,
        String lastError,
        Instant nextAttemptAt,
        Instant deliveredAt,
        Instant deadAt,
        boolean parksOthers,
        int redriveCount,
        Instant redrivenAt) {

    static DeliveryView of(DeliveryStatus d) {
        return new DeliveryView(
                d.subscriptionId(),
                d.eventId(),
                d.state().name(),
                d.attempts(),
                d.lastError(),
                d.nextAttemptAt(),
                d.deliveredAt(),
                d.deadAt(),
                d.deadGroup() != null && d.deadGroup() == d.deliveryId(),
                d.redriveCount(),
                d.redrivenAt());
    }
}
