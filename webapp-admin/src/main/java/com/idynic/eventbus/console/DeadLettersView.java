package com.idynic.eventbus.console;

import com.idynic.eventbus.api.Timestamps;
import com.idynic.eventbus.broker.AttemptView;
import com.idynic.eventbus.broker.BulkRedriveView;
import com.idynic.eventbus.broker.BulkRedrives;
import com.idynic.eventbus.broker.DeadLetterFilter;
import com.idynic.eventbus.broker.DeadLetters;
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

    /**
     * One dead letter as listed.
     *
     * @param redriveCount how often it was redriven before (it came back: shown as a badge)
     * @param redrivenAt when it was last redriven, or ""
     */
    public record Row(
            String eventId,
            int attempts,
            String lastError,
            String deadAt,
            boolean parksOthers,
            int redriveCount,
            String redrivenAt)
            implements Serializable {}

    private String subscriptionId;
    private String eventType;
    private String error;
    private String deadFrom;
    private String deadTo;
    private Double ratePerSecond;
    private transient BulkRedrives.DryRun bulkDryRun;
    private String bulkId;
    private transient BulkRedriveView bulkJob;
    private List<Row> rows = List.of();
    private long count;
    private List<Row> selected = new ArrayList<>();
    private String reason;
    private String inspectedId;
    private transient DeadLetters.Inspection inspection;

    /** Lists the subscription's dead letters (the first {@value #PAGE} that match, and the count of all). */
    public void load() {
        rows = List.of();
        bulkDryRun = null;
        count = 0;
        selected = new ArrayList<>();
        if (subscriptionId == null || subscriptionId.isBlank()) {
            return;
        }
        DeadLetters.Page page = Messages.attempt(
                () -> bus.deadLetters().list(operator.account(), subscriptionId.trim(), filter(), 0, PAGE));
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
                        d.parksOthers(),
                        d.redriveCount(),
                        d.redrivenAt() == null ? "" : Timestamps.format(d.redrivenAt())))
                .toList();
    }

    /** The filter as typed; a bad time shows the service's refusal. */
    private DeadLetterFilter filter() {
        return DeadLetters.filter(blank(eventType), blank(error), blank(deadFrom), blank(deadTo));
    }

    /**
     * First half of "Redrive all matching": counts the dead letters the filter matches (the dry run), for the
     * confirmation that shows the number before anything is redriven.
     */
    public void dryRunAll() {
        bulkDryRun = null;
        if (subscriptionId == null || subscriptionId.isBlank()) {
            Messages.error("Enter a subscription.");
            return;
        }
        bulkDryRun = Messages.attempt(() ->
                bus.deadLetters().dryRunRedriveAll(operator.account(), subscriptionId.trim(), filter(), ratePerSecond));
        if (bulkDryRun != null && bulkDryRun.count() == 0) {
            Messages.info("No dead letter matches: nothing to redrive.");
            bulkDryRun = null;
        }
        if (bulkDryRun != null) {
            // the page opens the confirmation, which shows the count, only now
            org.primefaces.PrimeFaces.current().ajax().addCallbackParam("bulkDryRun", true);
        }
    }

    /** Second half: starts the throttled bulk redrive of every dead letter matching the filter (audited). */
    public void startAll() {
        if (bulkDryRun == null) {
            return;
        }
        // what the confirmation showed: the dry run's filter and rate, whatever was typed since
        BulkRedrives.DryRun confirmed = bulkDryRun;
        bulkDryRun = null;
        BulkRedriveView j = Messages.attempt(() -> bus.deadLetters()
                .redriveAll(
                        operator.account(), confirmed.subscriptionId(), confirmed.filter(), confirmed.ratePerSecond()));
        if (j != null) {
            bulkJob = j;
            bulkId = j.id();
            Messages.info("Bulk redrive " + j.id() + " started: " + j.total() + " dead letter(s).");
            load();
        }
    }

    /** Reads the bulk redrive's progress again (the page polls while it runs), and the list once it ended. */
    public void refreshAll() {
        if (bulkId == null) {
            return;
        }
        boolean wasRunning = bulkJob != null && bulkJob.running();
        bulkJob = Messages.attempt(
                () -> bus.deadLetters().redriveAllProgress(operator.account(), subscriptionId.trim(), bulkId));
        if (wasRunning && bulkJob != null && !bulkJob.running()) {
            load();
        }
    }

    /** Cancels the running bulk redrive (what it redrove stays redriven). */
    public void cancelAll() {
        if (bulkId == null) {
            return;
        }
        BulkRedriveView j = Messages.attempt(
                () -> bus.deadLetters().cancelRedriveAll(operator.account(), subscriptionId.trim(), bulkId));
        if (j != null) {
            bulkJob = j;
            Messages.info("Bulk redrive " + j.id() + " " + j.state() + " at " + j.done() + " of " + j.total() + ".");
            load();
        }
    }

    /**
     * Exports the dead letters the filter matches (the service method behind {@code .../dead-letters/export}),
     * streamed as a download; null after showing a refusal.
     *
     * @param format {@code csv} or {@code json}
     */
    public org.primefaces.model.StreamedContent export(String format) {
        if (subscriptionId == null || subscriptionId.isBlank()) {
            Messages.error("Enter a subscription.");
            return null;
        }
        com.idynic.eventbus.broker.export.Export x = Messages.attempt(() -> bus.deadLetters()
                .export(
                        operator.account(),
                        subscriptionId.trim(),
                        filter(),
                        com.idynic.eventbus.broker.export.TableExport.Format.parse(format)));
        return x == null ? null : Downloads.of(x);
    }

    /** @return the dry run waiting for confirmation, or null */
    public BulkRedrives.DryRun getBulkDryRun() {
        return bulkDryRun;
    }

    /** @return the bulk redrive started here, or null */
    public BulkRedriveView getBulkJob() {
        return bulkJob;
    }

    /** @return whether the bulk redrive started here still runs (the page polls while it does) */
    public boolean isBulkRunning() {
        return bulkJob != null && bulkJob.running();
    }

    /** @return the bulk redrive's progress in percent */
    public int getBulkPercent() {
        return bulkJob == null ? 0 : bulkJob.percent();
    }

    /** @return seconds left at the job's rate */
    public long getBulkEtaSeconds() {
        return bulkJob == null ? 0 : bulkJob.etaSeconds();
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
    public List<AttemptView> getInspectedAttempts() {
        return inspection == null ? List.of() : inspection.attempts();
    }

    /** @return the inspected event's JSON, or a note that it is no longer stored */
    public String getInspectedEvent() {
        if (inspection == null) {
            return "";
        }
        return inspection.event().map(e -> Json.pretty(e.toJson())).orElse("(the event is no longer stored)");
    }

    /** @return the event ids of the parked sequence the inspected dead letter heads or belongs to, in order */
    public List<String> getInspectedSequence() {
        return inspection == null ? List.of() : inspection.parkedSequence();
    }

    /** @return whether the parked sequence holds more than is shown */
    public boolean isInspectedSequenceTruncated() {
        return inspection != null && inspection.parkedSequenceTruncated();
    }

    /** @return how often the inspected dead letter was redriven before, and when last; "" when never */
    public String getInspectedRedriven() {
        if (inspection == null || inspection.deadLetter().redriveCount() == 0) {
            return "";
        }
        var d = inspection.deadLetter();
        return "Redriven " + d.redriveCount() + "× before, last at "
                + (d.redrivenAt() == null ? "?" : Timestamps.format(d.redrivenAt()))
                + ": it came back to the dead-letter queue.";
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

    public String getDeadFrom() {
        return deadFrom;
    }

    public void setDeadFrom(String deadFrom) {
        this.deadFrom = deadFrom;
    }

    public String getDeadTo() {
        return deadTo;
    }

    public void setDeadTo(String deadTo) {
        this.deadTo = deadTo;
    }

    public Double getRatePerSecond() {
        return ratePerSecond;
    }

    public void setRatePerSecond(Double ratePerSecond) {
        this.ratePerSecond = ratePerSecond;
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
