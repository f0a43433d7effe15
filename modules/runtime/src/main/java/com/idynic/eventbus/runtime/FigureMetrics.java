package com.idynic.eventbus.runtime;

import com.idynic.eventbus.admin.DeliveryFigures;
import com.idynic.eventbus.admin.Monitoring;
import com.idynic.eventbus.admin.Overview;
import com.idynic.eventbus.admin.PipelineFigures;
import com.idynic.eventbus.admin.SubscriptionFigures;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricID;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/**
 * The operator figures ({@link Monitoring}) as gauges: the seed's {@code event_delivery_success_rate}, {@code
 * queue_depth} and {@code dead_letter_queue_size} per subscription (label {@code subscription}) and for the whole bus
 * ({@code subscription="_all"}, a value no subscription id can take), each webhook's circuit on this server, and the
 * pipeline's progress. Every gauge reads the figures Monitoring keeps for a few seconds, so a scrape costs at most
 * one read of PostgreSQL's indexes; the per-subscription gauges follow the subscriptions at each new reading.
 */
@ApplicationScoped
public class FigureMetrics {
    /** The {@code subscription} label of the whole bus's figures. */
    static final String ALL = "_all";

    static final Metadata SUCCESS_RATE = Metadata.builder()
            .withName("event.delivery.success.rate")
            .withDescription("Delivery attempts succeeded / attempts finished over the monitoring window, 0 to 1"
                    + " (0.999 is 99.9 %); NaN without attempts in the window")
            .build();

    static final Metadata QUEUE_DEPTH = Metadata.builder()
            .withName("queue.depth")
            .withDescription("Events owed to subscribers now: pending, waiting for a retry, or in flight")
            .build();

    static final Metadata DEAD_LETTERS = Metadata.builder()
            .withName("dead.letter.queue.size")
            .withDescription("Events in the dead-letter queue now (dead letters and events parked behind them)")
            .build();

    static final Metadata CIRCUIT = Metadata.builder()
            .withName("eventbus.webhook.circuit.state")
            .withDescription("A webhook subscription's circuit on this server: 0 closed, 1 half-open, 2 open")
            .build();

    private static final List<Metadata> PER_SUBSCRIPTION = List.of(SUCCESS_RATE, QUEUE_DEPTH, DEAD_LETTERS);

    @Inject
    MetricRegistry registry;

    @Inject
    Monitoring monitoring;

    @Inject
    BusMetrics bus;

    private final Set<String> tracked = new HashSet<>();
    private final Set<String> circuits = new HashSet<>();

    /** Registers the whole bus's gauges and the pipeline's (called once at start-up). */
    void register() {
        gauges(ALL, Overview::total);
        pipeline(
                "eventbus.relay.progress.age.seconds",
                "Time since the relay last finished a pass; a relay stuck inside a pass shows here (-1 before it ran)",
                p -> seconds(p.sinceRelayProgress()));
        pipeline(
                "eventbus.dispatch.progress.age.seconds",
                "Time since the dispatcher last handled or retried a record, or had none waiting (-1 before the first probe)",
                p -> seconds(p.sinceDispatchProgress()));
        pipeline(
                "eventbus.dispatch.lag",
                "Records waiting in Kafka for the dispatcher, asked every alert interval (-1 while Kafka does not answer)",
                p -> p.dispatchLag() == null ? -1.0 : p.dispatchLag());
    }

    /** Follows the subscriptions of a new reading: gauges for new ones, none for deleted ones. */
    synchronized void track(Overview o) {
        Set<String> now = new HashSet<>();
        for (SubscriptionFigures s : o.subscriptions()) {
            String id = s.subscriptionId();
            now.add(id);
            if (tracked.add(id)) {
                gauges(id, v -> v.subscription(id)
                        .map(SubscriptionFigures::figures)
                        .orElse(null));
                bus.retries(id);
            }
            if (s.circuit() != null && circuits.add(id)) {
                registry.gauge(CIRCUIT, this, m -> m.circuit(id), new Tag("subscription", id));
            }
        }
        for (String gone : Set.copyOf(tracked)) {
            if (!now.contains(gone)) {
                tracked.remove(gone);
                circuits.remove(gone);
                Tag tag = new Tag("subscription", gone);
                PER_SUBSCRIPTION.forEach(m -> registry.remove(new MetricID(m.getName(), tag)));
                registry.remove(new MetricID(CIRCUIT.getName(), tag));
                bus.forget(gone);
            }
        }
    }

    private void gauges(String subscription, Function<Overview, DeliveryFigures> of) {
        Tag tag = new Tag("subscription", subscription);
        registry.gauge(SUCCESS_RATE, this, m -> m.figure(of, f -> f.successRate()), tag);
        registry.gauge(QUEUE_DEPTH, this, m -> m.figure(of, f -> (double) f.queueDepth()), tag);
        registry.gauge(DEAD_LETTERS, this, m -> m.figure(of, f -> (double) f.deadLetters()), tag);
    }

    private void pipeline(String name, String description, Function<PipelineFigures, Double> value) {
        registry.gauge(
                Metadata.builder().withName(name).withDescription(description).build(),
                this,
                m -> m.overview().map(o -> value.apply(o.pipeline())).orElse(Double.NaN));
    }

    /** @return the figure, NaN when it has none or the figures cannot be read */
    private double figure(Function<Overview, DeliveryFigures> of, Function<DeliveryFigures, Double> value) {
        Double v = overview().map(of).map(value).orElse(null);
        return v == null ? Double.NaN : v;
    }

    private double circuit(String subscriptionId) {
        return overview()
                .flatMap(o -> o.subscription(subscriptionId))
                .map(SubscriptionFigures::circuit)
                .map(c -> switch (c) {
                    case "closed" -> 0.0;
                    case "half-open" -> 1.0;
                    default -> 2.0;
                })
                .orElse(Double.NaN);
    }

    private Optional<Overview> overview() {
        try {
            return Optional.of(monitoring.overview());
        } catch (RuntimeException storeDown) {
            return Optional.empty();
        }
    }

    private static double seconds(Duration d) {
        return d == null ? -1.0 : d.toMillis() / 1000.0;
    }
}
