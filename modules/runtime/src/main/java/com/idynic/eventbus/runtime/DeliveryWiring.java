package com.idynic.eventbus.runtime;

import com.idynic.eventbus.broker.Dispatcher;
import com.idynic.eventbus.broker.HistoryMover;
import com.idynic.eventbus.broker.ObservedDeliveryQueue;
import com.idynic.eventbus.broker.Signal;
import com.idynic.eventbus.broker.kafka.KafkaEventLog;
import com.idynic.eventbus.broker.kafka.KafkaSettings;
import com.idynic.eventbus.broker.spi.AuditLog;
import com.idynic.eventbus.broker.spi.DeliveryArchive;
import com.idynic.eventbus.broker.spi.DeliveryQueue;
import com.idynic.eventbus.broker.spi.Spans;
import com.idynic.eventbus.security.ServiceDirectory;
import com.idynic.eventbus.subscribers.AddressGuard;
import com.idynic.eventbus.subscribers.Replays;
import com.idynic.eventbus.subscribers.SubscriptionRegistry;
import com.idynic.eventbus.subscribers.SubscriptionSettings;
import com.idynic.eventbus.subscribers.delivery.WebhookDelivery;
import com.idynic.eventbus.subscribers.delivery.WebhookSender;
import com.idynic.eventbus.subscribers.spi.ReplayStore;
import com.idynic.eventbus.subscribers.spi.SubscriptionCache;
import com.idynic.eventbus.subscribers.spi.SubscriptionStore;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.time.Clock;
import java.util.concurrent.ExecutorService;

/**
 * Wires subscriptions and push delivery: the registry, fan-out, webhooks, replays, dead letters, and the mover
 * that takes finished deliveries to the history.
 */
@ApplicationScoped
public class DeliveryWiring {
    @Resource(lookup = "java:comp/DefaultManagedExecutorService")
    ExecutorService managedExecutor;

    @Produces
    @Singleton
    SubscriptionRegistry subscriptions(
            SubscriptionStore store,
            SubscriptionCache cache,
            ServiceDirectory services,
            AddressGuard guard,
            SubscriptionSettings settings,
            Clock clock) {
        return new SubscriptionRegistry(
                store, cache, clock, settings.maxStaleness(), new OwnerPermissions(services), guard);
    }

    @Produces
    @Singleton
    AddressGuard addressGuard(SubscriptionSettings settings) {
        return new AddressGuard(
                AddressGuard.parse(settings.webhookAllow()),
                AddressGuard.parse(settings.webhookDeny()),
                InetAddress::getAllByName);
    }

    @Produces
    @Singleton
    Dispatcher dispatcher(SubscriptionRegistry subscriptions, DeliveryQueue deliveries, @Enqueued Signal enqueued) {
        return new Dispatcher(subscriptions, deliveries, enqueued);
    }

    @Produces
    @Singleton
    HistoryMover historyMover(DeliveryArchive archive, HistoryMover.Settings settings, Clock clock) {
        return new HistoryMover(archive, settings, clock);
    }

    @Produces
    @Singleton
    Replays replays(
            ReplayStore store,
            DeliveryQueue deliveries,
            SubscriptionRegistry subscriptions,
            KafkaSettings kafka,
            @Enqueued Signal enqueued) {
        return new Replays(
                store, new KafkaEventLog(kafka.bootstrap(), kafka.topic()), deliveries, subscriptions, enqueued);
    }

    @Produces
    @Singleton
    WebhookDelivery webhooks(
            SubscriptionRegistry subscriptions,
            DeliveryQueue deliveries,
            AuditLog audit,
            AddressGuard guard,
            WebhookDelivery.Settings settings,
            @Enqueued Signal enqueued,
            BusMetrics metrics,
            Clock clock,
            Spans spans) {
        return new WebhookDelivery(
                subscriptions,
                new ObservedDeliveryQueue(deliveries, metrics::settled, clock),
                audit,
                new WebhookSender(managedExecutor, clock, guard),
                enqueued,
                clock,
                settings,
                spans);
    }
}
