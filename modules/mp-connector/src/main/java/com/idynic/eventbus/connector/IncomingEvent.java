package com.idynic.eventbus.connector;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One event an {@code @Incoming} channel received, with its delivery: the payload of a channel with
 * {@code payload=event}, and on every channel {@code message.unwrap(IncomingEvent.class)} while the runtime hands the
 * connector's own message to the method.
 *
 * @param id the event id, e.g. {@code ord-1001}
 * @param type the event type, e.g. {@code order.placed}
 * @param source the publishing service, e.g. {@code order-service}
 * @param orderingKey {@code metadata.partitionKey}, or null: events of one key arrive in publish order
 * @param correlationId {@code metadata.correlationId}, or null
 * @param timestamp the event's time, or null
 * @param traceparent the delivery's W3C {@code traceparent}, or null
 * @param attempt 1 for the first delivery, 2 for the first retry, …
 * @param replay whether this delivery is part of a replay
 * @param data the event's {@code data} object
 * @since 0.4.0
 */
public record IncomingEvent(
        String id,
        String type,
        String source,
        String orderingKey,
        String correlationId,
        Instant timestamp,
        String traceparent,
        int attempt,
        boolean replay,
        JsonNode data) {}
