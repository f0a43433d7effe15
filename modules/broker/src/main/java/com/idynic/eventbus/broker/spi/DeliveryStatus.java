package com.idynic.eventbus.broker.spi;

import java.time.Instant;

/**
 * Where one event stands for one subscription.
 *
 * @param deliveryId the delivery row (for paging)
 * @param subscriptionId the subscription
 * @param eventId the event
 * @param state where the delivery stands
 * @param attempts attempts so far
 * @param lastError the last failure, or null
 * @param nextAttemptAt when it is due (pending), or null
 * @param deliveredAt when it was acknowledged, or null
 * @param deadAt when it entered the dead-letter queue, or null
 * @param deadGroup the id of the dead letter that heads its parked sequence, or null
 * @param redriveCount how often it was redriven out of the dead-letter queue (0 when never)
 * @param redrivenAt when it was last redriven, or null
 * @since 0.2.0
 */
public record DeliveryStatus(
        long deliveryId,
        String subscriptionId,
        String eventId,
        DeliveryState state,
        int attempts,
        String lastError,
        Instant nextAttemptAt,
        Instant deliveredAt,
        Instant deadAt,
        Long deadGroup,
        int redriveCount,
        Instant redrivenAt) {

    /** A delivery never redriven. */
    public DeliveryStatus(
            long deliveryId,
            String subscriptionId,
            String eventId,
            DeliveryState state,
            int attempts,
            String lastError,
            Instant nextAttemptAt,
            Instant deliveredAt,
            Instant deadAt,
            Long deadGroup) {
        this(
                deliveryId,
                subscriptionId,
                eventId,
                state,
                attempts,
                lastError,
                nextAttemptAt,
                deliveredAt,
                deadAt,
                deadGroup,
                0,
                null);
    }
}
