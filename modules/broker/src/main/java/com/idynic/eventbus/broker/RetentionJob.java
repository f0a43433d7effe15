package com.idynic.eventbus.broker;

import com.idynic.eventbus.broker.spi.RetentionPolicy;
import com.idynic.eventbus.broker.spi.RetentionRun;
import com.idynic.eventbus.broker.spi.RetentionRunStore;
import com.idynic.eventbus.broker.spi.RetentionStore;
import com.idynic.eventbus.broker.spi.RetentionStore.Position;
import com.idynic.eventbus.broker.spi.StatementTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/** One server's work on one retention run, in bounded steps, recording the run's progress after each. */
final class RetentionJob {
    private static final Logger LOG = Logger.getLogger(RetentionJob.class.getName());
    static final String DEFAULT = "*";
    /** Index entries one counting statement reads at most (a {@code maxCount} of a million takes ten). */
    static final long COUNT_STEP = 100_000;

    private static final Duration HEARTBEAT = Duration.ofSeconds(5);

    private final RetentionStore store;
    private final RetentionRunStore runs;
    private final RetentionManager.Settings settings;
    private final Clock clock;
    private final String owner;
    private final BooleanSupplier keepGoing;
    private final Map<String, Long> removed;
    private final Map<String, Long> removedNow = new LinkedHashMap<>();
    private RetentionRun run;
    private long batches;
    private String step = "while preparing";
    private Duration longest;
    private Instant recordedAt;

    RetentionJob(
            RetentionRun run,
            RetentionStore store,
            RetentionRunStore runs,
            RetentionManager.Settings settings,
            Clock clock,
            String owner,
            BooleanSupplier keepGoing) {
        this.run = run;
        this.store = store;
        this.runs = runs;
        this.settings = settings;
        this.clock = clock;
        this.owner = owner;
        this.keepGoing = keepGoing;
        this.removed = new LinkedHashMap<>(run.removed());
        this.batches = run.batches();
        this.recordedAt = clock.instant();
    }

