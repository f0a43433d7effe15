package com.idynic.eventbus.web;

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

    @Inject
    MetricRegistry registry;

    @Inject
    Backpressure backpressure;

    /** Registers the gauges (called once at start-up). */
    void registerGauges() {
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

    /** Counts a publish refused by backpressure. */
    void refused(String reason) {
        registry.counter(
                        Metadata.builder()
                                .withName("eventbus.publish.refused")
                                .withDescription(
                                        "Publish requests refused with 429, by reason (rate_limited, overloaded)")
                                .build(),
                        new Tag("reason", reason))
                .inc();
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
