package com.idynic.eventbus.web;

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
