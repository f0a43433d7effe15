package com.idynic.eventbus.admin;

import java.time.Duration;
import java.util.Arrays;
import java.util.function.Function;

/**
 * What an alert rule watches: one of the operator's figures ({@link Overview}), per subscription or for the whole
 * bus. Each has an id (its name in the API), a unit for thresholds, and says whether it exists per subscription.
 *
 * @since 0.19.0
 */
public enum AlertMetric {
    /** Attempts succeeded / attempts finished over the window, in percent (99.9 means 99.9 %). */
    DELIVERY_SUCCESS_RATE("delivery_success_rate", "%", f -> percent(f.successRate())),
    /** Median time from publish to acknowledgement over the window, in milliseconds. */
    PROCESSING_TIME_P50("processing_time_p50", "ms", f -> millis(f.p50())),
    /** 95th percentile of the same, in milliseconds. */
    PROCESSING_TIME_P95("processing_time_p95", "ms", f -> millis(f.p95())),
    /** 99th percentile of the same, in milliseconds. */
    PROCESSING_TIME_P99("processing_time_p99", "ms", f -> millis(f.p99())),
    /** Events owed now: pending, waiting for a retry, or in flight. */
    QUEUE_DEPTH("queue_depth", "", f -> (double) f.queueDepth()),
    /** Events in the dead-letter queue now. */
    DEAD_LETTER_QUEUE_SIZE("dead_letter_queue_size", "", f -> (double) f.deadLetters()),
    /** Events accepted but not yet relayed to Kafka (whole bus only). */
    OUTBOX_BACKLOG("outbox_backlog", "", null),
    /** How long the oldest event not yet in Kafka has waited, in seconds (whole bus only). */
    RELAY_LAG("relay_lag_seconds", "s", null);

    private final String id;
    private final String unit;
    private final Function<DeliveryFigures, Double> ofDeliveries;

    AlertMetric(String id, String unit, Function<DeliveryFigures, Double> ofDeliveries) {
        this.id = id;
        this.unit = unit;
        this.ofDeliveries = ofDeliveries;
    }

    /** @return the name in the API, e.g. {@code dead_letter_queue_size} */
    public String id() {
        return id;
    }

    /** @return the unit of values and thresholds: {@code %}, {@code ms}, {@code s} or empty for counts */
    public String unit() {
        return unit;
    }

    /** @return whether a rule may watch one subscription's value (else only the whole bus's) */
    public boolean perSubscription() {
        return ofDeliveries != null;
    }

    /** @return the metric with this API name, or null */
    public static AlertMetric of(String id) {
        return Arrays.stream(values()).filter(m -> m.id.equals(id)).findFirst().orElse(null);
    }

    /**
     * @param o the figures
     * @param subscription the subscription watched, or null for the whole bus
     * @return the value, or null when there is none: no attempt or delivery in the window, or no such subscription
     */
    public Double valueIn(Overview o, String subscription) {
        if (this == OUTBOX_BACKLOG) {
            return (double) o.pipeline().outboxBacklog();
        }
        if (this == RELAY_LAG) {
            return o.pipeline().relayLag().toMillis() / 1000.0;
        }
        if (subscription == null) {
            return ofDeliveries.apply(o.total());
        }
        return o.subscription(subscription)
                .map(s -> ofDeliveries.apply(s.figures()))
                .orElse(null);
    }

    private static Double percent(Double ratio) {
        return ratio == null ? null : ratio * 100;
    }

    private static Double millis(Duration d) {
        return d == null ? null : d.toNanos() / 1_000_000.0;
    }
}
