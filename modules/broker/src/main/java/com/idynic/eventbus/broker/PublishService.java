package com.idynic.eventbus.broker;

import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.DuplicateEventException;
import com.idynic.eventbus.api.ErrorCode;
import com.idynic.eventbus.api.EventEnvelope;
import com.idynic.eventbus.api.PublishReceipt;
import com.idynic.eventbus.api.Publisher;
import com.idynic.eventbus.broker.spi.EventBatchStore;
import com.idynic.eventbus.broker.spi.EventStore;
import com.idynic.eventbus.broker.spi.EventValidator;
import com.idynic.eventbus.broker.spi.IdempotencyRecord;
import com.idynic.eventbus.broker.spi.StoredEvent;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
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
    private final GroupCommit groupCommit;
    private final Consumer<EventEnvelope> stored;

    /**
     * @return the bus's clock, which stamps receipts and events published without a timestamp
     * @since 0.23.0
     */
    public Clock clock() {
        return clock;
    }

    /**
     * @param store where events and outbox rows go
     * @param validator checks each new event before it is stored (schemas)
     * @param afterCommit called after a new event committed (wakes the relay)
     * @param clock source of receipt timestamps
     */
    public PublishService(EventStore store, EventValidator validator, Runnable afterCommit, Clock clock) {
        this(store, validator, afterCommit, clock, null);
    }

    /**
     * @param groupCommit stores publishes without an idempotency key together with concurrent ones (one
     *     transaction per batch); null stores each in its own transaction through {@code store}
     * @since 0.5.0
     */
    public PublishService(
            EventStore store, EventValidator validator, Runnable afterCommit, Clock clock, GroupCommit groupCommit) {
        this(store, validator, afterCommit, clock, groupCommit, e -> {});
    }

    /**
     * @param stored told of each event this service stored, after its commit (not of repeats), e.g. a metric
     * @since 0.19.0
     */
    public PublishService(
            EventStore store,
            EventValidator validator,
            Runnable afterCommit,
            Clock clock,
            GroupCommit groupCommit,
            Consumer<EventEnvelope> stored) {
        this.store = store;
        this.validator = validator;
        this.afterCommit = afterCommit;
        this.clock = clock;
        this.groupCommit = groupCommit;
        this.stored = stored;
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
            if (idempotencyKey != null) {
                stored = store.append(event, receipt, service, idempotencyKey, window);
            } else if (groupCommit != null) {
                stored = groupCommit.append(event, receipt);
            } else {
                stored = store.append(event, receipt);
            }
        } catch (BusException refused) {
            throw refused;
        } catch (RuntimeException appendFailure) {
            return notStored(event, service, idempotencyKey, window, appendFailure);
        }
        if (!stored) {
            return notStored(event, service, idempotencyKey, window, null);
        }
        afterCommit.run();
        this.stored.accept(event);
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

    /**
     * What became of one event of a batch.
     *
     * @param eventId the event's id
     * @param receipt its receipt (the original one for a repeat), or null when refused
     * @param duplicate whether an identical event with this id had been accepted before
     * @param refused why it was refused (an id taken by a different event), or null
     * @since 0.5.0
     */
    public record BatchResult(String eventId, PublishReceipt receipt, boolean duplicate, BusException refused) {}

    /**
     * Publishes a batch: every event is validated first (one invalid event refuses the whole batch, naming
     * it by its index as {@code [i].field}, and nothing is stored), then all are stored in one transaction.
     * An id that was taken answers like a single re-publish: the same content gets its original receipt,
     * different content is refused for that event alone.
     *
     * @param events the batch, in order (their order within one key is kept)
     * @return one result per event, in request order
     * @since 0.5.0
     */
    public List<BatchResult> publishAll(List<EventEnvelope> events) {
        for (int i = 0; i < events.size(); i++) {
            try {
                validator.validate(events.get(i));
            } catch (BusException e) {
                throw ofBatchEvent(i, e);
            }
        }
        OffsetDateTime now = OffsetDateTime.now(clock).truncatedTo(ChronoUnit.MILLIS);
        List<EventBatchStore.Entry> unique = new ArrayList<>(events.size());
        Map<String, PublishReceipt> receipts = new HashMap<>();
        for (EventEnvelope e : events) {
            if (!receipts.containsKey(e.id())) {
                PublishReceipt r = new PublishReceipt(e.id(), now, newReceiptId());
                receipts.put(e.id(), r);
                unique.add(new EventBatchStore.Entry(e, r));
            }
        }
        Set<String> stored;
        try {
            stored = groupCommit != null ? groupCommit.appendAll(unique) : appendOneByOne(unique);
        } catch (RuntimeException e) {
            throw unavailable(e);
        }
        if (!stored.isEmpty()) {
            afterCommit.run();
        }
        List<BatchResult> out = new ArrayList<>(events.size());
        Map<String, EventEnvelope> firstOf = new HashMap<>();
        for (EventEnvelope e : events) {
            EventEnvelope first = firstOf.putIfAbsent(e.id(), e);
            if (first == null && stored.contains(e.id())) {
                out.add(new BatchResult(e.id(), receipts.get(e.id()), false, null));
                this.stored.accept(e);
                continue;
            }
            try {
                PublishReceipt prior = first != null && stored.contains(e.id())
                        ? sameOrConflict(e, new StoredEvent(first, receipts.get(e.id()), false))
                        : findOrUnavailable(e.id(), null)
                                .map(s -> sameOrConflict(e, s))
                                .orElseThrow(() -> unavailable(new IllegalStateException("taken id " + e.id())));
                out.add(new BatchResult(e.id(), prior, true, null));
            } catch (DuplicateEventException conflict) {
                out.add(new BatchResult(e.id(), null, false, conflict));
            }
        }
        return out;
    }

    /**
     * @return {@code refused} naming the event of a batch: {@code details.index}, and {@code details.field}
     *     as {@code [i].field}
     */
    public static BusException ofBatchEvent(int index, BusException refused) {
        Map<String, Object> details = new java.util.LinkedHashMap<>(refused.details());
        details.put("index", index);
        Object field = details.get("field");
        details.put("field", field == null ? "[" + index + "]" : "[" + index + "]." + field);
        return new BusException(refused.errorCode(), "Event [" + index + "]: " + refused.getMessage(), details);
    }

    private Set<String> appendOneByOne(List<EventBatchStore.Entry> entries) {
        Set<String> stored = new HashSet<>();
        for (EventBatchStore.Entry e : entries) {
            if (store.append(e.event(), e.receipt())) {
                stored.add(e.event().id());
            }
        }
        return stored;
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
