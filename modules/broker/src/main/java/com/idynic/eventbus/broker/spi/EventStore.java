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
     * A taken id is the normal outcome of a re-publish, not a failure: nothing is written, nothing is
     * logged, and the caller's transaction stays usable.
     *
     * @return true when the event was stored; false when an event with its id already exists (the caller
     *     reads it with {@link #find(String)} to compare content)
     * @throws RuntimeException when storage is unreachable
     */
    boolean append(EventEnvelope event, PublishReceipt receipt);

    /**
     * As {@link #append(EventEnvelope, PublishReceipt)}, also recording {@code idempotencyKey} for
     * {@code service} (unique per service: another service's identical key is a different key; a key older
     * than {@code window} may be reused). A taken event id records no key.
     *
     * @param service the publishing service, never null
     * @param idempotencyKey the caller's {@code Idempotency-Key}, never null
     * @return as {@link #append(EventEnvelope, PublishReceipt)}
     * @throws RuntimeException when storage is unreachable or the key is still in use for another event
     * @since 0.3.0
     */
    boolean append(
            EventEnvelope event,
            PublishReceipt receipt,
            String service,
            String idempotencyKey,
            java.time.Duration window);

    /**
     * @param service the publishing service whose keys are searched, never null
     * @param key the {@code Idempotency-Key}, never null
     * @return what {@code service} recorded for {@code key} within {@code window}, or empty (also when
     *     only another service used the key)
     * @since 0.3.0
     */
    Optional<IdempotencyRecord> idempotencyKey(String service, String key, java.time.Duration window);

    /** @return the stored event with this id, or empty */
    Optional<StoredEvent> find(String eventId);
}
