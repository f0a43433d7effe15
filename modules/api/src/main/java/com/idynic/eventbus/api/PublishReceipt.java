package com.idynic.eventbus.api;

import java.time.OffsetDateTime;

/**
 * Proof that the bus committed an event: returned only after the event and its outbox row are durable.
 *
 * @param eventId the event's id, as published
 * @param acceptedAt when the bus committed the event (UTC)
 * @param receipt opaque receipt id, e.g. {@code rcpt-5f2c9a1b7e3d}; the same for every idempotent retry
 * @since 0.1.0
 */
public record PublishReceipt(String eventId, OffsetDateTime acceptedAt, String receipt) {}
