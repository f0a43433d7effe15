package com.idynic.eventbus.runtime;

import com.idynic.eventbus.broker.BulkRedriveRunner;
import com.idynic.eventbus.broker.BulkRedrives;
import com.idynic.eventbus.broker.DeadLetters;
import com.idynic.eventbus.broker.Masking;
import com.idynic.eventbus.broker.Signal;
import com.idynic.eventbus.broker.spi.AuditLog;
import com.idynic.eventbus.broker.spi.BulkRedriveStore;
import com.idynic.eventbus.broker.spi.DeadLetterStore;
import com.idynic.eventbus.broker.spi.DeliveryHistory;
import com.idynic.eventbus.broker.spi.EventStore;
import com.idynic.eventbus.subscribers.ReplayService;
import com.idynic.eventbus.subscribers.SubscriptionDeadLetters;
import com.idynic.eventbus.subscribers.SubscriptionPulls;
import com.idynic.eventbus.subscribers.SubscriptionRegistry;
import com.idynic.eventbus.subscribers.SubscriptionService;
import com.idynic.eventbus.subscribers.SubscriptionSettings;
import com.idynic.eventbus.subscribers.delivery.LongPolls;
import com.idynic.eventbus.subscribers.delivery.PullService;
import com.idynic.eventbus.subscribers.delivery.WebhookDelivery;
import com.idynic.eventbus.subscribers.spi.ReplayStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;

/** Wires the services behind the subscription, replay and dead-letter resources. */
@ApplicationScoped
public class SubscriptionWiring {
    @Inject
    SubscriptionSettings settings;

    @Inject
    Clock clock;

    @Inject
    @Enqueued
    Signal enqueued;

    @Produces
    @Singleton
    ReplayService replayService(ReplayStore store, SubscriptionRegistry registry, AuditLog audit) {
        return new ReplayService(store, registry, clock, settings.replayDefaultRate(), audit);
    }

    @Produces
    @Singleton
    SubscriptionService subscriptionService(
            SubscriptionRegistry registry, ReplayService replays, WebhookDelivery webhooks, AuditLog audit) {
        return new SubscriptionService(registry, replays, webhooks, enqueued, settings.maxPerService(), audit);
    }

    @Produces
    @Singleton
    SubscriptionPulls subscriptionPulls(SubscriptionRegistry registry, PullService pulls, LongPolls longPolls) {
        return new SubscriptionPulls(registry, pulls, longPolls);
    }

    @Produces
    @Singleton
    DeadLetters deadLetters(DeadLetterStore deadLetters, DeliveryHistory history, EventStore events, Masking masking) {
        return new DeadLetters(deadLetters, history, events, enqueued, masking);
    }

    @Produces
    @Singleton
    SubscriptionDeadLetters subscriptionDeadLetters(
            SubscriptionRegistry registry, DeadLetters deadLetters, BulkRedriveStore bulkRedrives) {
        return new SubscriptionDeadLetters(
                registry,
                deadLetters,
                new BulkRedrives(bulkRedrives, deadLetters, clock, settings.replayDefaultRate()));
    }

    /** Runs the bulk redrives that {@link SubscriptionDeadLetters#redriveAll} stores (started in {@link RelayLifecycle}). */
    @Produces
    @Singleton
    BulkRedriveRunner bulkRedriveRunner(BulkRedriveStore bulkRedrives) {
        return new BulkRedriveRunner(bulkRedrives, enqueued);
    }
}