    /** @return the run as it ended, or as it stood when this server stopped or another took it over */
    RetentionRun execute() {
        try {
            List<RetentionPolicy> policies = store.policies();
            Map<String, RetentionPolicy> byType = new HashMap<>();
            Duration max = settings.defaultMaxAge();
            for (RetentionPolicy p : policies) {
                byType.put(p.eventType(), p);
                max = p.maxAge().compareTo(max) > 0 ? p.maxAge() : max;
                add(p.eventType(), 0);
            }
            add(DEFAULT, 0);
            longest = max;
            step = "while creating partitions";
            store.ensurePartitions(RetentionManager.PARTITIONS_AHEAD);
            dropDays(clock.instant().minus(longest), byType);
            for (RetentionPolicy p : policies) {
                purge(p.eventType(), p.eventType(), p.maxAge(), p.maxCount());
            }
            for (String type = nextType(null); type != null; type = nextType(type)) {
                if (!byType.containsKey(type)) {
                    purge(type, DEFAULT, settings.defaultMaxAge(), null);
                }
            }
            return end(RetentionRun.State.DONE, null);
        } catch (Stopped e) {
            LOG.info("retention run " + run.id() + " left at batch " + batches + ": " + e.getMessage());
            return run;
        } catch (StatementTimeoutException e) {
            return end(
                    RetentionRun.State.FAILED,
                    "statement timeout after " + StatementTimeoutException.seconds(e.timeout()) + " " + step);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "retention run " + run.id() + " failed " + step, e);
            return end(RetentionRun.State.FAILED, step + ": " + e.getMessage());
        }
    }

    /** Whole days past the longest policy; a day that cannot go now is left to the batches. */
    private void dropDays(Instant cutoff, Map<String, RetentionPolicy> byType) {
        for (LocalDate day : store.daysBefore(cutoff)) {
            checkGoing();
            step = "dropping the partition of " + day;
            try {
                Optional<Map<String, Long>> counts = store.dropDay(day, settings.statementTimeout());
                counts.ifPresent(c -> {
                    LOG.info("retention dropped the partition of " + day + ": " + c);
                    c.forEach((type, n) -> add(byType.containsKey(type) ? type : DEFAULT, n));
                });
            } catch (RuntimeException e) {
                LOG.warning("retention kept the partition of " + day + " for now: " + e.getMessage());
            }
            record(null, true);
        }
    }

    /** Removes, batch by batch, the type's events older than {@code maxAge} or beyond the newest {@code maxCount}. */
    private void purge(String type, String key, Duration maxAge, Long maxCount) {
        Position before = Position.before(clock.instant().minus(maxAge));
        if (maxCount != null) {
            Position kept = oldestKept(type, maxCount);
            if (kept != null && kept.compareTo(before) > 0) {
                before = kept;
            }
        }
        Position after = null;
        RetentionStore.Batch b;
        do {
            checkGoing();
            step = "in batch " + (batches + 1) + " of " + type;
            b = store.purge(type, after, before, settings.batchSize(), settings.statementTimeout());
            if (b.examined() > 0) {
                batches++;
                add(key, b.removed());
                after = b.last();
            }
            record(type, b.examined() > 0);
        } while (b.examined() >= settings.batchSize());
    }

    /** @return the oldest of the newest {@code count} events; null when there are no more than that */
    private Position oldestKept(String type, long count) {
        step = "counting the newest " + count + " events of " + type;
        Position at = null;
        for (long left = count; left > 0; ) {
            long n = Math.min(left, COUNT_STEP);
            Optional<Position> p = store.nthNewest(type, at, n, settings.statementTimeout());
            if (p.isEmpty()) {
                return null;
            }
            at = p.get();
            left -= n;
            record(type, false);
        }
        return at;
    }

    private String nextType(String after) {
        checkGoing();
        step = "listing the stored event types";
        record(null, false);
        return store.eventTypeAfter(after, settings.statementTimeout()).orElse(null);
    }

    private void add(String key, long n) {
        removed.merge(key, n, Long::sum);
        removedNow.merge(key, n, Long::sum);
    }

    /** Records progress (always when {@code force}, else at most every few seconds as a heartbeat). */
    private void record(String eventType, boolean force) {
        Instant now = clock.instant();
        if (!force && now.isBefore(recordedAt.plus(HEARTBEAT))) {
            return;
        }
        RetentionRun next = snapshot(RetentionRun.State.RUNNING, eventType, null, null);
        if (!runs.record(next, owner)) {
            throw new Stopped("another server resumed it");
        }
        run = next;
        recordedAt = now;
    }

    private RetentionRun end(RetentionRun.State state, String error) {
        Instant now = clock.instant();
        RetentionRun last = snapshot(state, null, error, now);
        if (runs.record(last, owner)) {
            run = last;
            LOG.info("retention run " + run.id() + " " + state.name().toLowerCase(Locale.ROOT) + " after " + batches
                    + " batches, " + run.total() + " events removed" + (error == null ? "" : ": " + error));
        }
        return last;
    }

    private RetentionRun snapshot(RetentionRun.State state, String eventType, String error, Instant finishedAt) {
        return new RetentionRun(
                run.id(),
                state,
                run.trigger(),
                removed,
                batches,
                eventType,
                run.startedAt(),
                clock.instant(),
                finishedAt,
                error);
    }

    private void checkGoing() {
        if (!keepGoing.getAsBoolean()) {
            runs.release(run.id(), owner);
            throw new Stopped("this server is stopping");
        }
    }

    /** @return what this server's work removed, per key */
    Map<String, Long> removedNow() {
        return Map.copyOf(removedNow);
    }

    /** @return the longest age any policy keeps; null until the policies were read */
    Duration longest() {
        return longest;
    }

    /** This server stops working on the run (it stops, or another server took the run over). */
    private static final class Stopped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stopped(String why) {
            super(why, null, false, false);
        }
    }
}
