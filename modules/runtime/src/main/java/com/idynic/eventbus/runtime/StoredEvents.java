package com.idynic.eventbus.runtime;

import com.idynic.eventbus.admin.PublisherTracker;
import com.idynic.eventbus.api.EventEnvelope;
import com.idynic.eventbus.broker.Signal;
import com.idynic.eventbus.broker.spi.Spans;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/**
 * What a committed event means to the bus besides its rows, wherever it was published: the publish rate by type
 * ({@code eventbus_events_published_total}), the catalog's "who publishes it", and, for events co-deployed apps
 * publish in their own transactions (which the bus hears of only after they commit), a {@value Spans#PUBLISH} span
 * from the publish call to the commit and a wake-up of the relay (it would otherwise find the events at its next
 * idle look at the outbox).
 */
@ApplicationScoped
public class StoredEvents {
    @Inject
    BusMetrics metrics;

    @Inject
    PublisherTracker publishers;

    @Inject
    @RelayWake
    Signal relayWake;

    @Inject
    Spans spans;

    /** An event stored by {@code POST /v1/events} (its span is the publish request's own). */
    public void stored(EventEnvelope e) {
        metrics.published(e);
        publishers.stored(e);
    }

    /**
     * An event a co-deployed app published in a transaction that has committed.
     *
     * @param id the event's id
     * @param eventType its type
     * @param source its source
     * @param traceparent its stored trace context (the span's parent)
     * @param publishedAt when the app called publish (the span's start)
     */
    public record Committed(String id, String eventType, String source, String traceparent, Instant publishedAt) {}

    /** Counts, tracks and traces the events of one committed transaction of a co-deployed app, then wakes the relay. */
    public void committed(List<Committed> events) {
        for (Committed c : events) {
            EventEnvelope e = EventEnvelope.of(
                    c.id(),
                    c.eventType(),
                    c.source(),
                    jakarta.json.JsonValue.EMPTY_JSON_OBJECT,
                    jakarta.json.JsonValue.EMPTY_JSON_OBJECT,
                    c.publishedAt().atOffset(ZoneOffset.UTC));
            stored(e);
            spans.start(Spans.PUBLISH, Spans.Kind.INTERNAL, c.traceparent(), c.publishedAt())
                    .attribute(Spans.EVENT_ID, c.id())
                    .attribute(Spans.EVENT_TYPE, c.eventType())
                    .attribute(Spans.EVENT_SOURCE, c.source())
                    .end(null);
        }
        if (!events.isEmpty()) {
            relayWake.raise();
        }
    }
}
