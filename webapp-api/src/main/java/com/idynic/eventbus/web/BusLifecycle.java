package com.idynic.eventbus.web;

import com.idynic.eventbus.runtime.RelayLifecycle;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Starts the bus's workers when the REST module starts. The trigger sits here, not in the shared runtime jar:
 * an observer in the EAR's {@code lib/} would hear the start of every web module.
 */
@ApplicationScoped
public class BusLifecycle {
    @Inject
    RelayLifecycle relay;

    void start(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        relay.start();
    }
}
