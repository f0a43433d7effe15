package com.idynic.eventbus.broker;

import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.ErrorCode;
import com.idynic.eventbus.api.EventEnvelope;
import com.idynic.eventbus.broker.spi.DeadLetterStore;
import com.idynic.eventbus.broker.spi.DeliveryHistory;
import com.idynic.eventbus.broker.spi.DeliveryStatus;
import com.idynic.eventbus.broker.spi.EventStore;
import com.idynic.eventbus.broker.spi.StoredEvent;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Predicate;

/**
 * A subscription's dead-letter queue: list and count (filtered, paged), inspect one with its attempts, its parked
 * sequence and its event, redrive or discard; each action stored with its audit record in one transaction and
 * then the delivery loops woken. Who may do this is the caller's to check. The REST resource and, later, the
 * console and the CLI call these methods; the rules live here once.
 *
 * @since 0.7.0
 */
public final class DeadLetters {
    /** The most event ids of a parked sequence that {@link #inspect} returns. */
    public static final int MAX_PARKED_SHOWN = 1000;

    private final DeadLetterStore store;
    private final DeliveryHistory history;
    private final EventStore events;
    private final Signal enqueued;
    private final Masking masking;

    /**
     * @param store the dead letters, which store each action with its audit record
     * @param history the attempts shown with a dead letter
     * @param events the stored events, shown with a dead letter
     * @param enqueued raised after an action, so redriven events go out without waiting for a poll
     * @since 0.8.0
     */
    public DeadLetters(DeadLetterStore store, DeliveryHistory history, EventStore events, Signal enqueued) {
        this(store, history, events, enqueued, Masking.NONE);
    }

    /**
     * @param masking masks the sensitive values of an inspected event ({@link Masking})
     * @since 0.19.0
     */
    public DeadLetters(
            DeadLetterStore store, DeliveryHistory history, EventStore events, Signal enqueued, Masking masking) {
        this.masking = masking;
        this.store = store;
        this.history = history;
        this.events = events;
        this.enqueued = enqueued;
    }

    /**
     * One page of dead letters.
     *
     * @param deadLetters in delivery order
     * @param count all dead letters that match the filter, on every page
     * @param next the {@code after} of the next page, when this page is full
     * @since 0.8.0
     */
    public record Page(List<DeliveryView> deadLetters, long count, OptionalLong next) {}

    /**
     * Pages through dead letters in delivery order.
     *
     * @param eventType only this event type, or null
     * @param errorContains only those whose last error contains this text (case-insensitive), or null
     * @param after the {@link Page#next()} of the previous page, 0 for the first
     * @param limit 1 to 500
     * @throws BusException {@code VALIDATION_ERROR} naming {@code limit}
     * @since 0.8.0
     */
    public Page list(String subscriptionId, String eventType, String errorContains, long after, int limit) {
        return list(subscriptionId, DeadLetterFilter.of(eventType, errorContains), after, limit);
    }

    /**
     * Pages through the dead letters that match {@code filter}, in delivery order.
     *
     * @param after the {@link Page#next()} of the previous page, 0 for the first
     * @param limit 1 to 500
     * @throws BusException {@code VALIDATION_ERROR} naming {@code limit}, or {@code deadTo} when the time range
     *     is empty
     * @since 0.9.0
     */
    public Page list(String subscriptionId, DeadLetterFilter filter, long after, int limit) {
        validate(filter);
        if (limit < 1 || limit > 500) {
            throw new BusException(
                    ErrorCode.VALIDATION_ERROR, "limit must be between 1 and 500", Map.of("field", "limit"));
        }
        List<DeliveryStatus> page = store.deadLetters(subscriptionId, filter, after, limit);
        long count = store.deadLetterCount(subscriptionId, filter);
        OptionalLong next =
                page.size() == limit ? OptionalLong.of(page.get(page.size() - 1).deliveryId()) : OptionalLong.empty();
        return new Page(page.stream().map(DeliveryView::of).toList(), count, next);
    }

    /**
     * Counts the dead letters that match {@code filter}: what a redrive of all of them would redrive now.
     *
     * @throws BusException {@code VALIDATION_ERROR} naming {@code deadTo} when the time range is empty
     * @since 0.9.0
     */
    public long count(String subscriptionId, DeadLetterFilter filter) {
        validate(filter);
        return store.deadLetterCount(subscriptionId, filter);
    }

    /**
     * A filter as given in a request or a form.
     *
     * @param deadFrom ISO-8601 time with offset, or null/blank
     * @param deadTo ISO-8601 time with offset, or null/blank
     * @throws BusException {@code VALIDATION_ERROR} naming {@code deadFrom} or {@code deadTo}
     * @since 0.9.0
     */
    public static DeadLetterFilter filter(String eventType, String errorContains, String deadFrom, String deadTo) {
        DeadLetterFilter f =
                new DeadLetterFilter(eventType, errorContains, time("deadFrom", deadFrom), time("deadTo", deadTo));
        validate(f);
        return f;
    }

