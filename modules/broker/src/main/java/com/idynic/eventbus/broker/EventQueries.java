package com.idynic.eventbus.broker;

import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.ErrorCode;
import com.idynic.eventbus.api.InvalidFieldException;
import com.idynic.eventbus.broker.export.Export;
import com.idynic.eventbus.broker.export.TableExport;
import com.idynic.eventbus.broker.spi.DeliveryHistory;
import com.idynic.eventbus.broker.spi.EventSearch;
import com.idynic.eventbus.broker.spi.EventStore;
import com.idynic.eventbus.broker.spi.StoredEvent;
import com.idynic.eventbus.security.Role;
import com.idynic.eventbus.security.ServiceAccount;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Reads stored events for callers: one event (shown only to whom may see it), a search, and an event's
 * deliveries. Operators see every event; a publisher sees only events it could have published, and any
 * other event looks missing to it, not forbidden, so that ids reveal nothing.
 *
 * @since 0.8.0
 */
public final class EventQueries {
    /** The most events one search answers with. */
    public static final int MAX_LIMIT = 500;

    private static final java.util.regex.Pattern TRACE_ID = java.util.regex.Pattern.compile("[0-9a-f]{32}");

    private final EventStore events;
    private final DeliveryHistory deliveries;
    private final EventSearch search;
    private final Masking masking;

    /** Queries that mask nothing (tests, and types without sensitive fields). */
    public EventQueries(EventStore events, DeliveryHistory deliveries, EventSearch search) {
        this(events, deliveries, search, Masking.NONE);
    }

    /**
     * @param masking masks the values of sensitive fields for viewers who may not read them ({@link Masking})
     * @since 0.19.0
     */
    public EventQueries(EventStore events, DeliveryHistory deliveries, EventSearch search, Masking masking) {
        this.events = events;
        this.deliveries = deliveries;
        this.search = search;
        this.masking = masking;
    }

    /**
     * An event's deliveries.
     *
     * @param eventId the event
     * @param statuses where the event stands for every subscription
     * @param attempts every delivery attempt
     */
    public record Deliveries(String eventId, List<DeliveryView> statuses, List<AttemptView> attempts) {}

    /**
     * One event a search found.
     *
     * @param seq its publish sequence number
     * @param event the event, its sensitive values masked unless the viewer may read them
     * @param deliveries where it stands for every subscription
     * @since 0.23.0
     */
    public record Hit(long seq, EventView event, List<DeliveryView> deliveries) {}

    /**
     * One page of a search.
     *
     * @param events in publish order
     * @param next the {@code after} of the next page, when this page is full (there may be more)
     * @since 0.23.0
     */
    public record Page(List<Hit> events, OptionalLong next) {}

    /**
     * @return the event, when {@code caller} may see it, its sensitive values masked unless the caller may read them
     *     ({@link Masking#clearFor})
     * @throws BusException {@code NOT_FOUND} when there is no such event or the caller may not see it;
     *     {@code STORAGE_UNAVAILABLE} when the store cannot be read
     */
    public EventView find(ServiceAccount caller, String eventId) {
        return EventView.of(masking.view(caller, visibleEvent(caller, eventId)));
    }

    private StoredEvent visibleEvent(ServiceAccount caller, String eventId) {
        StoredEvent e;
        try {
            e = events.find(eventId).orElse(null);
        } catch (RuntimeException ex) {
            throw new BusException(ErrorCode.STORAGE_UNAVAILABLE, "The event store is unavailable", Map.of());
        }
        if (e == null || !visible(caller, e)) {
            throw new BusException(
                    ErrorCode.NOT_FOUND, "No event with id '" + eventId + "'", Map.of("eventId", eventId));
        }
        return e;
    }

    /** Operators see every event; others only those they could have published. */
    static boolean visible(ServiceAccount caller, StoredEvent e) {
        return caller.has(Role.OPERATOR)
                || (caller.mayPublish(e.envelope().eventType())
                        && caller.mayUseSource(e.envelope().source()));
    }

    /**
     * @return where the event stands for every subscription, and every delivery attempt
     * @throws BusException as {@link #find}
     */
    public Deliveries deliveries(ServiceAccount caller, String eventId) {
        visibleEvent(caller, eventId);
        return new Deliveries(
                eventId,
                deliveries.statusOf(eventId).stream().map(DeliveryView::of).toList(),
                deliveries.attemptsOf(eventId).stream().map(AttemptView::of).toList());
    }

    /**
     * Searches stored events in publish order; every filter may be null. Sensitive values are masked for every
     * hit: a caller that may read them uses {@link #search(ServiceAccount, String, String, String, String, String,
     * String, long, int)}.
     *
     * @param from an ISO-8601 time with offset, or null
     * @param to an ISO-8601 time with offset, or null
     * @param after the sequence number to continue after (0 from the start)
     * @param limit from 1 to {@link #MAX_LIMIT}
     * @throws InvalidFieldException naming {@code limit}, {@code from} or {@code to}
     */
    public Page search(
            String type, String correlationId, String source, String from, String to, long after, int limit) {
        return search(type, correlationId, null, source, from, to, after, limit);
    }

