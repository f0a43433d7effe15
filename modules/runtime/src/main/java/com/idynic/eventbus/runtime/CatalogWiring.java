package com.idynic.eventbus.runtime;

import com.idynic.eventbus.admin.AsyncApiDocument;
import com.idynic.eventbus.admin.EventCatalog;
import com.idynic.eventbus.admin.EventFlows;
import com.idynic.eventbus.admin.Monitoring;
import com.idynic.eventbus.admin.PublisherTracker;
import com.idynic.eventbus.admin.spi.CatalogStore;
import com.idynic.eventbus.broker.Masking;
import com.idynic.eventbus.broker.kafka.KafkaSettings;
import com.idynic.eventbus.schema.SchemaRegistry;
import com.idynic.eventbus.subscribers.SubscriptionRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;

/** Wires the event catalog, its AsyncAPI document and the flow graph, and the publisher counts the publish service keeps for them. */
@ApplicationScoped
public class CatalogWiring {
    /** How often a server adds its publisher counts to the database (a few rows per flush). */
    static final Duration FLUSH_EVERY = Duration.ofSeconds(5);
    /** Most (type, source, minute) counts held between flushes. */
    static final int MAX_PAIRS = 10_000;

    @Produces
    @Singleton
    PublisherTracker publisherTracker(CatalogStore store, Clock clock) {
        return new PublisherTracker(store, clock, FLUSH_EVERY, MAX_PAIRS);
    }

    @Produces
    @Singleton
    EventCatalog eventCatalog(
            SchemaRegistry schemas,
            SubscriptionRegistry subscriptions,
            CatalogStore store,
            PublisherTracker tracker,
            Masking masking) {
        return new EventCatalog(schemas, subscriptions::all, store, tracker::flush, masking);
    }

    @Produces
    @Singleton
    AsyncApiDocument asyncApiDocument(SchemaRegistry schemas, KafkaSettings kafka) {
        return new AsyncApiDocument(schemas, kafka.topic(), kafka.bootstrap());
    }

    @Produces
    @Singleton
    EventFlows eventFlows(
            EventCatalog catalog,
            CatalogStore store,
            Monitoring monitoring,
            SubscriptionRegistry subscriptions,
            Clock clock) {
        return new EventFlows(catalog, store, monitoring::overview, subscriptions::all, monitoring.window(), clock);
    }
}
