package com.idynic.eventbus.broker;

import java.time.Duration;

/**
 * A delivery attempt's outcome was recorded: the event was delivered, will be retried, or went to the dead-letter
 * queue. Told to metrics after the settlement committed.
 *
 * @param subscriptionId the subscription
 * @param outcome what the settlement decided
 * @param replay whether the delivery came from a replay
 * @param sincePublish from the bus accepting the event to the settlement
 * @since 0.19.0
 */
public record DeliverySettled(String subscriptionId, Decision.Kind outcome, boolean replay, Duration sincePublish) {}
