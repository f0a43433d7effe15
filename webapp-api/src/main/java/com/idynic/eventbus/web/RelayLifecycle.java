package com.idynic.eventbus.web;

import com.idynic.eventbus.broker.Loops;
import com.idynic.eventbus.broker.OutboxRelay;
import com.idynic.eventbus.broker.RelayWorker;
import com.idynic.eventbus.broker.RetentionManager;
import com.idynic.eventbus.broker.Signal;
import com.idynic.eventbus.broker.SupervisedLoop;
import com.idynic.eventbus.broker.kafka.KafkaRecordSize;
import com.idynic.eventbus.broker.kafka.KafkaTopics;
import com.idynic.eventbus.schema.SchemaRegistry;
import com.idynic.eventbus.schema.SeedSchemas;
import com.idynic.eventbus.security.ConfiguredServices;
import com.idynic.eventbus.storage.Database;
import com.idynic.eventbus.subscribers.Replays;
import com.idynic.eventbus.subscribers.delivery.WebhookDelivery;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Starts the bus on a managed thread: migrates the schema, makes sure the events topic exists (each
 * retried while its dependency is down) and then runs the relay until the application stops; runs the
 * webhook, replay and retention loops on managed threads of their own. Every one of these loops is
 * supervised ({@link Loops}): whatever ends it, an {@link Error} included, is logged and the loop is
 * restarted with backoff; the start-up steps are part of the relay's loop, so they are retried too.
 */
@ApplicationScoped
public class RelayLifecycle {
    private static final Logger LOG = Logger.getLogger(RelayLifecycle.class.getName());

    @Inject
    Database database;

    @Inject
    OutboxRelay relay;

    @Inject
    KafkaTopics topics;

    @Inject
    KafkaRecordSize recordSize;

    @Inject
    WebhookDelivery webhooks;

    @Inject
    Replays replays;

    @Inject
    @RelayWake
    Signal relayWake;

    @Resource(lookup = "java:comp/DefaultManagedThreadFactory")
    ManagedThreadFactory threads;

    @Inject
    @ConfigProperty(name = "eventbus.kafka.topic")
    String topic;

    @Inject
    @ConfigProperty(name = "eventbus.kafka.partitions")
    int partitions;

    @Inject
    @ConfigProperty(name = "eventbus.kafka.replication-factor")
    short replication;

    @Inject
    @ConfigProperty(name = "eventbus.relay.poll-interval")
    Duration pollInterval;

    @Inject
    RetentionManager retention;

    @Inject
    BusMetrics metrics;

    @Inject
    ConfiguredServices configured;

    @Inject
    @ConfigProperty(name = "eventbus.auth.admin-key")
    Optional<String> adminKey;

    @Inject
    @ConfigProperty(name = "eventbus.auth.client-key")
    Optional<String> clientKey;

    @Inject
    @ConfigProperty(name = "eventbus.auth.client-service")
    String clientService;

    @Inject
    SchemaRegistry schemas;

    @Inject
    Loops loops;

    private volatile SupervisedLoop relayLoop;
    private volatile List<SupervisedLoop> workers = List.of();
    private volatile boolean prepared;
    private volatile RelayWorker worker;

    void start(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        RelayWorker worker = new RelayWorker(relay, relayWake, pollInterval, this::relayProgressed);
        this.worker = worker;
        workers = List.of(
                loops.supervise("webhooks", webhooks, webhooks::stop),
                loops.supervise("replays", replays, replays::stop),
                loops.supervise("retention", retention, retention::stop));
        relayLoop = loops.supervise(
                "relay",
                () -> {
                    prepareOnce();
                    retry(
                            "Kafka not reachable yet, events wait in the outbox",
                            () -> topics.ensure(topic, partitions, replication, recordSize));
                    worker.run();
                },
                worker::stop,
                this::outboxBacklog);
        relayLoop.start(threads);
        LOG.info("eventbus relay started: topic " + topic + ", " + partitions + " partitions");
    }

    /**
     * Migrates, seeds, bootstraps the configured services and starts the other loops; every step is idempotent,
     * so a restart may repeat them.
     */
    private void prepareOnce() {
        if (prepared) {
            return;
        }
        retry("PostgreSQL not reachable yet, schema not migrated", database::migrate);
        retry("could not create the event store's time partitions", retention::preparePartitions);
        retry("could not register the example schemas", () -> SeedSchemas.register(schemas));
        metrics.registerGauges();
        bootstrap("eventbus.auth.admin-key", adminKey, configured::admin);
        bootstrap("eventbus.auth.client-key", clientKey, k -> configured.subscriber(clientService, k));
        workers.forEach(w -> w.start(threads));
        prepared = true;
    }

    /** Stores the service a key setting names, when the key is set; a key that cannot be used is logged. */
    private void bootstrap(String setting, Optional<String> key, Function<String, Optional<String>> store) {
        key.filter(k -> !k.isBlank())
                .ifPresent(k -> retry("could not store the service of " + setting, () -> store.apply(k)
                        .ifPresent(problem -> LOG.severe(setting + " ignored: " + problem))));
    }

    private void relayProgressed() {
        SupervisedLoop l = relayLoop;
        if (l != null) {
            l.progressed();
        }
    }

    /**
     * @return the outbox backlog the relay last saw, empty before its first look: from memory, so liveness
     *     never waits for PostgreSQL (a probe that did would time out, and restart servers, in a database outage)
     */
    private OptionalLong outboxBacklog() {
        return worker == null ? OptionalLong.empty() : worker.backlogSeen();
    }

    /** Runs the step until it succeeds; each failed attempt counts as the relay's progress (it is retrying). */
    private void retry(String warning, Runnable step) {
        long backoff = 500;
        while (!Thread.currentThread().isInterrupted()) {
            try {
                step.run();
                return;
            } catch (RuntimeException e) {
                relayProgressed();
                LOG.warning(warning + ": " + e.getMessage());
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
                backoff = Math.min(backoff * 2, 10_000);
            }
        }
    }

    @PreDestroy
    void stop() {
        SupervisedLoop r = relayLoop;
        if (r != null) {
            r.stop();
        }
        workers.forEach(SupervisedLoop::stop);
    }
}
