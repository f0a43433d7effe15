package com.idynic.eventbus.broker.spi;

/**
 * What one service's {@code Idempotency-Key} was first used for; keys are scoped per publishing service.
 *
 * @param contentHash the envelope's content hash
 * @param eventId the event it published, always an event of the same service
 * @since 0.2.0
 */
public record IdempotencyRecord(String contentHash, String eventId) {}
