package com.idynic.eventbus.admin;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The bus's figures at one instant: for the whole bus, per subscription and for the pipeline.
 *
 * @param at when they were read
 * @param window how far back success rate and processing time look, e.g. 5 minutes
 * @param total the whole bus
 * @param subscriptions every subscription, by id
 * @param pipeline outbox, relay and dispatch
 * @param published events accepted in the window
 * @since 0.19.0
 */
public record Overview(
        Instant at,
        Duration window,
        DeliveryFigures total,
        List<SubscriptionFigures> subscriptions,
        PipelineFigures pipeline,
        long published) {
    public Overview {
        subscriptions = List.copyOf(subscriptions);
    }

    /** Figures without a count of events published. */
    public Overview(
            Instant at,
            Duration window,
            DeliveryFigures total,
            List<SubscriptionFigures> subscriptions,
            PipelineFigures pipeline) {
        this(at, window, total, subscriptions, pipeline, 0);
    }

    /** @return events accepted per second, on average over the window */
    public double publishRate() {
        return published / seconds();
    }

    /** @return events delivered (attempts that succeeded) per second, on average over the window */
    public double deliveryRate() {
        return total.attemptsSucceeded() / seconds();
    }

    private double seconds() {
        return window.toMillis() / 1000.0;
    }

    /** @return the figures of one subscription, empty when it does not exist */
    public Optional<SubscriptionFigures> subscription(String id) {
        return subscriptions.stream().filter(s -> s.subscriptionId().equals(id)).findFirst();
    }
}
