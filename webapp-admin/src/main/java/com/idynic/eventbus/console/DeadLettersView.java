package com.idynic.eventbus.console;

import com.idynic.eventbus.api.Timestamps;
import com.idynic.eventbus.broker.DeadLetters;
import com.idynic.eventbus.broker.spi.DeliveryAttempt;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The dead-letter queue of one subscription: list, inspect, redrive or discard the selected entries, through
 * the same service methods as {@code /v1/subscriptions/{id}/dead-letters} (which audit each change with the
 * signed-in service's name).
 */
@Named
@ViewScoped
public class DeadLettersView implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final int PAGE = 100;

    @Inject
    BusServices bus;

    @Inject
    Operator operator;

    /** One dead letter as listed. */
    public record Row(String eventId, int attempts, String lastError, String deadAt, boolean parksOthers)
            implements Serializable {}

    private String subscriptionId;
    private String eventType;
    private String error;
    private List<Row> rows = List.of();
    private long count;
    private List<Row> selected = new ArrayList<>();
    private String reason;
    private String inspectedId;
    private transient DeadLetters.Inspection inspection;

    /** Lists the subscription's dead letters (the first {@value #PAGE} that match, and the count of all). */
    public void load() {
        rows = List.of();
        count = 0;
        selected = new ArrayList<>();
        if (subscriptionId == null || subscriptionId.isBlank()) {
            return;
        }
        DeadLetters.Page page = Messages.attempt(() -> bus.deadLetters()
                .list(operator.account(), subscriptionId.trim(), blank(eventType), blank(error), 0, PAGE));
        if (page == null) {
            return;
        }
        count = page.count();
        rows = page.deadLetters().stream()
                .map(d -> new Row(
                        d.eventId(),
                        d.attempts(),
                        d.lastError(),
                        d.deadAt() == null ? "" : Timestamps.format(d.deadAt()),
                        d.deadGroup() != null && d.deadGroup() == d.deliveryId()))
                .toList();
    }

    /** Redrives the selected dead letters to this subscription only, in order. */
    public void redriveSelected() {
        List<String> ids = ids();
        if (ids.isEmpty()) {
            Messages.error("Select the dead letters to redrive.");
            return;
        }
        Integer n = Messages.attempt(() -> bus.deadLetters().redrive(operator.account(), subscriptionId.trim(), ids));
        if (n != null) {
            Messages.info("Redriven: " + n + ".");
        }
        load();
    }

    /** Discards the selected dead letters, with the reason given (required, audited). */
    public void discardSelected() {
        List<String> ids = ids();
        if (ids.isEmpty()) {
            Messages.error("Select the dead letters to discard.");
            return;
        }
        Integer n = Messages.attempt(
                () -> bus.deadLetters().discard(operator.account(), subscriptionId.trim(), ids, blank(reason)));
        if (n != null) {
            Messages.info("Discarded: " + n + ".");
            reason = null;
        }
        load();
    }

    /** Shows one dead letter: the event, its attempts and the parked sequence it heads. */
    public void inspect(String eventId) {
        inspectedId = eventId;
        inspection =
                Messages.attempt(() -> bus.deadLetters().inspect(operator.account(), subscriptionId.trim(), eventId));
    }

    /** @return the attempts of the inspected dead letter */
    public List<DeliveryAttempt> getInspectedAttempts() {
        return inspection == null ? List.of() : inspection.attempts();
    }

    /** @return the inspected event's JSON, or a note that it is no longer stored */
    public String getInspectedEvent() {
        if (inspection == null) {
            return "";
        }
        return inspection.event().map(e -> Json.pretty(e.toJson())).orElse("(the event is no longer stored)");
    }

    /** @return the event ids parked behind the inspected dead letter, as text */
    public String getInspectedParked() {
        if (inspection == null || inspection.parkedSequence().isEmpty()) {
            return "none";
        }
        return String.join(", ", inspection.parkedSequence()) + (inspection.parkedSequenceTruncated() ? ", …" : "");
    }

    private List<String> ids() {
        return selected == null
                ? List.of()
                : selected.stream().map(Row::eventId).toList();
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    /** @return an instant as ISO-8601 UTC */
    public String time(java.time.Instant at) {
        return at == null ? "" : Timestamps.format(at);
    }

    public String getSubscriptionId() {
        return subscriptionId;
    }

    public void setSubscriptionId(String subscriptionId) {
        this.subscriptionId = subscriptionId;
    }

    public String getEventType() {
        return eventType;
    }

    public void setEventType(String eventType) {
        this.eventType = eventType;
    }

    public String getError() {
        return error;
    }

    public void setError(String error) {
        this.error = error;
    }

    public List<Row> getRows() {
        return rows;
    }

    public long getCount() {
        return count;
    }

    public List<Row> getSelected() {
        return selected;
    }

    public void setSelected(List<Row> selected) {
        this.selected = selected;
    }

    public String getReason() {
        return reason;
    }

    public void setReason(String reason) {
        this.reason = reason;
    }

    public String getInspectedId() {
        return inspectedId;
    }
}
