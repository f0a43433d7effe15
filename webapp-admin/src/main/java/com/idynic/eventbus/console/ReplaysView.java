package com.idynic.eventbus.console;

import com.idynic.eventbus.api.Timestamps;
import com.idynic.eventbus.subscribers.ReplayService;
import com.idynic.eventbus.subscribers.ReplayView;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.util.List;

/**
 * Rewinds one subscription to a time or an event id: a dry run counts what would be replayed, then the
 * replay starts and its progress is shown (the service methods of {@code /v1/subscriptions/{id}/replays}).
 */
@Named
@ViewScoped
public class ReplaysView implements Serializable {
    private static final long serialVersionUID = 1L;

    @Inject
    BusServices bus;

    @Inject
    Operator operator;

    private String subscriptionId;
    private String from = "earliest";
    private String to;
    private String eventTypes;
    private Double ratePerSecond;
    private String dryRunSummary;
    private String replayId;
    private transient ReplayView job;

    /** Counts what the replay would send, storing nothing. */
    public void dryRun() {
        dryRunSummary = null;
        ReplayService.Started s =
                Messages.attempt(() -> bus.replays().start(operator.account().name(), subscriptionId(), request(true)));
        if (s == null || s.dryRun().isEmpty()) {
            return;
        }
        ReplayService.DryRun d = s.dryRun().get();
        dryRunSummary = "Dry run: " + d.job().total() + (d.countCapped() ? " or more" : "") + " events would be"
                + " replayed to " + d.job().subscriptionId() + " from "
                + d.job().from() + ", read from "
                + d.job().readFrom() + ", about " + d.etaSeconds() + " s at "
                + d.job().ratePerSecond() + "/s.";
    }

    /** Starts the replay (one running replay per subscription). */
    public void start() {
        ReplayService.Started s = Messages.attempt(
                () -> bus.replays().start(operator.account().name(), subscriptionId(), request(false)));
        if (s != null) {
            job = s.job();
            replayId = job.id();
            Messages.info("Replay " + replayId + " started.");
        }
    }

    /** Reads the replay's progress again. */
    /** Cancels the replay shown: it queues nothing more. */
    public void cancel() {
        if (replayId == null) {
            return;
        }
        ReplayView j =
                Messages.attempt(() -> bus.replays().cancel(operator.account().name(), subscriptionId(), replayId));
        if (j != null) {
            job = j;
            Messages.info("Replay " + j.id() + ": " + j.state() + " after " + j.done() + " of " + j.total() + ".");
        }
    }

    public void refresh() {
        if (replayId != null) {
            job = Messages.attempt(() -> bus.replays().progress(operator.account(), subscriptionId(), replayId));
        }
    }

    /** @return the replay started here, or null */
    public ReplayView getJob() {
        if (job == null && replayId != null) {
            refresh();
        }
        return job;
    }

    /** @return whether the replay is still running (the page polls while it is) */
    public boolean isRunning() {
        ReplayView j = getJob();
        return j != null && j.running();
    }

    /** @return an instant as ISO-8601 UTC */
    public String time(java.time.Instant at) {
        return at == null ? "" : Timestamps.format(at);
    }

    private String subscriptionId() {
        return subscriptionId == null ? "" : subscriptionId.trim();
    }

    private ReplayService.Request request(boolean dryRun) {
        List<String> types = eventTypes == null || eventTypes.isBlank()
                ? List.of()
                : List.of(eventTypes.trim().split("\\s*,\\s*"));
        return new ReplayService.Request(
                from == null || from.isBlank() ? "earliest" : from.trim(),
                to == null || to.isBlank() ? null : to.trim(),
                types,
                ratePerSecond,
                "auto",
                dryRun);
    }

    public String getSubscriptionId() {
        return subscriptionId;
    }

    public void setSubscriptionId(String subscriptionId) {
        this.subscriptionId = subscriptionId;
    }

    public String getFrom() {
        return from;
    }

    public void setFrom(String from) {
        this.from = from;
    }

    public String getTo() {
        return to;
    }

    public void setTo(String to) {
        this.to = to;
    }

    public String getEventTypes() {
        return eventTypes;
    }

    public void setEventTypes(String eventTypes) {
        this.eventTypes = eventTypes;
    }

    public Double getRatePerSecond() {
        return ratePerSecond;
    }

    public void setRatePerSecond(Double ratePerSecond) {
        this.ratePerSecond = ratePerSecond;
    }

    public String getDryRunSummary() {
        return dryRunSummary;
    }
}
