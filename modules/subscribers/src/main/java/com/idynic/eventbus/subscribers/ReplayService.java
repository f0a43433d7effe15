package com.idynic.eventbus.subscribers;

import com.idynic.eventbus.api.Auditor;
import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.ErrorCode;
import com.idynic.eventbus.api.InvalidFieldException;
import com.idynic.eventbus.security.Role;
import com.idynic.eventbus.security.ServiceAccount;
import com.idynic.eventbus.subscribers.spi.ReplayStore;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * Starts replays (or counts them, for a dry run) and reports their progress: the request's rules live here, and
 * {@link Replays} runs the jobs this stores. The REST resource and, later, the console and the CLI call it.
 *
 * @since 0.8.0
 */
public final class ReplayService {
    private static final Logger LOG = Logger.getLogger(ReplayService.class.getName());

    /** A dry run counts exactly up to this many events; a larger range reports this number, capped. */
    public static final long DRY_RUN_COUNT_CAP = 10_000;

    private final ReplayStore store;
    private final SubscriptionAccess access;
    private final Clock clock;
    private final double defaultRate;
    private final Auditor audit;

    /**
     * @param store the replay jobs and the stored history they read
     * @param registry the subscriptions replayed to
     * @param defaultRate events per second of a replay that names no rate (also a new subscription's history)
     * @param audit records each replay started (not dry runs) with the caller's name
     */
    public ReplayService(
            ReplayStore store, SubscriptionRegistry registry, Clock clock, double defaultRate, Auditor audit) {
        this.audit = audit;
        this.store = store;
        this.access = new SubscriptionAccess(registry);
        this.clock = clock;
        this.defaultRate = defaultRate;
    }

    /**
     * A replay as asked for.
     *
     * @param from {@code earliest}, an ISO-8601 time with offset or an event id
     * @param to an ISO-8601 time with offset, or null for up to the time the job is created
     * @param eventTypes selectors narrowing the subscription's, or empty for all of them
     * @param ratePerSecond events per second, above 0 and at most 10,000; null for the default
     * @param source {@code auto} (Kafka where it still holds the range) or {@code postgresql}
     * @param dryRun whether only to count
     */
    public record Request(
            String from, String to, List<String> eventTypes, Double ratePerSecond, String source, boolean dryRun) {}

    /**
     * What a start did.
     *
     * @param job the job stored and running, or (dry run) the job that would run, in state {@code dry-run}
     * @param dryRun what the count found, for a dry run
     */
    public record Started(ReplayView job, Optional<DryRun> dryRun) {}

    /**
     * Starts a replay to the subscription (audited), or with {@link Request#dryRun()} counts it.
     *
     * @param actor the calling service, for the audit log
     * @throws BusException {@code NOT_FOUND} for an unknown subscription; {@code VALIDATION_ERROR} naming the
     *     field; {@code ALREADY_RUNNING} naming the subscription's running replay in {@code details.runningId}
     */
    public Started start(String actor, String subscriptionId, Request r) {
        Subscription s = access.existing(subscriptionId);
        Instant to = time(r.to());
        double rate = r.ratePerSecond() == null ? defaultRate : r.ratePerSecond();
        if (rate <= 0 || rate > 10_000) {
            throw new InvalidFieldException("ratePerSecond", "must be above 0 and at most 10000");
        }
        if (r.dryRun()) {
            DryRun d = dryRun(s, r.from(), to, r.eventTypes(), rate, r.source());
            return new Started(d.job(), Optional.of(d));
        }
        ReplayView job = ReplayView.of(start(s, r.from(), to, r.eventTypes(), rate, r.source()));
        audit.audit(
                actor,
                "replay-start",
                subscriptionId,
                job.id() + " from " + r.from() + (r.to() == null ? "" : " to " + r.to()) + " at " + rate + " events/s");
        return new Started(job, Optional.empty());
    }

    /**
     * Starts the replay of a new subscription's history: from its {@code startPosition}, every type it selects,
     * at the default rate.
     */
    public ReplayView history(Subscription s) {
        return ReplayView.of(start(s, s.startPosition(), null, List.of(), defaultRate, "auto"));
    }

    /**
     * A replay's progress. Operators read any replay; a subscription's owner reads the replays of its own.
     *
     * @throws BusException {@code NOT_FOUND} (no such replay of that subscription) or {@code FORBIDDEN}
     */
    public ReplayView progress(ServiceAccount me, String subscriptionId, String replayId) {
        if (!me.has(Role.OPERATOR)) {
            access.readable(me, subscriptionId);
        }
        return ReplayView.of(find(subscriptionId, replayId));
    }

    /**
     * Cancels a running replay, audited with {@code actor}: it queues nothing more (what it queued stays queued).
     * Idempotent: a replay that has ended is answered as it stands.
     *
     * @return the replay as it stands after the cancel ({@code cancelled}, or the state it had ended in)
     * @throws BusException {@code NOT_FOUND} (no such subscription, or no such replay of it)
     * @since 0.19.0
     */
    public ReplayView cancel(String actor, String subscriptionId, String replayId) {
        access.existing(subscriptionId);
        ReplayStore.Job j = find(subscriptionId, replayId);
        // one replay per subscription runs at a time, so the running one is this one
        if ("running".equals(j.state()) && store.cancel(subscriptionId, "cancelled by " + actor) > 0) {
            audit.audit(actor, "replay-cancel", subscriptionId, replayId);
        }
        return ReplayView.of(find(subscriptionId, replayId));
    }

