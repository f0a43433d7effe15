package com.idynic.eventbus.broker;

import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.DuplicateEventException;
import com.idynic.eventbus.api.ErrorCode;
import com.idynic.eventbus.api.EventEnvelope;
import com.idynic.eventbus.api.PublishReceipt;
import com.idynic.eventbus.api.Publisher;
import com.idynic.eventbus.broker.spi.EventStore;
import com.idynic.eventbus.broker.spi.EventValidator;
import com.idynic.eventbus.broker.spi.IdempotencyRecord;
import com.idynic.eventbus.broker.spi.StoredEvent;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Accepts an event: stores it with its outbox row and answers with a receipt, or explains the refusal.
 * Idempotency is decided by the database's unique event id, never by check-then-insert: a repeated id
 * leaves the append without effect (quietly: a re-publish is the normal path, not an error to log), after
 * which the stored row decides (same content: the original receipt; different content: a conflict). No
 * stored row after an append that stored nothing means the store is unavailable.
 * An {@code Idempotency-Key} belongs to the publishing service, so one service can neither block nor
 * learn of another's events through a key.
 *
 * @since 0.1.0
 */
public final class PublishService implements Publisher {
    private static final Logger LOG = Logger.getLogger(PublishService.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();

    private final EventStore store;
    private final EventValidator validator;
    private final Runnable afterCommit;
    private final Clock clock;

    /**
     * @param store where events and outbox rows go
     * @param validator checks each new event before it is stored (schemas)
     * @param afterCommit called after a new event committed (wakes the relay)
     * @param clock source of receipt timestamps
     */
    public PublishService(EventStore store, EventValidator validator, Runnable afterCommit, Clock clock) {
        this.store = store;
        this.validator = validator;
        this.afterCommit = afterCommit;
        this.clock = clock;
    }

    @Override
    public PublishReceipt publish(EventEnvelope event) {
        return publish(event, null, null, null);
    }

    /**
     * Publishes with an {@code Idempotency-Key} of the publishing service: within {@code window} the same
     * service sending the same key with the same content gets the first receipt, with different content is
     * refused ({@code IDEMPOTENCY_KEY_REUSED}, naming only that service's own event). Keys are per service:
     * another service's identical key neither blocks nor answers this one.
     *
     * @param service the publishing service (the authenticated caller); required with a key
     * @param idempotencyKey the header value, or null for none
     * @param window how long a key is remembered; unused without a key
     * @since 0.3.0
     */
    public PublishReceipt publish(EventEnvelope event, String service, String idempotencyKey, Duration window) {
        if (idempotencyKey != null) {
            Objects.requireNonNull(service, "an idempotency key needs the publishing service");
            Objects.requireNonNull(window, "an idempotency key needs a window");
        }
        validator.validate(event);
        if (idempotencyKey != null) {
            Optional<IdempotencyRecord> prior = keyOrUnavailable(service, idempotencyKey, window, null);
            if (prior.isPresent()) {
                return replayed(event, idempotencyKey, prior.get());
            }
        }
        PublishReceipt receipt = new PublishReceipt(
                event.id(), OffsetDateTime.now(clock).truncatedTo(ChronoUnit.MILLIS), newReceiptId());
        boolean stored;
        try {
            stored = idempotencyKey == null
                    ? store.append(event, receipt)
                    : store.append(event, receipt, service, idempotencyKey, window);
        } catch (RuntimeException appendFailure) {
            return notStored(event, service, idempotencyKey, window, appendFailure);
        }
        if (!stored) {
            return notStored(event, service, idempotencyKey, window, null);
        }
        afterCommit.run();
        return receipt;
    }

    /**
     * The event was not stored: its id was taken (then {@code failure} is null), or the append failed. The
     * stored key, then the stored event decide; when neither exists the store is reported unavailable.
     */
    private PublishReceipt notStored(
            EventEnvelope event, String service, String idempotencyKey, Duration window, RuntimeException failure) {
        if (idempotencyKey != null) {
            Optional<IdempotencyRecord> prior = keyOrUnavailable(service, idempotencyKey, window, failure);
            if (prior.isPresent()) {
                return replayed(event, idempotencyKey, prior.get());
            }
        }
        Optional<StoredEvent> existing = findOrUnavailable(event.id(), failure);
        if (existing.isPresent()) {
            return sameOrConflict(event, existing.get());
        }
        throw unavailable(failure != null ? failure : new IllegalStateException("event id taken but no event stored"));
    }

    /** Keys are looked up per service, so {@code prior} is the caller's own and its event id may be named. */
    private PublishReceipt replayed(EventEnvelope event, String key, IdempotencyRecord prior) {
        if (!prior.contentHash().trim().equals(event.contentHash())) {
            throw new BusException(
                    ErrorCode.IDEMPOTENCY_KEY_REUSED,
                    "Idempotency-Key '" + key + "' was already used for a different event",
                    Map.of("field", "Idempotency-Key", "eventId", prior.eventId()));
        }
        return findOrUnavailable(prior.eventId(), null)
                .map(StoredEvent::receipt)
                .orElseThrow(() -> unavailable(new IllegalStateException("event of idempotency key missing")));
    }

    private Optional<IdempotencyRecord> keyOrUnavailable(
            String service, String key, Duration window, RuntimeException earlier) {
        try {
            return store.idempotencyKey(service, key, window);
        } catch (RuntimeException e) {
            if (earlier != null) {
                e.addSuppressed(earlier);
            }
            throw unavailable(e);
        }
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
