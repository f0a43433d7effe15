package com.idynic.eventbus.broker;

import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.DuplicateEventException;
import com.idynic.eventbus.api.ErrorCode;
import com.idynic.eventbus.api.EventEnvelope;
import com.idynic.eventbus.api.PublishReceipt;
import com.idynic.eventbus.api.Publisher;
import com.idynic.eventbus.broker.spi.EventStore;
import com.idynic.eventbus.broker.spi.StoredEvent;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Accepts an event: stores it with its outbox row and answers with a receipt, or explains the refusal.
 * Idempotency is decided by the database's unique event id, never by check-then-insert: a repeated id
 * surfaces as a failed append, after which the stored row decides (same content: the original receipt;
 * different content: a conflict). No stored row after a failed append means the store is unavailable.
 *
 * @since 0.1.0
 */
public final class PublishService implements Publisher {
    private static final Logger LOG = Logger.getLogger(PublishService.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();

    private final EventStore store;
    private final Runnable afterCommit;
    private final Clock clock;

    /**
     * @param store where events and outbox rows go
     * @param afterCommit called after a new event committed (wakes the relay)
     * @param clock source of receipt timestamps
     */
    public PublishService(EventStore store, Runnable afterCommit, Clock clock) {
        this.store = store;
        this.afterCommit = afterCommit;
        this.clock = clock;
    }

    @Override
    public PublishReceipt publish(EventEnvelope event) {
        PublishReceipt receipt = new PublishReceipt(
                event.id(), OffsetDateTime.now(clock).truncatedTo(ChronoUnit.MILLIS), newReceiptId());
        try {
            store.append(event, receipt);
        } catch (RuntimeException appendFailure) {
            Optional<StoredEvent> existing = findOrUnavailable(event.id(), appendFailure);
            if (existing.isPresent()) {
                return sameOrConflict(event, existing.get());
            }
            throw unavailable(appendFailure);
        }
        afterCommit.run();
        return receipt;
    }

    static PublishReceipt sameOrConflict(EventEnvelope incoming, StoredEvent stored) {
        if (stored.envelope().contentHash().equals(incoming.contentHash())) {
            return stored.receipt();
        }
        throw new DuplicateEventException(incoming.id());
    }

    private Optional<StoredEvent> findOrUnavailable(String id, RuntimeException earlier) {
        try {
            return store.find(id);
        } catch (RuntimeException e) {
            if (earlier != null) {
                e.addSuppressed(earlier);
            }
            throw unavailable(e);
        }
    }

    private static BusException unavailable(RuntimeException cause) {
        LOG.log(Level.WARNING, "event store unavailable", cause);
        return new BusException(
                ErrorCode.STORAGE_UNAVAILABLE,
                "The event store is unavailable; the event was not stored. Retry later.",
                Map.of("retryable", true));
    }

    static String newReceiptId() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return "rcpt-" + HexFormat.of().formatHex(b);
    }
}
