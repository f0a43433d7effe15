package com.idynic.eventbus.runtime;

import com.idynic.eventbus.api.EventEnvelope;
import com.idynic.eventbus.broker.Backpressure;
import com.idynic.eventbus.broker.Decision;
import com.idynic.eventbus.broker.DeliverySettled;
import com.idynic.eventbus.broker.RetentionManager;
import com.idynic.eventbus.schema.SchemaRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/**
 * The bus's own counters and timers (application scope, served at {@code /metrics} in Prometheus format): refusals,
 * publishes by type, retries, processing time, and the outbox gauges. The operator figures read from PostgreSQL
 * ({@code queue_depth} and the others) are {@link FigureMetrics}.
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

    private static final Metadata PUBLISHED = Metadata.builder()
            .withName("eventbus.events.published")
            .withDescription("Events accepted over HTTP by this server (repeats not counted), by event type: a type"
                    + " without a registered schema counts as 'unregistered'")
            .build();

    private static final Metadata PROCESSING_TIME = Metadata.builder()
            .withName("event.processing.time")
            .withDescription("Time from the bus accepting an event to the subscriber acknowledging it (webhook 2xx,"
                    + " pull ack), observed on this server when the delivery is settled; replays are not counted")
            .build();

    private static final Metadata RETRIES = Metadata.builder()
            .withName("eventbus.delivery.retries")
            .withDescription("Failed delivery attempts that will be retried, by subscription (settled on this server)")
            .build();

    /** The label value of a type that has no registered schema (keeps the label's values bounded). */
    static final String UNREGISTERED = "unregistered";

    /** Every reason {@link #refused} is called with; each is served from the start, at zero. */
    static final java.util.List<String> REFUSAL_REASONS = java.util.List.of("rate_limited", "overloaded");

    @Inject
    MetricRegistry registry;

    @Inject
    Backpressure backpressure;

    @Inject
    SchemaRegistry schemas;

    /** Registers the gauges, and the refusal counters at zero (called once at start-up). */
    void registerGauges() {
        REFUSAL_REASONS.forEach(reason -> registry.counter(PUBLISH_REFUSED, new Tag("reason", reason)));
        registry.counter(RELAY_REFUSED);
        // served at zero from the start, not only after the first run that removed something
        registry.counter(RETENTION_REMOVED, new Tag("event_type", "default"));
        registry.timer(PROCESSING_TIME);
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
        registry.gauge(
                Metadata.builder()
                        .withName("eventbus.publish.held")
                        .withDescription("Publishes held now on this server, before their body is read, while the"
                                + " outbox backlog is at or above the flow threshold")
                        .build(),
                backpressure,
                Backpressure::held);
    }

    /** Counts a publish refused by backpressure: {@code reason} is one of {@link #REFUSAL_REASONS}. */
    void refused(String reason) {
        registry.counter(PUBLISH_REFUSED, new Tag("reason", reason)).inc();
    }

    /** Counts an event the relay set aside because Kafka refused it for good. */
    void relayRefused() {
        registry.counter(RELAY_REFUSED).inc();
    }

    /** Counts an event stored by a publish over HTTP, by its type (registered types only; others as one). */
    void published(EventEnvelope e) {
        try {
            String type = schemas.registered(e.eventType()) ? e.eventType() : UNREGISTERED;
            registry.counter(PUBLISHED, new Tag("event_type", type)).inc();
        } catch (RuntimeException schemasUnavailable) {
            registry.counter(PUBLISHED, new Tag("event_type", UNREGISTERED)).inc();
        }
    }

    /** Observes a settled delivery: processing time of a live delivery, or a retry. */
    void settled(DeliverySettled s) {
        if (s.outcome() == Decision.Kind.DELIVERED && !s.replay()) {
            registry.timer(PROCESSING_TIME).update(s.sincePublish());
        } else if (s.outcome() == Decision.Kind.RETRY) {
            retries(s.subscriptionId()).inc();
        }
    }

    /** @return the retry counter of a subscription (created at zero, so a rate query works before the first) */
    org.eclipse.microprofile.metrics.Counter retries(String subscriptionId) {
        return registry.counter(RETRIES, new Tag("subscription", subscriptionId));
    }

    /** Forgets the retry counter of a deleted subscription. */
    void forget(String subscriptionId) {
        registry.remove(new org.eclipse.microprofile.metrics.MetricID(
                RETRIES.getName(), new Tag("subscription", subscriptionId)));
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
