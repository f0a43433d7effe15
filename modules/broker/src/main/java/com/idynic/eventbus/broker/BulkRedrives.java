package com.idynic.eventbus.broker;

import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.ErrorCode;
import com.idynic.eventbus.broker.spi.BulkRedriveStore;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * "Redrive every dead letter of a subscription that matches a filter": a dry run counts them; a start stores
 * a throttled background job ({@link BulkRedriveRunner} runs it) covering the dead letters matching at that
 * moment; its progress (done of total, ETA) is read back and it can be cancelled. One bulk redrive per
 * subscription runs at a time. Who may do this is the caller's to check; the REST resource and the console
 * call these methods.
 *
 * @since 0.9.0
 */
public final class BulkRedrives {
    private static final Logger LOG = Logger.getLogger(BulkRedrives.class.getName());

    /** The lowest rate budget, dead letters per second (a job renews its claim at every step). */
    public static final double MIN_RATE = 1;

    /** The highest rate budget, dead letters per second. */
    public static final double MAX_RATE = 10_000;

    private final BulkRedriveStore store;
    private final DeadLetters deadLetters;
    private final Clock clock;
    private final double defaultRate;

    /**
     * @param deadLetters counts the dead letters for a dry run
     * @param defaultRate dead letters per second of a job that names no rate
     */
    public BulkRedrives(BulkRedriveStore store, DeadLetters deadLetters, Clock clock, double defaultRate) {
        this.store = store;
        this.deadLetters = deadLetters;
        this.clock = clock;
        this.defaultRate = Math.max(MIN_RATE, Math.min(MAX_RATE, defaultRate));
    }

    /**
     * What a dry run found.
     *
     * @param count the dead letters that match now: exactly what a start now would redrive
     * @param ratePerSecond the rate the job would run at
     * @param etaSeconds how long it would take at that rate
     */
    public record DryRun(
            String subscriptionId, DeadLetterFilter filter, long count, double ratePerSecond, long etaSeconds) {}

    /**
     * Counts what a bulk redrive would redrive, changing nothing.
     *
     * @param ratePerSecond null for the default
     * @throws BusException {@code VALIDATION_ERROR} naming {@code ratePerSecond} or {@code deadTo}
     */
    public DryRun dryRun(String subscriptionId, DeadLetterFilter filter, Double ratePerSecond) {
        double rate = rate(ratePerSecond);
        long n = deadLetters.count(subscriptionId, filter);
        return new DryRun(subscriptionId, filter, n, rate, eta(n, rate));
    }

    /**
     * Starts a bulk redrive of the dead letters that match {@code filter} now.
     *
     * @param actor who starts it, for the audit record
     * @return the stored job, with its total
     * @throws BusException {@code VALIDATION_ERROR} naming {@code ratePerSecond} or {@code deadTo};
     *     {@code ALREADY_RUNNING} naming the subscription's running bulk redrive in {@code details.runningId}
     */
    public BulkRedriveView start(String subscriptionId, DeadLetterFilter filter, Double ratePerSecond, String actor) {
        double rate = rate(ratePerSecond);
        DeadLetters.validate(filter);
        Instant now = clock.instant();
        String id = "rdr-" + UUID.randomUUID().toString().substring(0, 13);
        BulkRedriveStore.Job job = new BulkRedriveStore.Job(
                id, subscriptionId, filter, rate, "running", 0, 0, 0, 0, null, actor, now, now);
        Optional<BulkRedriveStore.Job> running = store.create(job);
        if (running.isPresent()) {
            String other = running.get().id();
            throw new BusException(
                    ErrorCode.ALREADY_RUNNING,
                    "Bulk redrive " + other + " of '" + subscriptionId + "' is running; one bulk redrive per"
                            + " subscription runs at a time",
                    Map.of("runningId", other, "subscriptionId", subscriptionId));
        }
        BulkRedriveStore.Job stored = store.find(id).orElse(job);
        LOG.info("bulk redrive " + id + " of " + subscriptionId + " (" + filter.describe() + ") started by " + actor
                + ": " + stored.total() + " dead letters at " + rate + "/s");
        return BulkRedriveView.of(stored);
    }

    /**
     * @throws BusException {@code NOT_FOUND} naming {@code redriveId} when the subscription has no such job
     */
    public BulkRedriveView progress(String subscriptionId, String redriveId) {
        return BulkRedriveView.of(job(subscriptionId, redriveId));
    }

    private BulkRedriveStore.Job job(String subscriptionId, String redriveId) {
        return store.find(redriveId)
                .filter(j -> j.subscriptionId().equals(subscriptionId))
                .orElseThrow(() -> new BusException(
                        ErrorCode.NOT_FOUND,
                        "No bulk redrive '" + redriveId + "' for '" + subscriptionId + "'",
                        Map.of("redriveId", redriveId)));
    }

    /**
     * Cancels a running job: it stops before its next step (what it redrove stays redriven). Idempotent: a job
     * that already ended is returned as it is.
     *
     * @param actor who cancels it, for the audit record
     * @return the job after the cancel
     * @throws BusException {@code NOT_FOUND} naming {@code redriveId}
     */
    public BulkRedriveView cancel(String subscriptionId, String redriveId, String actor) {
        BulkRedriveStore.Job j = job(subscriptionId, redriveId);
        if (j.running() && store.cancel(redriveId, actor)) {
            LOG.info("bulk redrive " + redriveId + " of " + subscriptionId + " cancelled by " + actor);
        }
        return progress(subscriptionId, redriveId);
    }

    /** @return seconds left at the job's rate, 0 once it ended */
    static long etaSeconds(BulkRedriveStore.Job j) {
        return j.running() ? eta(Math.max(0, j.total() - j.done()), j.ratePerSecond()) : 0;
    }

    private static long eta(long n, double rate) {
        return (long) Math.ceil(n / rate);
    }

    private double rate(Double ratePerSecond) {
        double rate = ratePerSecond == null ? defaultRate : ratePerSecond;
        if (!(rate >= MIN_RATE && rate <= MAX_RATE)) {
            throw new BusException(
                    ErrorCode.VALIDATION_ERROR,
                    "ratePerSecond must be between 1 and 10000",
                    Map.of("field", "ratePerSecond"));
        }
        return rate;
    }
}
