package com.idynic.eventbus.api;

/**
 * Publishes events to the bus. Implementations store the event and its outbox row atomically; when
 * called inside a JTA transaction they join it, so a rollback leaves no event behind.
 *
 * @since 0.1.0
 */
public interface Publisher {
    /**
     * @param event a validated envelope
     * @return the receipt; for an id published before with the same content, the original receipt
     * @throws DuplicateEventException when the id was used before with different content
     */
    PublishReceipt publish(EventEnvelope event);
}
