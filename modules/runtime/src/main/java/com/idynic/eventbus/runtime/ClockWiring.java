package com.idynic.eventbus.runtime;

import com.idynic.eventbus.api.SystemClock;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * The one clock of the bus, so that every rule that reads the time reads it from one place. Produced as
 * {@code @Singleton}, like the core classes, so that no client proxy subclasses a JDK class.
 */
@ApplicationScoped
public class ClockWiring {
    @Produces
    @Singleton
    Clock clock() {
        return SystemClock.UTC;
    }
}
