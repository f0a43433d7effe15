package com.idynic.eventbus.broker;

import com.idynic.eventbus.broker.spi.RetentionPolicy;
import com.idynic.eventbus.broker.spi.RetentionRun;
import com.idynic.eventbus.broker.spi.RetentionRunStore;
import com.idynic.eventbus.broker.spi.RetentionStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Enforces retention (per event type policies and a global default) as background runs, so no request
 * waits on it: one run at a time across all servers, started on demand or every interval, resumed by
 * another server when its own stops. A run drops whole days past the longest policy (the store drops
 * their time partition) and removes the rest in index-backed batches, each one statement that the
 * database cancels after the statement timeout; a cancelled batch fails the run and says where. Events
 * still in the outbox, pending, leased or dead-lettered are never removed. After each run the Kafka
 * topic's retention is set to the longest kept age, so Kafka never drops what the store still promises
 * to replay.
 *
 * @since 0.2.0
 */
public final class RetentionManager implements Runnable {
    private static final Logger LOG = Logger.getLogger(RetentionManager.class.getName());
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final Duration KEEP_RUNS = Duration.ofDays(30);
    static final int PARTITIONS_AHEAD = 3;

    /**
     * How retention runs.
     *
     * @param defaultMaxAge events of types without a policy are removed once older than this
     * @param interval how often a run starts by itself, counted from the start of the last run on any server
     * @param batchSize events looked at per batch statement, e.g. {@code 1000}
     * @param statementTimeout the longest one statement of a run may take, e.g. 20 s; keep it below the
     *     JDBC socket timeout, so a slow statement is reported as a timeout and not as an outage
     * @since 0.4.0
     */
    public record Settings(Duration defaultMaxAge, Duration interval, int batchSize, Duration statementTimeout) {
        public Settings {
            if (batchSize < 1 || statementTimeout.isNegative() || statementTimeout.isZero()) {
                throw new IllegalArgumentException("batch size and statement timeout must be positive");
            }
        }

        /** @return how long a run may record no progress before another server resumes it */
        Duration stale() {
            return statementTimeout.multipliedBy(6).plusSeconds(30);
        }
    }

    /**
     * What one server's work on a run removed (for metrics).
     *
     * @param at when the work ended
     * @param removed events removed per event type ({@code *} for types under the default policy)
     */
    public record Report(Instant at, Map<String, Long> removed) {
        /** @return events removed in all */
        public long total() {
            return removed.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /**
     * The answer to a request for a run.
     *
     * @param run the run started, or the one already running
     * @param started whether {@code run} was started by this request
     * @since 0.4.0
     */
    public record Start(RetentionRun run, boolean started) {}

    private final RetentionStore store;
    private final RetentionRunStore runs;
    private final Settings settings;
    private final Consumer<Duration> kafkaRetention;
    private final Clock clock;
    private final Consumer<Report> onRun;
    private final String owner = "srv-" + UUID.randomUUID();
    private final Signal wake = new Signal();
    private final AtomicLong removedTotal = new AtomicLong();
    private volatile boolean running = true;

    /**
     * @param kafkaRetention applies a retention time to the events topic (may throw when Kafka is down)
     * @param onRun told what each run removed (metrics)
     */
    public RetentionManager(
            RetentionStore store,
            RetentionRunStore runs,
            Settings settings,
            Consumer<Duration> kafkaRetention,
            Clock clock,
            Consumer<Report> onRun) {
        this.store = store;
        this.runs = runs;
        this.settings = settings;
        this.kafkaRetention = kafkaRetention;
        this.clock = clock;
        this.onRun = onRun;
    }

    /**
     * Starts a run in the background unless one is running (on any server).
     *
     * @return the new run, or the running one with {@code started} false
     * @since 0.4.0
     */
    public Start start() {
        return start("api");
    }

    private Start start(String trigger) {
        Instant now = clock.instant();
        String id = "ret-" + UUID.randomUUID().toString().substring(0, 13);
        RetentionRun run =
                new RetentionRun(id, RetentionRun.State.RUNNING, trigger, Map.of(), 0, null, now, now, null, null);
        Optional<RetentionRun> other = runs.start(run, owner);
        if (other.isPresent()) {
            return new Start(other.get(), false);
        }
        LOG.info("retention run " + id + " started (" + trigger + ")");
        wake.raise();
        return new Start(run, true);
    }

    /** Starts a scheduled run when the last run (on any server) started an interval ago or more. */
    void startIfDue() {
        Optional<RetentionRun> last = runs.latest();
        if (last.isEmpty() || !last.get().startedAt().plus(settings.interval()).isAfter(clock.instant())) {
            start("schedule");
        }
    }

    /**
     * Claims the running run if no other server works on it and works on it until it ends (or this
     * manager stops).
     *
     * @return whether there was a run to work on
     * @since 0.4.0
     */
    public boolean runClaimed() {
        Optional<RetentionRun> claimed = runs.claim(owner, settings.stale());
        if (claimed.isEmpty()) {
            return false;
        }
        RetentionJob job = new RetentionJob(claimed.get(), store, runs, settings, clock, owner, () -> running);
        try {
            RetentionRun end = job.execute();
            if (end.state() == RetentionRun.State.DONE) {
                runs.forgetFinishedBefore(clock.instant().minus(KEEP_RUNS));
            }
        } finally {
            Report r = new Report(clock.instant(), job.removedNow());
            removedTotal.addAndGet(r.total());
            onRun.accept(r);
            if (r.total() > 0) {
                LOG.info("retention removed " + r.total() + " events: " + r.removed());
            }
            if (job.longest() != null) {
                alignKafka(job.longest());
            }
        }
        return true;
    }

    private void alignKafka(Duration longest) {
        try {
            kafkaRetention.accept(longest);
        } catch (RuntimeException e) {
            LOG.warning("could not align the Kafka topic's retention (" + longest + "): " + e.getMessage());
        }
    }

    /** Starts runs every interval and works on the running one; until {@link #stop()}. */
    @Override
    public void run() {
        while (running && !Thread.currentThread().isInterrupted()) {
            try {
                startIfDue();
                runClaimed();
                wake.await(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "retention pass failed: " + e);
                try {
                    wake.await(Duration.ofSeconds(5));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** Ends the loop after the current batch; a run in progress is left for the next server to resume. */
    public void stop() {
        running = false;
        wake.raise();
    }

    /** @return the run with this id, if known */
    public Optional<RetentionRun> find(String id) {
        return runs.find(id);
    }

    /** @return the most recently started run, if any */
    public Optional<RetentionRun> latest() {
        return runs.latest();
    }

    /** @return events removed by this server since start */
    public long removedTotal() {
        return removedTotal.get();
    }

    /** Creates the store's time partitions for today and the next days (run at start-up). */
    public void preparePartitions() {
        store.ensurePartitions(PARTITIONS_AHEAD);
    }

    /** @return the global default maximum age */
    public Duration defaultMaxAge() {
        return settings.defaultMaxAge();
    }

    /** @return the store's policies */
    public List<RetentionPolicy> policies() {
        return store.policies();
    }
}
