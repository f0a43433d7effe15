package com.idynic.eventbus.broker.spi;

import com.idynic.eventbus.api.EventEnvelope;
import com.idynic.eventbus.api.PublishReceipt;
import java.util.Optional;

/**
 * Durable event storage with a transactional outbox.
 *
 * @since 0.1.0
 */
public interface EventStore {
    /**
     * Stores the event and its outbox row atomically (joining the caller's transaction if there is one).
     *
     * @throws RuntimeException when the id is taken (unique constraint) or storage is unreachable; the
     *     caller tells the two apart with {@link #find(String)}
     */
    void append(EventEnvelope event, PublishReceipt receipt);

    /**
     * As {@link #append(EventEnvelope, PublishReceipt)}, also recording {@code idempotencyKey} (unique;
     * a key older than {@code window} may be reused).
     */
    void append(EventEnvelope event, PublishReceipt receipt, String idempotencyKey, java.time.Duration window);

    /** @return what was recorded for an idempotency key within {@code window}, or empty */
    Optional<IdempotencyRecord> idempotencyKey(String key, java.time.Duration window);

    /** @return the stored event with this id, or empty */
    Optional<StoredEvent> find(String eventId);
}
