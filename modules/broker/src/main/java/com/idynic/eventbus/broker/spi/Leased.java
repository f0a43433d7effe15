package com.idynic.eventbus.broker.spi;

import java.time.Instant;

/**
 * An event handed to a subscriber under a lease (pull: the ack deadline; push: the call timeout).
 *
 * @param deliveryId the delivery row
 * @param subscriptionId the subscription
 * @param event the stored event
 * @param attempt 1 for the first delivery, 2 for the first redelivery, ...
 * @param firstAttemptAt when the first attempt started (for the retry policy's max age)
 * @param leasedAt when this attempt's lease began
 * @param replay whether this delivery comes from a replay (history), not from live dispatch
 * @since 0.1.0
 */
public record Leased(
        long deliveryId,
        String subscriptionId,
        StoredEvent event,
        int attempt,
        Instant firstAttemptAt,
        Instant leasedAt,
        boolean replay) {}
