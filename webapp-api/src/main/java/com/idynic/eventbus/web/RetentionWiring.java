package com.idynic.eventbus.web;

import com.idynic.eventbus.broker.RetentionManager;
import com.idynic.eventbus.broker.RetentionService;
import com.idynic.eventbus.broker.spi.RetentionStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Wires the retention service behind {@code /v1/retention}. */
@ApplicationScoped
public class RetentionWiring {
    @Produces
    @Singleton
    RetentionService retentionService(RetentionManager manager, RetentionStore store) {
        return new RetentionService(manager, store);
    }
}
