package com.idynic.eventbus.runtime;

import com.idynic.eventbus.broker.Backpressure;
import com.idynic.eventbus.broker.RetentionManager;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/**
 * The bus's own MicroProfile metrics (application scope, served at {@code /metrics} in Prometheus
 * format with an {@code eventbus_} prefix).
 */
@ApplicationScoped
public class BusMetrics {
    private static final Metadata RETENTION_REMOVED = Metadata.builder()
            .withName("eventbus.retention.removed")
            .withDescription("Events removed by retention, per event type (default: types under the global default)")
            .build();

    private static final Metadata PUBLISH_REFUSED = Metadata.builder()
            .withName("eventbus.publish.refused")
            .withDescription("Publish requests refused with 429, by reason (rate_limited, overloaded)")
            .build();

    private static final Metadata RELAY_REFUSED = Metadata.builder()
            .withName("eventbus.relay.refused")
            .withDescription("Events Kafka refused for good (a record larger than the topic accepts), moved from the"
                    + " outbox to eb_outbox_refused instead of being retried")
            .build();

    /** Every reason {@link #refused} is called with; each is served from the start, at zero. */
    static final java.util.List<String> REFUSAL_REASONS = java.util.List.of("rate_limited", "overloaded");

    @Inject
    MetricRegistry registry;

    @Inject
    Backpressure backpressure;

    /** Registers the gauges, and the refusal counters at zero (called once at start-up). */
    void registerGauges() {
        REFUSAL_REASONS.forEach(reason -> registry.counter(PUBLISH_REFUSED, new Tag("reason", reason)));
        registry.counter(RELAY_REFUSED);
        registry.gauge(
                Metadata.builder()
                        .withName("eventbus.outbox.backlog")
                        .withDescription("Events accepted but not yet relayed to Kafka (queue_depth)")
                        .build(),
                backpressure,
                b -> {
                    try {
                        return b.backlog();
                    } catch (RuntimeException e) {
                        return -1L;
                    }
                });
        registry.gauge(
                Metadata.builder()
                        .withName("eventbus.relay.lag.seconds")
                        .withDescription("How long the oldest event not yet in Kafka has waited")
                        .build(),
                backpressure,
                b -> {
                    try {
                        return b.lagMillis() / 1000.0;
                    } catch (RuntimeException e) {
                        return -1.0;
                    }
                });
        registry.gauge(
                Metadata.builder()
                        .withName("eventbus.outbox.backlog.threshold")
                        .withDescription("Backlog at which publish answers 429 OVERLOADED")
                        .build(),
                backpressure,
                Backpressure::threshold);
    }

    /** Counts a publish refused by backpressure: {@code reason} is one of {@link #REFUSAL_REASONS}. */
    void refused(String reason) {
        registry.counter(PUBLISH_REFUSED, new Tag("reason", reason)).inc();
    }

    /** Counts an event the relay set aside because Kafka refused it for good. */
    void relayRefused() {
        registry.counter(RELAY_REFUSED).inc();
    }

    /** Counts what one retention run removed. */
    void retentionRun(RetentionManager.Report report) {
        report.removed().forEach((type, n) -> {
            var counter =
                    registry.counter(RETENTION_REMOVED, new Tag("event_type", "*".equals(type) ? "default" : type));
            if (n > 0) {
                counter.inc(n);
            }
        });
    }
}
