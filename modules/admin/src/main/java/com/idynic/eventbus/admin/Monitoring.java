package com.idynic.eventbus.admin;

import com.idynic.eventbus.admin.spi.MonitoringStore;
import com.idynic.eventbus.broker.Backpressure;
import com.idynic.eventbus.broker.DispatchWatch;
import com.idynic.eventbus.broker.Loops;
import com.idynic.eventbus.broker.SupervisedLoop;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The one home of the operator's figures: delivery success rate (attempts succeeded / attempts finished) and
 * processing time (publish to acknowledgement, percentiles) over a window, queue depth and dead-letter queue size
 * now, per subscription and for the whole bus, and the pipeline's progress. Read from PostgreSQL's indexes and kept
 * for a few seconds, so a metrics scrape, an alert evaluation and a console page share one read.
 *
 * @since 0.19.0
 */
public final class Monitoring {
    /** The name under which the relay runs as a supervised loop. */
    public static final String RELAY_LOOP = "relay";

    /**
     * @param window how far back success rate and processing time look, e.g. 5 minutes
     * @param cacheFor how long one reading is answered again, e.g. 5 seconds
     */
    public record Settings(Duration window, Duration cacheFor) {
        public Settings {
            if (window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("the monitoring window must be positive");
            }
            if (cacheFor.isNegative()) {
                throw new IllegalArgumentException("the monitoring cache time must not be negative");
            }
        }
    }

    private final MonitoringStore store;
    private final Backpressure backpressure;
    private final Loops loops;
    private final DispatchWatch dispatch;
    private final Function<String, String> circuits;
    private final Consumer<Overview> refreshed;
    private final Settings settings;
    private final Clock clock;
    private volatile Overview cached;
    private volatile Instant cachedAt;
    private volatile RuntimeException failure;
    private volatile Instant failedAt;
    private volatile Probed dispatchProbe;
    private final FigureHistory history;

    /** The dispatcher's state as the last probe found it, and when. */
    private record Probed(DispatchWatch.Status status, Instant at) {}

    /**
     * @param store the delivery figures
     * @param backpressure the outbox backlog and relay lag
     * @param loops the supervised loops, where the relay reports its progress
     * @param dispatch the dispatcher's lag and progress
     * @param circuits a subscription's webhook circuit on this server, or null
     * @param refreshed told each new reading (e.g. the metrics, which follow the list of subscriptions)
     */
    public Monitoring(
            MonitoringStore store,
            Backpressure backpressure,
            Loops loops,
            DispatchWatch dispatch,
            Function<String, String> circuits,
            Consumer<Overview> refreshed,
            Settings settings,
            Clock clock) {
        this(
                store,
                backpressure,
                loops,
                dispatch,
                circuits,
                refreshed,
                settings,
                clock,
                FigureHistory.Settings.DEFAULT);
    }

