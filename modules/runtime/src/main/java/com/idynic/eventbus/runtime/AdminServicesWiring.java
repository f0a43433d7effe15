package com.idynic.eventbus.runtime;

import com.idynic.eventbus.broker.RetentionManager;
import com.idynic.eventbus.broker.RetentionService;
import com.idynic.eventbus.broker.spi.RetentionStore;
import com.idynic.eventbus.subscribers.SchemaReaders;
import com.idynic.eventbus.subscribers.SubscriptionRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Wires the services behind {@code /v1/retention} and {@code /v1/schemas}. */
@ApplicationScoped
public class AdminServicesWiring {
    @Produces
    @Singleton
    RetentionService retentionService(RetentionManager manager, RetentionStore store) {
        return new RetentionService(manager, store);
    }

    @Produces
    @Singleton
    SchemaReaders schemaReaders(SubscriptionRegistry subscriptions) {
        return new SchemaReaders(subscriptions::all);
    }
}
