package com.idynic.eventbus.runtime;

import com.idynic.eventbus.admin.AuditTrail;
import com.idynic.eventbus.admin.spi.AuditReader;
import com.idynic.eventbus.broker.RetentionManager;
import com.idynic.eventbus.broker.RetentionService;
import com.idynic.eventbus.broker.spi.AuditLog;
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
    RetentionService retentionService(RetentionManager manager, RetentionStore store, AuditLog audit) {
        return new RetentionService(manager, store, audit);
    }

    @Produces
    @Singleton
    AuditTrail auditTrail(AuditReader reader) {
        return new AuditTrail(reader);
    }

    @Produces
    @Singleton
    SchemaReaders schemaReaders(SubscriptionRegistry subscriptions) {
        return new SchemaReaders(subscriptions::all);
    }
}