    /**
     * @param history how far back and how often the figures are kept for the overview's charts ({@link #history()})
     * @since 0.19.0
     */
    public Monitoring(
            MonitoringStore store,
            Backpressure backpressure,
            Loops loops,
            DispatchWatch dispatch,
            Function<String, String> circuits,
            Consumer<Overview> refreshed,
            Settings settings,
            Clock clock,
            FigureHistory.Settings history) {
        this.history = new FigureHistory(history, clock);
        this.store = store;
        this.backpressure = backpressure;
        this.loops = loops;
        this.dispatch = dispatch;
        this.circuits = circuits;
        this.refreshed = refreshed;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * @return the figures, read at most {@code cacheFor} ago
     * @throws RuntimeException when the store cannot be read (PostgreSQL away); a failed reading is not tried again
     *     for {@code cacheFor} either, so a scrape of many gauges during an outage waits for one attempt, not one each
     */
    public Overview overview() {
        Overview o = cached;
        if (fresh(o)) {
            return o;
        }
        synchronized (this) {
            o = cached;
            if (fresh(o)) {
                return o;
            }
            Instant now = clock.instant();
            if (failedAt != null && now.isBefore(failedAt.plus(settings.cacheFor()))) {
                throw failure;
            }
            try {
                o = read(now);
            } catch (RuntimeException e) {
                failure = e;
                failedAt = clock.instant();
                throw e;
            }
            cached = o;
            cachedAt = clock.instant();
            failedAt = null;
        }
        refreshed.accept(o);
        return o;
    }

    /**
     * Asks Kafka how many records wait for the dispatcher (up to a few seconds while Kafka does not answer). Called by
     * a background loop ({@link AlertLoop}) every interval, so that no reading, scrape or page waits for Kafka.
     */
    public void probe() {
        dispatchProbe = new Probed(dispatch.check(), clock.instant());
    }

    /**
     * @return the figures of the last hour (fed by the alert loop's pass: {@link AlertLoop}), for the overview's
     *     charts
     * @since 0.19.0
     */
    public FigureHistory history() {
        return history;
    }

    /** @return the window success rate and processing time look back over */
    public Duration window() {
        return settings.window();
    }

    /** Fresh for {@code cacheFor} after the reading completed, so callers that waited for it take it. */
    private boolean fresh(Overview o) {
        Instant at = cachedAt;
        return o != null && at != null && clock.instant().isBefore(at.plus(settings.cacheFor()));
    }

    private Overview read(Instant now) {
        List<MonitoringStore.QueueCounts> queues = store.queues();
        Map<String, MonitoringStore.AttemptStats> stats = new HashMap<>();
        MonitoringStore.AttemptStats all = null;
        for (MonitoringStore.AttemptStats s : store.attempts(now.minus(settings.window()))) {
            if (s.subscriptionId() == null) {
                all = s;
            } else {
                stats.put(s.subscriptionId(), s);
            }
        }
        long open = 0;
        long dead = 0;
        Duration oldest = null;
        List<SubscriptionFigures> subscriptions = new ArrayList<>(queues.size());
        for (MonitoringStore.QueueCounts q : queues) {
            open += q.open();
            dead += q.dead();
            Duration lag = lag(q, now);
            if (lag != null && (oldest == null || lag.compareTo(oldest) > 0)) {
                oldest = lag;
            }
            subscriptions.add(new SubscriptionFigures(
                    q.subscriptionId(),
                    figures(q.open(), q.dead(), stats.get(q.subscriptionId()), lag),
                    circuits.apply(q.subscriptionId())));
        }
        return new Overview(
                now,
                settings.window(),
                figures(open, dead, all, oldest),
                subscriptions,
                pipeline(now),
                store.published(now.minus(settings.window())));
    }

    private static DeliveryFigures figures(long open, long dead, MonitoringStore.AttemptStats s, Duration lag) {
        return s == null
                ? new DeliveryFigures(open, dead, 0, 0, 0, null, null, null, lag)
                : new DeliveryFigures(
                        open, dead, s.finished(), s.succeeded(), s.timed(), s.p50(), s.p95(), s.p99(), lag);
    }

    /**
     * The lag rule: the age of the oldest owed delivery, from when it was queued to now (never negative, whatever
     * the clocks of database and server say); null when nothing is owed.
     */
    private static Duration lag(MonitoringStore.QueueCounts q, Instant now) {
        if (q.open() == 0 || q.oldestOpen() == null) {
            return null;
        }
        Duration d = Duration.between(q.oldestOpen(), now);
        return d.isNegative() ? Duration.ZERO : d;
    }

    private PipelineFigures pipeline(Instant now) {
        long backlog = backpressure.backlog();
        Duration lag = Duration.ofMillis(backpressure.lagMillis());
        Duration sinceRelay = loops.find(RELAY_LOOP)
                .map(SupervisedLoop::status)
                .filter(s -> s.state() != SupervisedLoop.State.NEW)
                .map(s -> Duration.between(s.lastProgress(), now))
                .orElse(null);
        Probed d = dispatchProbe;
        if (d == null) {
            return new PipelineFigures(backlog, lag, sinceRelay, null, null);
        }
        Long dispatchLag =
                d.status().consumerLag().isPresent() ? d.status().consumerLag().getAsLong() : null;
        return new PipelineFigures(
                backlog,
                lag,
                sinceRelay,
                dispatchLag,
                d.status().sinceLastProgress().plus(Duration.between(d.at(), now)));
    }
}
