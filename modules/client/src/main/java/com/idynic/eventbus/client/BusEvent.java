package com.idynic.eventbus.client;

import com.idynic.eventbus.api.EventEnvelope;

/**
 * An event delivered to a CDI observer.
 *
 * @param envelope the event as published
 * @param attempt 1 on first delivery, higher on redelivery (after a throwing observer or a crash)
 * @param traceparent the W3C trace context of this delivery: the event's trace id with the delivery's own
 *     parent id (e.g. {@code 00-4bf92f3577b34da6a3ce929d0e0e4736-b7ad6b7169203331-01}); put it in the
 *     {@code metadata} of events the observer publishes so they join the same trace
 * @since 0.1.0
 */
public record BusEvent(EventEnvelope envelope, int attempt, String traceparent) {
    /**
     * An event delivered with its own trace context ({@code metadata.traceparent}).
     *
     * @param envelope the event as published
     * @param attempt 1 on first delivery
     */
    public BusEvent(EventEnvelope envelope, int attempt) {
        this(envelope, attempt, envelope.traceparent());
    }

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
