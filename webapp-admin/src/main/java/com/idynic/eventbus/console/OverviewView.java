package com.idynic.eventbus.console;

import com.idynic.eventbus.broker.DeadLetters;
import com.idynic.eventbus.subscribers.Subscription;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The overview: the seed's four figures (delivery success rate, processing time, queue depth, dead letters)
 * and whether events flow (outbox backlog, relay and dispatch progress) from {@link
 * com.idynic.eventbus.admin.Monitoring}, the same reading as {@code /metrics} and the alert rules; then
 * subscriptions by state and the dead letters waiting in each queue.
 */
@Named
@RequestScoped
public class OverviewView {
    @Inject
    BusServices bus;

    @Inject
    Operator operator;

    /** A subscription with dead letters. */
    public record Queue(String subscriptionId, long deadLetters) {}

    /** A stage that has not moved for this long while work waits is shown as halted. */
    static final Duration HALTED_AFTER = Duration.ofSeconds(60);

    private List<Subscription> subscriptions;
    private com.idynic.eventbus.admin.Overview figures;

    /** @return the monitoring reading (cached a few seconds by the service) */
    public com.idynic.eventbus.admin.Overview getFigures() {
        if (figures == null) {
            figures = bus.monitoring().overview();
        }
        return figures;
    }

    private Map<String, Sparkline> charts;

    /** @return events accepted per second over the window */
    public String getPublishRate() {
        return rate(getFigures().publishRate());
    }

    /** @return events delivered per second over the window */
    public String getDeliveryRate() {
        return rate(getFigures().deliveryRate());
    }

    /** @return a rate per second, or per minute below one a second (0.2/min reads better than 0.00/s) */
    static String rate(double perSecond) {
        if (perSecond == 0) {
            return "0/s";
        }
        if (perSecond < 1) {
            return String.format(java.util.Locale.ROOT, "%.1f/min", perSecond * 60);
        }
        return String.format(java.util.Locale.ROOT, perSecond < 10 ? "%.2f/s" : "%.0f/s", perSecond);
    }

    /**
     * @param figure {@code publish}, {@code delivery}, {@code success}, {@code p95}, {@code queue} or {@code dlq}
     * @return its chart of the last hour, from the samples the alert loop keeps ({@link
     *     com.idynic.eventbus.admin.FigureHistory}, in memory on this server)
     */
    public Sparkline chart(String figure) {
        if (charts == null) {
            var history = bus.monitoring().history();
            var samples = history.samples();
            var span = history.settings().span();
            var now = getFigures().at();
            charts = new java.util.HashMap<>();
            charts.put(
                    "publish",
                    Sparkline.of(
                            "publish",
                            "Publish rate, last hour",
                            samples,
                            now,
                            span,
                            x -> x.publishRate(),
                            OverviewView::rate,
                            null,
                            0,
                            null));
            charts.put(
                    "delivery",
                    Sparkline.of(
                            "delivery",
                            "Delivery rate, last hour",
                            samples,
                            now,
                            span,
                            x -> x.deliveryRate(),
                            OverviewView::rate,
                            null,
                            0,
                            null));
            charts.put(
                    "success",
                    Sparkline.of(
                            "success",
                            "Delivery success rate, last hour",
                            samples,
                            now,
                            span,
                            x -> x.successRate() == null ? null : x.successRate() * 100,
                            v -> String.format(java.util.Locale.ROOT, "%.1f %%", v),
                            99.9,
                            99,
                            100.0));
            charts.put(
                    "p95",
                    Sparkline.of(
                            "p95",
                            "Processing time p95, last hour",
                            samples,
                            now,
                            span,
                            x -> x.p95Millis() == null ? null : x.p95Millis().doubleValue(),
                            v -> String.format(java.util.Locale.ROOT, "%.0f ms", v),
                            500.0,
                            0,
                            null));
            charts.put(
                    "queue",
                    Sparkline.of(
                            "queue",
                            "Queue depth, last hour",
                            samples,
                            now,
                            span,
                            x -> (double) x.queueDepth(),
                            v -> String.format(java.util.Locale.ROOT, "%.0f", v),
                            10_000.0,
                            0,
                            null));
            charts.put(
                    "dlq",
                    Sparkline.of(
                            "dlq",
                            "Dead-letter queue size, last hour",
                            samples,
                            now,
                            span,
                            x -> (double) x.deadLetters(),
                            v -> String.format(java.util.Locale.ROOT, "%.0f", v),
                            100.0,
                            0,
                            null));
        }
        return charts.get(figure);
    }