    /**
     * As {@link #search(String, String, String, String, String, String, long, int)}, each hit's sensitive values
     * masked unless {@code viewer} may read them ({@link Masking#clearFor}).
     *
     * @since 0.19.0
     */
    public Page search(
            ServiceAccount viewer,
            String type,
            String correlationId,
            String traceId,
            String source,
            String from,
            String to,
            long after,
            int limit) {
        return searchAs(viewer, type, correlationId, traceId, source, from, to, after, limit);
    }

    /**
     * Searches stored events in publish order; every filter may be null. Sensitive values are masked for every hit
     * (see {@link #search(ServiceAccount, String, String, String, String, String, String, long, int)}).
     *
     * @param traceId the 32 lowercase hex digits of a W3C trace id, or null
     * @param from an ISO-8601 time with offset, or null
     * @param to an ISO-8601 time with offset, or null
     * @param after the sequence number to continue after (0 from the start)
     * @param limit from 1 to {@link #MAX_LIMIT}
     * @throws InvalidFieldException naming {@code limit}, {@code traceId}, {@code from} or {@code to}
     */
    public Page search(
            String type,
            String correlationId,
            String traceId,
            String source,
            String from,
            String to,
            long after,
            int limit) {
        return searchAs(null, type, correlationId, traceId, source, from, to, after, limit);
    }

    private Page searchAs(
            ServiceAccount viewer,
            String type,
            String correlationId,
            String traceId,
            String source,
            String from,
            String to,
            long after,
            int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidFieldException("limit", "must be between 1 and " + MAX_LIMIT);
        }
        if (traceId != null && !TRACE_ID.matcher(traceId).matches()) {
            throw new InvalidFieldException("traceId", "must be 32 lowercase hex digits (a W3C trace id)");
        }
        List<EventSearch.Hit> hits = search.search(new EventSearch.Criteria(
                type, correlationId, source, time("from", from), time("to", to), after, limit, traceId));
        List<Hit> found = hits.stream()
                .map(h -> new Hit(
                        h.seq(),
                        EventView.of(masking.view(viewer, h.event())),
                        h.deliveries().stream().map(DeliveryView::of).toList()))
                .toList();
        return new Page(
                found,
                found.size() == limit
                        ? OptionalLong.of(found.get(found.size() - 1).seq())
                        : OptionalLong.empty());
    }

    /** The columns of an event export, in order ({@code event} is the whole event as JSON). */
    public static final List<String> EXPORT_COLUMNS = List.of(
            "seq", "id", "eventType", "source", "correlationId", "acceptedAt", "relayed", "deliveries", "event");

    /**
     * Exports the events a search finds, in publish order, read through {@link #search} a page at a time (so an
     * export shows what the search shows), at most {@link TableExport#MAX_ROWS}; sensitive values masked unless
     * {@code viewer} may read them, as in the search.
     *
     * @param viewer who exports, or null (masked)
     * @return the export, its first page read: a refusal comes before the first byte
     * @throws InvalidFieldException naming {@code traceId}, {@code from} or {@code to}
     * @since 0.9.0
     */
    public Export export(
            ServiceAccount viewer,
            String type,
            String correlationId,
            String traceId,
            String source,
            String from,
            String to,
            TableExport.Format format) {
        Page first = search(viewer, type, correlationId, traceId, source, from, to, 0, MAX_LIMIT);
        return new Export(format, "events." + format.extension(), out -> {
            try (TableExport t = TableExport.open(format, EXPORT_COLUMNS, out)) {
                Page page = first;
                while (true) {
                    for (Hit h : page.events()) {
                        var e = h.event().envelope();
                        if (!t.row(java.util.Arrays.asList(
                                h.seq(),
                                e.id(),
                                e.eventType(),
                                e.source(),
                                e.correlationId(),
                                com.idynic.eventbus.api.Timestamps.format(
                                        h.event().receipt().acceptedAt()),
                                h.event().relayed(),
                                deliveriesSummary(h.deliveries()),
                                e.toJson()))) {
                            return;
                        }
                    }
                    if (page.next().isEmpty()) {
                        return;
                    }
                    page = search(
                            viewer,
                            type,
                            correlationId,
                            traceId,
                            source,
                            from,
                            to,
                            page.next().getAsLong(),
                            MAX_LIMIT);
                }
            }
        });
    }

    /** @return delivery states counted, e.g. {@code 1 dead, 2 delivered} */
    public static String deliveriesSummary(List<DeliveryView> deliveries) {
        return deliveries.stream()
                .collect(java.util.stream.Collectors.groupingBy(
                        DeliveryView::state, java.util.stream.Collectors.counting()))
                .entrySet()
                .stream()
                .map(x -> x.getValue() + " " + x.getKey().toLowerCase(java.util.Locale.ROOT))
                .sorted()
                .collect(java.util.stream.Collectors.joining(", "));
    }

    private static Instant time(String field, String value) {
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidFieldException(field, "must be an ISO-8601 time with offset");
        }
    }
}
