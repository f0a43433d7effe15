package com.idynic.eventbus.console;

import com.idynic.eventbus.admin.Monitoring;
import com.idynic.eventbus.broker.EventQueries;
import com.idynic.eventbus.security.Credentials;
import com.idynic.eventbus.security.ServiceAdmin;
import com.idynic.eventbus.subscribers.ReplayService;
import com.idynic.eventbus.subscribers.SubscriptionDeadLetters;
import com.idynic.eventbus.subscribers.SubscriptionService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The bus's use-case services, the same instances the REST API injects (produced in
 * {@code modules/runtime}). Held here, in a normal scope, so the console's view-scoped beans can keep a
 * reference across requests.
 */
@ApplicationScoped
public class BusServices {
    @Inject
    EventQueries events;

    @Inject
    SubscriptionService subscriptions;

    @Inject
    SubscriptionDeadLetters deadLetters;

    @Inject
    ReplayService replays;

    @Inject
    Credentials credentials;

    @Inject
    ServiceAdmin serviceAdmin;

    @Inject
    Monitoring monitoring;

    @Inject
    java.time.Clock clock;

    /** @return event look-up, search and delivery history */
    public EventQueries events() {
        return events;
    }

    /** @return subscriptions: list, pause, resume, health */
    public SubscriptionService subscriptions() {
        return subscriptions;
    }

    /** @return dead letters per subscription: list, inspect, redrive, discard (audited) */
    public SubscriptionDeadLetters deadLetters() {
        return deadLetters;
    }

    /** @return replays: dry run, start, progress */
    public ReplayService replays() {
        return replays;
    }

    /** @return API keys: verification at sign-in */
    public Credentials credentials() {
        return credentials;
    }

    /** @return the operator figures (delivery success, processing time, queue depth, dead letters, flow) */
    public Monitoring monitoring() {
        return monitoring;
    }

    /** @return the Events page's guarded live tail (at most 50 events a read, one read per 2 s) */
    public com.idynic.eventbus.broker.LiveTail liveTail() {
        return new com.idynic.eventbus.broker.LiveTail(events, clock);
    }

    /** @return services and their keys (admin) */
    public ServiceAdmin serviceAdmin() {
        return serviceAdmin;
    }
}
