package com.idynic.eventbus.connector;

import java.util.Objects;

/**
 * An event to publish with its envelope fields, as the payload of an outgoing channel (e.g. an
 * {@code Emitter<OutgoingEvent>}): {@code OutgoingEvent.of("order.shipped", shipment).withOrderingKey(orderId)}.
 * Other payloads are published as {@code data} with the channel's {@code type}.
 *
 * @param type the event type, e.g. {@code order.shipped}
 * @param data a JSON object: a record, bean, {@code Map}, Jackson {@code ObjectNode} or a JSON text
 * @param id the event id, or null for a generated {@code evt-<uuid>} (give one to make retries idempotent)
 * @param orderingKey {@code metadata.partitionKey}, or null
 * @param source the source, or null for the channel's {@code source} (default: the API key's service)
 * @param correlationId {@code metadata.correlationId}, or null
 * @since 0.4.0
 */
public record OutgoingEvent(
        String type, Object data, String id, String orderingKey, String source, String correlationId) {
    /** @throws NullPointerException when type or data is null */
    public OutgoingEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
    }

    /** @return an event of this type and data with a generated id, no ordering key */
    public static OutgoingEvent of(String type, Object data) {
        return new OutgoingEvent(type, data, null, null, null, null);
    }

    /** @return this event with the id {@code id} */
    public OutgoingEvent withId(String id) {
        return new OutgoingEvent(type, data, id, orderingKey, source, correlationId);
    }

    /** @return this event with the ordering key {@code key} */
    public OutgoingEvent withOrderingKey(String key) {
        return new OutgoingEvent(type, data, id, key, source, correlationId);
    }

    /** @return this event with the source {@code source} */
    public OutgoingEvent withSource(String source) {
        return new OutgoingEvent(type, data, id, orderingKey, source, correlationId);
    }

    /** @return this event with the correlation id {@code correlationId} */
    public OutgoingEvent withCorrelationId(String correlationId) {
        return new OutgoingEvent(type, data, id, orderingKey, source, correlationId);
    }
}
