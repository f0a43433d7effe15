package com.idynic.eventbus.console;

import com.idynic.eventbus.api.Timestamps;
import com.idynic.eventbus.broker.AttemptView;
import com.idynic.eventbus.broker.DeliveryView;
import com.idynic.eventbus.broker.EventQueries;
import com.idynic.eventbus.broker.EventView;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.time.Instant;
import java.util.List;

/**
 * One event's timeline (accepted, relayed, every delivery attempt per subscription: the data of
 * {@code GET /v1/events/{id}/deliveries}) and the event search of {@code GET /v1/events}.
 */
@Named
@ViewScoped
public class EventsView implements Serializable {
    private static final long serialVersionUID = 1L;

    @Inject
    BusServices bus;

    @Inject
    Operator operator;

    private String eventId;
    private transient EventView event;
    private transient EventQueries.Deliveries deliveries;
    private final EventSearchModel results = new EventSearchModel();
    private String tailType;
    private com.idynic.eventbus.broker.LiveTail.Cursor tailCursor;
    private final java.util.LinkedList<EventSearchModel.Row> tailRows = new java.util.LinkedList<>();
    private String tailNote;

    /** The most events the live tail keeps on the page (newest first). */
    static final int TAIL_KEPT = 200;

    /** Starts the live tail: events accepted from now on, optionally of one type. */
    public void startTail() {
        tailRows.clear();
        tailNote = null;
        tailCursor = bus.liveTail().open(tailType);
    }

    /** Stops the live tail (the page stops polling). */
    public void stopTail() {
        tailCursor = null;
    }

    /** Reads the events accepted since the last read (the service caps the rows and the rate). */
    public void refreshTail() {
        if (tailCursor == null) {
            return;
        }
        com.idynic.eventbus.broker.LiveTail.Read r =
                Messages.attempt(() -> bus.liveTail().next(tailCursor));
        if (r == null || r.throttled()) {
            return;
        }
        tailCursor = r.next();
        for (var h : r.hits()) {
            tailRows.addFirst(EventSearchModel.Row.of(h));
        }
        while (tailRows.size() > TAIL_KEPT) {
            tailRows.removeLast();
        }
        tailNote = r.capped()
                ? "More events arrive than the tail shows (" + com.idynic.eventbus.broker.LiveTail.MAX_ROWS
                        + " per refresh): narrow it by type, or search."
                : null;
    }

    public boolean isTailing() {
        return tailCursor != null;
    }

    public List<EventSearchModel.Row> getTailRows() {
        return tailRows;
    }

    public String getTailNote() {
        return tailNote;
    }

    public String getTailType() {
        return tailType;
    }

    public void setTailType(String tailType) {
        this.tailType = tailType;
    }

    /** @return the event id asked for */
    public String getEventId() {
        return eventId;
    }

    /** @param eventId the event id to look up */
    public void setEventId(String eventId) {
        this.eventId = eventId;
    }

    /** Looks the event and its deliveries up (also on a GET with {@code ?id=}). */
    public void find() {
        event = null;
        deliveries = null;
        if (eventId == null || eventId.isBlank()) {
            return;
        }
        String id = eventId.trim();
        event = Messages.attempt(() -> bus.events().find(operator.account(), id));
        if (event != null) {
            deliveries = bus.events().deliveries(operator.account(), id);
        }
    }

    /** @return the event found, or null */
    public EventView getEvent() {
        return event;
    }

    /** @return where the event stands per subscription */
    public List<DeliveryView> getStatuses() {
        return deliveries == null ? List.of() : deliveries.statuses();
    }

    /** @return every delivery attempt, oldest first */
    public List<AttemptView> getAttempts() {
        return deliveries == null ? List.of() : deliveries.attempts();
    }

    /** One step of the timeline. */
    public record Step(String what, String when, String detail, String style) implements Serializable {}

    /** @return accepted (commit), relayed (Kafka position), then every attempt in order */
    public List<Step> getSteps() {
        if (event == null) {
            return List.of();
        }
        List<Step> steps = new java.util.ArrayList<>();
        steps.add(new Step(
                "Accepted",
                Timestamps.format(event.receipt().acceptedAt()),
                "committed with its outbox row (receipt " + event.receipt().receipt() + ")",
                "ok"));
        if (event.position() != null) {
            steps.add(new Step(
                    "Relayed",
                    "",
                    "to Kafka: topic " + event.position().topic() + ", partition "
                            + event.position().partition() + ", offset "
                            + event.position().offset(),
                    "ok"));
        } else {
            steps.add(new Step(
                    "Relayed",
                    "",
                    event.relayed() ? "to Kafka" : "not yet: waiting in the outbox",
                    event.relayed() ? "ok" : "warn"));
        }
        for (AttemptView a : getAttempts()) {
            steps.add(new Step(
                    "Attempt " + a.attempt() + " to " + a.subscriptionId() + ": " + a.outcome(),
                    time(a.startedAt()),
                    a.durationMs() + " ms" + (a.httpStatus() == null ? "" : ", HTTP " + a.httpStatus())
                            + (a.error() == null ? "" : ", " + a.error()),
                    outcomeStyle(a.outcome())));
        }
        for (DeliveryView d : getStatuses()) {
            if (d.state().equals("DEAD")) {
                steps.add(new Step("Dead letter in " + d.subscriptionId(), time(d.deadAt()), d.lastError(), "bad"));
            } else if (d.deliveredAt() != null) {
                steps.add(new Step("Delivered to " + d.subscriptionId(), time(d.deliveredAt()), "", "ok"));
            }
        }
        return steps;
    }

    /**
     * @param outcome an attempt's outcome: {@code SUCCESS}, {@code FAILURE} (retried by the policy) or
     *     {@code REJECTED} (never retried)
     * @return its style: {@code ok}, {@code warn} or {@code bad}
     */
    public String outcomeStyle(String outcome) {
        return switch (outcome == null ? "" : outcome) {
            case "SUCCESS" -> "ok";
            case "FAILURE" -> "warn";
            default -> "bad";
        };
    }

    /** @return the event's JSON, indented for reading */
    public String getEventJson() {
        return event == null ? "" : Json.pretty(event.envelope().toJson());
    }

    /** @return the search form and its lazily loaded results */
    public EventSearchModel getResults() {
        return results;
    }

    /** @return an instant as ISO-8601 UTC with milliseconds, or an empty string */
    public String time(Instant at) {
        return at == null ? "" : Timestamps.format(at);
    }
}