    private ReplayStore.Job find(String subscriptionId, String replayId) {
        return store.find(replayId)
                .filter(j -> j.subscriptionId().equals(subscriptionId))
                .orElseThrow(() -> new BusException(
                        ErrorCode.NOT_FOUND,
                        "No replay '" + replayId + "' for '" + subscriptionId + "'",
                        Map.of("replayId", replayId)));
    }

    /**
     * Validates and starts a replay.
     *
     * @return the job
     * @throws BusException {@code ALREADY_RUNNING} when a replay of the subscription is running (on any
     *     server); {@code details.runningId} names it
     */
    public ReplayStore.Job start(
            Subscription s, String from, Instant to, List<String> eventTypes, double ratePerSecond, String source) {
        ReplayStore.Job job =
                job(s, from, to, eventTypes, ratePerSecond, "running", 0, startAfter(from, source), source, null);
        Optional<ReplayStore.Job> running = store.create(job);
        if (running.isPresent()) {
            String other = running.get().id();
            throw new BusException(
                    ErrorCode.ALREADY_RUNNING,
                    "Replay " + other + " of '" + s.id() + "' is running; one replay per subscription runs at a"
                            + " time",
                    Map.of("runningId", other, "subscriptionId", s.id()));
        }
        LOG.info("replay " + job.id() + " of " + s.id() + " from " + from + " started at " + ratePerSecond
                + " events/s");
        return job;
    }

    /**
     * Validates a replay and counts what it would queue, without queueing anything. The count reads at most
     * {@link #DRY_RUN_COUNT_CAP} + 1 events, so it answers in the same time for any range.
     *
     * @return the job in state {@code dry-run}, with the store it would read from; its total is exact up to
     *     {@link #DRY_RUN_COUNT_CAP} and that number when more would be replayed (then {@link
     *     DryRun#countCapped()})
     */
    public DryRun dryRun(
            Subscription s, String from, Instant to, List<String> eventTypes, double ratePerSecond, String source) {
        long after = startAfter(from, source);
        long upTo = store.seqUpTo(to == null ? clock.instant() : to);
        long n = store.countUpTo(after, upTo, s.eventTypes(), eventTypes, s.filter(), DRY_RUN_COUNT_CAP);
        boolean capped = n > DRY_RUN_COUNT_CAP;
        long queued = capped ? DRY_RUN_COUNT_CAP : n;
        boolean indexed = ReplayPlan.selective(s, eventTypes);
        String readFrom = indexed || Replays.POSTGRESQL.equals(source) || !store.relayedUpTo(upTo)
                ? Replays.POSTGRESQL
                : Replays.KAFKA;
        // a job of every type reads each event of its range (sequence numbers bound their number from above)
        long dropped = indexed ? 0 : Math.max(0, upTo - after - queued);
        return new DryRun(
                ReplayView.of(job(s, from, to, eventTypes, ratePerSecond, "dry-run", queued, after, source, readFrom)),
                capped,
                ReplayPlan.estimateSeconds(queued, dropped, ratePerSecond));
    }

    /**
     * What a dry run found.
     *
     * @param job the job that would run, in state {@code dry-run}; its {@code readFrom} is the store it
     *     would read ({@code postgresql} or {@code kafka}, if Kafka then opens)
     * @param countCapped whether more than {@link #DRY_RUN_COUNT_CAP} events would be replayed (the job's
     *     total is then that number)
     * @param etaSeconds how long the job would take: its events at its rate, plus reading the events it
     *     reads and drops; a lower bound when {@code countCapped}
     */
    public record DryRun(ReplayView job, boolean countCapped, long etaSeconds) {}

    /** @return seconds left at the job's rate, or 0 when done */
    static long etaSeconds(ReplayStore.Job j) {
        return j.ratePerSecond() <= 0 ? 0 : (long) Math.ceil(Math.max(0, j.total() - j.done()) / j.ratePerSecond());
    }

    /** @return the sequence number the replay starts after, once {@code from} and {@code source} are valid */
    private long startAfter(String from, String source) {
        validateFrom(from);
        if (!"auto".equals(source) && !Replays.POSTGRESQL.equals(source)) {
            throw new InvalidFieldException("source", "must be 'auto' or 'postgresql'");
        }
        long after = store.seqBefore(from);
        if (after < 0) {
            throw new InvalidFieldException("from", "no event with id '" + from + "'");
        }
        return after;
    }

    private ReplayStore.Job job(
            Subscription s,
            String from,
            Instant to,
            List<String> eventTypes,
            double ratePerSecond,
            String state,
            long total,
            long after,
            String source,
            String readFrom) {
        Instant now = clock.instant();
        String id = "rpl-" + UUID.randomUUID().toString().substring(0, 13);
        return new ReplayStore.Job(
                id,
                s.id(),
                from,
                to,
                eventTypes,
                ratePerSecond,
                state,
                total,
                0,
                after,
                null,
                now,
                now,
                source,
                readFrom);
    }

    private static void validateFrom(String from) {
        if (from == null || from.isBlank()) {
            throw new InvalidFieldException("from", "is required: 'earliest', an ISO-8601 time or an event id");
        }
        if (from.matches("\\d{4}-.*")) {
            try {
                OffsetDateTime.parse(from);
            } catch (DateTimeParseException e) {
                throw new InvalidFieldException("from", "is not an ISO-8601 time with offset");
            }
        }
    }

    private static Instant time(String s) {
        if (s == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidFieldException("to", "is not an ISO-8601 time with offset");
        }
    }
}
