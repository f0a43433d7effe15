package com.idynic.eventbus.admin;

import com.idynic.eventbus.admin.spi.AlertStore;
import com.idynic.eventbus.broker.Signal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.logging.Logger;

/**
 * Evaluates every alert rule against the figures ({@link Monitoring}) every interval (keeping them for the overview's
 * charts: {@link FigureHistory}), records each firing and
 * resolution in the history, and sends the notifications due ({@link AlertNotifier}). Runs as a supervised loop on
 * every server; a state change is made once in the store, so two servers never record or notify one twice. A
 * failed pass (PostgreSQL away) is logged once and retried at the next interval.
 *
 * @since 0.19.0
 */
public final class AlertLoop implements Runnable {
    private static final Logger LOG = Logger.getLogger(AlertLoop.class.getName());

    /**
     * @param interval between evaluations, e.g. 15 seconds
     */
    public record Settings(Duration interval) {
        public Settings {
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("the alert evaluation interval must be positive");
            }
        }
    }

    private final AlertStore store;
    private final Monitoring monitoring;
    private final AlertNotifier notifier;
    private final Settings settings;
    private final Clock clock;
    private final Signal wake = new Signal();
    private volatile boolean running = true;

    public AlertLoop(AlertStore store, Monitoring monitoring, AlertNotifier notifier, Settings settings, Clock clock) {
        this.store = store;
        this.monitoring = monitoring;
        this.notifier = notifier;
        this.settings = settings;
        this.clock = clock;
    }

    /** Probes Kafka for the figures, evaluates every rule once, then sends the notifications due. */
    public void pass() {
        monitoring.probe();
        evaluate();
        notifier.sendDue();
    }

    /** @return how many rules this pass moved (fired, resolved, or began or stopped waiting out their hold time) */
    int evaluate() {
        Overview figures = monitoring.overview();
        monitoring.history().record(figures);
        Instant now = clock.instant();
        int moved = 0;
        for (AlertRule r : store.rules()) {
            Double value = r.enabled() ? r.metric().valueIn(figures, r.subscription()) : null;
            boolean holds = value != null && r.operator().holds(value, r.threshold());
            AlertStore.Transition t = next(r, holds, value, now);
            if (t != null && store.transition(t)) {
                moved++;
            }
        }
        return moved;
    }

    private static AlertStore.Transition next(AlertRule r, boolean holds, Double value, Instant now) {
        switch (r.state()) {
            case OK:
                if (!holds) {
                    return null;
                }
                return r.holdFor().isZero()
                        ? fire(r, AlertRule.State.OK, value, now)
                        : new AlertStore.Transition(
                                r.id(), AlertRule.State.OK, AlertRule.State.PENDING, now, null, value, null);
            case PENDING:
                if (!holds) {
                    return new AlertStore.Transition(
                            r.id(), AlertRule.State.PENDING, AlertRule.State.OK, now, null, value, null);
                }
                return Duration.between(r.stateSince(), now).compareTo(r.holdFor()) >= 0
                        ? fire(r, AlertRule.State.PENDING, value, now)
                        : null;
            default:
                if (holds) {
                    return null;
                }
                return new AlertStore.Transition(
                        r.id(),
                        AlertRule.State.FIRING,
                        AlertRule.State.OK,
                        now,
                        AlertEvent.Kind.RESOLVED,
                        value,
                        "resolved: " + describe(r, value) + " (rule: " + r.condition() + ")");
        }
    }

    private static AlertStore.Transition fire(AlertRule r, AlertRule.State from, Double value, Instant now) {
        return new AlertStore.Transition(
                r.id(),
                from,
                AlertRule.State.FIRING,
                now,
                AlertEvent.Kind.FIRING,
                value,
                describe(r, value) + " (" + r.operator().symbol() + " " + AlertRule.number(r.threshold())
                        + r.metric().unit() + ")");
    }

    private static String describe(AlertRule r, Double value) {
        String what = r.metric().id() + (r.subscription() == null ? "" : " of subscription " + r.subscription());
        if (!r.enabled()) {
            return what + " is no longer watched (rule disabled)";
        }
        return value == null
                ? what + " has no value now"
                : what + " is " + AlertRule.number(value) + r.metric().unit();
    }

    /** Evaluates every interval until {@link #stop()}. */
    @Override
    public void run() {
        boolean failing = false;
        while (running && !Thread.currentThread().isInterrupted()) {
            try {
                pass();
                failing = false;
            } catch (RuntimeException e) {
                if (!failing) {
                    LOG.warning("alert evaluation failed; retrying every "
                            + settings.interval().toMillis() + " ms: " + e);
                }
                failing = true;
            }
            try {
                wake.await(settings.interval());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Ends the loop after the current pass. */
    public void stop() {
        running = false;
        wake.raise();
    }
}
