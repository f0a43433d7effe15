package com.idynic.eventbus.web;

import com.idynic.eventbus.broker.Backpressure;
import com.idynic.eventbus.broker.EventQueries;
import com.idynic.eventbus.broker.PublishGate;
import com.idynic.eventbus.broker.PublishService;
import com.idynic.eventbus.broker.spi.DeliveryStore;
import com.idynic.eventbus.broker.spi.EventSearch;
import com.idynic.eventbus.broker.spi.EventStore;
import com.idynic.eventbus.security.RateLimit;
import com.idynic.eventbus.security.RateLimiter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Wires the publish gate and the event queries behind {@code /v1/events}. */
@ApplicationScoped
public class PublishWiring {
    @Inject
    @ConfigProperty(name = "eventbus.publish.idempotency-window")
    Duration idempotencyWindow;

    @Produces
    @Singleton
    PublishGate publishGate(
            PublishService publisher,
            RateLimiter rateLimiter,
            RateLimit defaultRateLimit,
            Backpressure backpressure,
            BusMetrics metrics) {
        return new PublishGate(
                publisher, rateLimiter, defaultRateLimit, backpressure, idempotencyWindow, metrics::refused);
    }

    @Produces
    @Singleton
    EventQueries eventQueries(EventStore events, DeliveryStore deliveries, EventSearch search) {
        return new EventQueries(events, deliveries, search);
    }
}
