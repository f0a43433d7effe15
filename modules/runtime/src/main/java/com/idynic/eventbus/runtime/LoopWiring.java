package com.idynic.eventbus.runtime;

import com.idynic.eventbus.broker.Loops;
import com.idynic.eventbus.broker.Signal;
import com.idynic.eventbus.broker.SupervisedLoop;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** The wake-up signals between the bus's background loops, and the supervisor of those loops. */
@ApplicationScoped
public class LoopWiring {
    private final Signal relayWake = new Signal();
    private final Signal enqueued = new Signal();

    /** Raised after each commit of new events: the relay looks at the outbox at once. */
    @Produces
    @RelayWake
    Signal relayWake() {
        return relayWake;
    }

    /** Raised when deliveries are queued: webhook delivery and waiting pulls look at once. */
    @Produces
    @Enqueued
    Signal enqueued() {
        return enqueued;
    }

    @Produces
    @Singleton
    Loops loops(Loops.Settings settings, Clock clock) {
        return new Loops(settings, clock, SupervisedLoop.Sleeper.THREAD);
    }
}