    private static java.time.Instant time(String field, String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return java.time.OffsetDateTime.parse(s.trim()).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            throw new BusException(
                    ErrorCode.VALIDATION_ERROR,
                    "Invalid request: '" + field + "' is not an ISO-8601 time with offset",
                    Map.of("field", field, "error", "is not an ISO-8601 time with offset"));
        }
    }

    /**
     * @throws BusException {@code VALIDATION_ERROR} naming {@code deadTo} when it is not after {@code deadFrom}
     * @since 0.9.0
     */
    public static void validate(DeadLetterFilter filter) {
        if (filter.deadFrom() != null
                && filter.deadTo() != null
                && !filter.deadTo().isAfter(filter.deadFrom())) {
            throw new BusException(
                    ErrorCode.VALIDATION_ERROR, "deadTo must be after deadFrom", Map.of("field", "deadTo"));
        }
    }

    /**
     * One dead letter, as {@link #inspect} finds it.
     *
     * @param deadLetter its delivery row
     * @param parkedSequence the event ids of the parked sequence it heads or belongs to, at most {@link
     *     #MAX_PARKED_SHOWN}; empty when it parks none
     * @param parkedSequenceTruncated whether the sequence holds more
     * @param attempts its attempts to this subscription, oldest first
     * @param event the event, when still stored and the caller may read its type
     * @since 0.8.0
     */
    public record Inspection(
            DeliveryView deadLetter,
            List<String> parkedSequence,
            boolean parkedSequenceTruncated,
            List<AttemptView> attempts,
            Optional<EventEnvelope> event) {}

    /**
     * As {@link #inspect(String, String, Predicate, boolean)}, the event's sensitive values masked.
     *
     * @param mayReadType whether the caller may see an event of this type
     * @throws BusException {@code NOT_FOUND} naming {@code eventId} when the event is not dead in this queue
     * @since 0.8.0
     */
    public Inspection inspect(String subscriptionId, String eventId, Predicate<String> mayReadType) {
        return inspect(subscriptionId, eventId, mayReadType, false);
    }

    /**
     * @param mayReadType whether the caller may see an event of this type
     * @param clear whether the caller reads sensitive values in clear ({@link Masking}); masked otherwise
     * @throws BusException {@code NOT_FOUND} naming {@code eventId} when the event is not dead in this queue
     * @since 0.19.0
     */
    public Inspection inspect(String subscriptionId, String eventId, Predicate<String> mayReadType, boolean clear) {
        DeliveryStatus d = store.deadLetter(subscriptionId, eventId)
                .orElseThrow(() -> new BusException(
                        ErrorCode.NOT_FOUND,
                        "Event '" + eventId + "' is not in the dead-letter queue of '" + subscriptionId + "'",
                        Map.of("eventId", eventId)));
        List<String> parked = d.deadGroup() == null
                ? List.of()
                : store.parkedSequence(subscriptionId, d.deadGroup(), MAX_PARKED_SHOWN + 1);
        List<AttemptView> attempts = history.attemptsOf(eventId).stream()
                .filter(a -> a.subscriptionId().equals(subscriptionId))
                .map(AttemptView::of)
                .toList();
        Optional<EventEnvelope> event = events.find(eventId)
                .map(StoredEvent::envelope)
                .filter(e -> mayReadType.test(e.eventType()))
                .map(e -> clear ? e : masking.masked(e));
        return new Inspection(
                DeliveryView.of(d),
                parked.stream().limit(MAX_PARKED_SHOWN).toList(),
                parked.size() > MAX_PARKED_SHOWN,
                attempts,
                event);
    }

    /**
     * Puts dead letters back in the queue in their order; idempotent.
     *
     * @param eventIds the ids, or null for all of the subscription's dead letters
     * @param actor the calling service, for the audit record
     * @return number redriven
     */
    public int redrive(String subscriptionId, Collection<String> eventIds, String actor) {
        int n = store.redrive(subscriptionId, eventIds, actor);
        enqueued.raise();
        return n;
    }

    /**
     * Drops dead letters for good; idempotent.
     *
     * @param eventIds the ids, or null for all of the subscription's dead letters
     * @param reason why, required (kept as the events' last error and in the audit record)
     * @param actor the calling service, for the audit record
     * @return number discarded
     * @throws BusException {@code VALIDATION_ERROR} naming {@code reason} when it is missing or blank
     */
    public int discard(String subscriptionId, Collection<String> eventIds, String reason, String actor) {
        if (reason == null || reason.isBlank()) {
            throw new BusException(
                    ErrorCode.VALIDATION_ERROR, "A reason is required to discard", Map.of("field", "reason"));
        }
        int n = store.discard(subscriptionId, eventIds, reason, actor);
        enqueued.raise();
        return n;
    }
}
