package com.idynic.eventbus.runtime;

import com.idynic.eventbus.broker.spi.AuditLog;
import com.idynic.eventbus.security.ConsoleSessions;
import com.idynic.eventbus.security.Credentials;
import com.idynic.eventbus.security.SecuritySettings;
import com.idynic.eventbus.security.ServiceAdmin;
import com.idynic.eventbus.security.ServiceDirectory;
import com.idynic.eventbus.security.spi.ServiceStore;
import com.idynic.eventbus.subscribers.SubscriptionRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;

/** Wires the service directory and service administration. */
@ApplicationScoped
public class SecurityServicesWiring {
    @Inject
    Clock clock;

    @Inject
    SecuritySettings settings;

    @Produces
    @Singleton
    ServiceDirectory serviceDirectory(ServiceStore store) {
        return new ServiceDirectory(store, clock, settings.directoryTtl());
    }

    @Produces
    @Singleton
    ServiceAdmin serviceAdmin(
            ServiceDirectory directory, Credentials credentials, SubscriptionRegistry subscriptions, AuditLog audit) {
        return new ServiceAdmin(directory, credentials, subscriptions::applyPermissions, clock, audit);
    }

    @Produces
    @Singleton
    ConsoleSessions consoleSessions(Credentials credentials, AuditLog audit) {
        return new ConsoleSessions(credentials, audit);
    }
}
