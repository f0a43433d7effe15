package com.idynic.eventbus.broker.spi;

/**
 * What an {@code Idempotency-Key} was first used for.
 *
 * @param contentHash the envelope's content hash
 * @param eventId the event it published
 * @since 0.2.0
 */
public record IdempotencyRecord(String contentHash, String eventId) {}
