package com.idynic.eventbus.client;

import com.idynic.eventbus.api.EventEnvelope;

/**
 * An event delivered to a CDI observer.
 *
 * @param envelope the event as published
 * @param attempt 1 on first delivery, higher on redelivery (after a throwing observer or a crash)
 * @since 0.1.0
 */
public record BusEvent(EventEnvelope envelope, int attempt) {
    /** @return the event id; use it to deduplicate, delivery is at least once */
    public String id() {
        return envelope.id();
    }

    /** @return the event type */
    public String type() {
        return envelope.eventType();
    }

    /** @return the payload */
    public jakarta.json.JsonObject data() {
        return envelope.data();
    }
}
