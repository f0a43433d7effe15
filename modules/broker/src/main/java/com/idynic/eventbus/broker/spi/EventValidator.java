package com.idynic.eventbus.broker.spi;

import com.idynic.eventbus.api.EventEnvelope;

/**
 * Checks an event before it is stored (the schema registry in production).
 *
 * @since 0.2.0
 */
@FunctionalInterface
public interface EventValidator {
    /** @throws com.idynic.eventbus.api.BusException when the event must be refused */
    void validate(EventEnvelope event);
}
