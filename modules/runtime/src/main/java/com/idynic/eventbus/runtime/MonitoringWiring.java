package com.idynic.eventbus.runtime;

import com.idynic.eventbus.admin.AlertLoop;
import com.idynic.eventbus.admin.AlertNotifier;
import com.idynic.eventbus.admin.AlertRules;
import com.idynic.eventbus.admin.FigureHistory;
import com.idynic.eventbus.admin.Monitoring;
import com.idynic.eventbus.admin.spi.AlertStore;
import com.idynic.eventbus.admin.spi.MonitoringStore;
import com.idynic.eventbus.broker.Backpressure;
import com.idynic.eventbus.broker.DispatchWatch;
import com.idynic.eventbus.broker.Loops;
import com.idynic.eventbus.broker.spi.AuditLog;
import com.idynic.eventbus.subscribers.AddressGuard;
import com.idynic.eventbus.subscribers.SubscriptionRegistry;
import com.idynic.eventbus.subscribers.delivery.WebhookDelivery;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.concurrent.ExecutorService;

/** Wires the operator's facade: the figures ({@link Monitoring}) and alerts (rules, the evaluation loop, notifications). */
@ApplicationScoped
public class MonitoringWiring {
    @Resource(lookup = "java:comp/DefaultManagedExecutorService")
    ExecutorService managedExecutor;

    @Produces
    @Singleton
    Monitoring monitoring(
            MonitoringStore store,
            Backpressure backpressure,
            Loops loops,
            DispatchWatch dispatch,
            WebhookDelivery webhooks,
            FigureMetrics metrics,
            Monitoring.Settings settings,
            FigureHistory.Settings history,
            Clock clock) {
        return new Monitoring(
                store, backpressure, loops, dispatch, webhooks::circuitOf, metrics::track, settings, clock, history);
    }

    @Produces
    @Singleton
    AlertRules alertRules(
            AlertStore store,
            Monitoring monitoring,
            AddressGuard guard,
            SubscriptionRegistry subscriptions,
            AuditLog audit,
            Clock clock) {
        return new AlertRules(
                store, monitoring, guard, id -> subscriptions.find(id).isPresent(), audit, clock);
    }

    @Produces
    @Singleton
    AlertLoop alertLoop(
            AlertStore store,
            Monitoring monitoring,
            AddressGuard guard,
            AlertLoop.Settings settings,
            AlertNotifier.Settings notifications,
            Clock clock) {
        AlertNotifier notifier = new AlertNotifier(
                store, AlertNotifier.http(managedExecutor, guard, notifications.timeout()), notifications, clock);
        return new AlertLoop(store, monitoring, notifier, settings, clock);
    }
}