    /** @return the sample interval of the charts, in seconds */
    public long getSampleSeconds() {
        return bus.monitoring().history().settings().every().toSeconds();
    }

    /** @return the delivery success rate in the window as a percentage with two decimals, or "–" */
    public String getSuccessRate() {
        Double r = getFigures().total().successRate();
        return r == null ? "–" : String.format(java.util.Locale.ROOT, "%.2f %%", r * 100);
    }

    /** @return whether the success rate is below the seed's 99.9 % */
    public boolean isSuccessLow() {
        Double r = getFigures().total().successRate();
        return r != null && r < 0.999;
    }

    /** @return publish-to-acknowledgement p95 in the window, in milliseconds, or "–" */
    public String getP95() {
        return millis(getFigures().total().p95()) + " ms";
    }

    /** @return whether p95 processing time is above the seed's 500 ms */
    public boolean isP95Slow() {
        Duration p95 = getFigures().total().p95();
        return p95 != null && p95.toMillis() > 500;
    }

    /** @return publish-to-acknowledgement p50 / p95 / p99 in the window, in milliseconds */
    public String getProcessingTime() {
        var t = getFigures().total();
        return millis(t.p50()) + " / " + millis(t.p95()) + " / " + millis(t.p99()) + " ms";
    }

    /** @return whether p99 processing time is above the seed's 500 ms */
    public boolean isProcessingSlow() {
        Duration p99 = getFigures().total().p99();
        return p99 != null && p99.toMillis() > 500;
    }

    /** @return seconds, for the flow figures */
    public String seconds(Duration d) {
        return d == null ? "–" : String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    /** @return whether the relay has not moved for {@link #HALTED_AFTER} while events wait for it */
    public boolean isRelayHalted() {
        var p = getFigures().pipeline();
        return p.outboxBacklog() > 0
                && p.sinceRelayProgress() != null
                && p.sinceRelayProgress().compareTo(HALTED_AFTER) > 0;
    }

    /** @return whether the dispatcher has not moved for {@link #HALTED_AFTER} while records wait in Kafka */
    public boolean isDispatchHalted() {
        var p = getFigures().pipeline();
        return (p.dispatchLag() == null || p.dispatchLag() > 0)
                && p.sinceDispatchProgress() != null
                && p.sinceDispatchProgress().compareTo(HALTED_AFTER) > 0;
    }

    private static String millis(Duration d) {
        return d == null ? "–" : String.valueOf(d.toMillis());
    }

    private List<Queue> queues;

    private List<Subscription> subscriptions() {
        if (subscriptions == null) {
            subscriptions = bus.subscriptions().list(operator.account());
        }
        return subscriptions;
    }

    /** @return the number of subscriptions per state ({@code active}, {@code paused}, {@code disabled}) */
    public Map<String, Integer> getStates() {
        Map<String, Integer> m = new TreeMap<>();
        subscriptions().forEach(s -> m.merge(s.state(), 1, Integer::sum));
        return m;
    }

    /** @return the subscriptions' number */
    public int getSubscriptionCount() {
        return subscriptions().size();
    }

    /** @return every subscription whose dead-letter queue is not empty, with its size */
    public List<Queue> getQueues() {
        if (queues == null) {
            queues = new ArrayList<>();
            for (Subscription s : subscriptions()) {
                DeadLetters.Page p = bus.deadLetters().list(operator.account(), s.id(), null, null, 0, 1);
                if (p.count() > 0) {
                    queues.add(new Queue(s.id(), p.count()));
                }
            }
        }
        return queues;
    }

    /** @return dead letters in all queues */
    public long getDeadLetterTotal() {
        return getQueues().stream().mapToLong(Queue::deadLetters).sum();
    }

    /** @return the firing alert rules (the service method of {@code GET /v1/alerts}) */
    public List<com.idynic.eventbus.admin.Alert> getActiveAlerts() {
        if (activeAlerts == null) {
            activeAlerts = bus.alertRules().active();
        }
        return activeAlerts;
    }

    private List<com.idynic.eventbus.admin.Alert> activeAlerts;
}
