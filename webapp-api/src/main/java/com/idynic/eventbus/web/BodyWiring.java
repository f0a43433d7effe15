package com.idynic.eventbus.web;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Reads the request body settings once and makes the server-wide body budget from them. */
@ApplicationScoped
public class BodyWiring {
    @Inject
    @ConfigProperty(name = "eventbus.publish.max-body-bytes")
    long eventBytes;

    @Inject
    @ConfigProperty(name = "eventbus.publish.max-batch-bytes")
    long batchBytes;

    @Inject
    @ConfigProperty(name = "eventbus.publish.max-batch-events")
    int batchEvents;

    @Inject
    @ConfigProperty(name = "eventbus.http.body-budget-bytes")
    long budgetBytes;

    @Produces
    @Singleton
    BodyLimits limits() {
        return new BodyLimits(eventBytes, batchBytes, batchEvents, budgetBytes);
    }

    @Produces
    @Singleton
    BodyBudget budget(BodyLimits limits) {
        return new BodyBudget(limits.budgetBytes());
    }
}
