package com.idynic.eventbus.console;

import com.idynic.eventbus.admin.AlertRules;
import com.idynic.eventbus.admin.AuditTrail;
import com.idynic.eventbus.admin.EventCatalog;
import com.idynic.eventbus.admin.EventFlows;
import com.idynic.eventbus.admin.Monitoring;
import com.idynic.eventbus.broker.EventQueries;
import com.idynic.eventbus.broker.RetentionService;
import com.idynic.eventbus.schema.SchemaRegistry;
import com.idynic.eventbus.security.ConsoleSessions;
import com.idynic.eventbus.security.Credentials;
import com.idynic.eventbus.security.ServiceAdmin;
import com.idynic.eventbus.subscribers.ReplayService;
import com.idynic.eventbus.subscribers.SchemaReaders;
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
    AlertRules alertRules;

    @Inject
    AuditTrail auditTrail;

    @Inject
    ConsoleSessions consoleSessions;

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

    @Inject
    EventCatalog catalog;

    @Inject
    EventFlows flows;

    @Inject
    SchemaRegistry schemas;

    @Inject
    SchemaReaders schemaReaders;

    @Inject
    RetentionService retention;

    /** @return the event catalog: types, schema versions, publishers, subscribers, samples */
    public EventCatalog catalog() {
        return catalog;
    }

    /** @return the flow graph: services → event types → subscriptions */
    public EventFlows flows() {
        return flows;
    }

    /** @return the schema registry (the methods {@code /v1/schemas} calls) */
    public SchemaRegistry schemas() {
        return schemas;
    }

    /** @return which subscriptions a new schema version would break */
    public SchemaReaders schemaReaders() {
        return schemaReaders;
    }

    /** @return retention policies and runs (the methods {@code /v1/retention} calls) */
    public RetentionService retention() {
        return retention;
    }

    /** @return alert rules, active alerts and their history (the service of {@code /v1/alerts}) */
    public AlertRules alertRules() {
        return alertRules;
    }

    /** @return the audit log's read side (the service of {@code /v1/audit}) */
    public AuditTrail auditTrail() {
        return auditTrail;
    }

    /** @return console sign-in and sign-out (audited) */
    public ConsoleSessions consoleSessions() {
        return consoleSessions;
    }
}
