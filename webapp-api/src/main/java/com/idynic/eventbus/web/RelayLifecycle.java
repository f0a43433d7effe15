package com.idynic.eventbus.web;

import com.idynic.eventbus.broker.OutboxRelay;
import com.idynic.eventbus.broker.RelayWorker;
import com.idynic.eventbus.broker.RetentionManager;
import com.idynic.eventbus.broker.Signal;
import com.idynic.eventbus.broker.kafka.KafkaTopics;
import com.idynic.eventbus.schema.SchemaRegistry;
import com.idynic.eventbus.schema.SeedSchemas;
import com.idynic.eventbus.security.Credentials;
import com.idynic.eventbus.security.Role;
import com.idynic.eventbus.security.ServiceAccount;
import com.idynic.eventbus.storage.Database;
import com.idynic.eventbus.subscribers.Replays;
import com.idynic.eventbus.subscribers.WebhookDelivery;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Starts the bus on a managed thread: migrates the schema, makes sure the events topic exists (each
 * retried while its dependency is down) and then runs the relay until the application stops; runs the
 * webhook delivery loop on another managed thread.
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
    WebhookDelivery webhooks;

    @Inject
    Replays replays;

    @Inject
    @Named("relayWake")
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
    ServiceDirectory services;

    @Inject
    Credentials credentials;

    @Inject
    @ConfigProperty(name = "eventbus.auth.admin-key")
    Optional<String> adminKey;

    @Inject
    SchemaRegistry schemas;

    private RelayWorker worker;

    void start(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        worker = new RelayWorker(relay, relayWake, pollInterval);
        Thread t = threads.newThread(() -> {
            try {
                startAll();
            } catch (Error e) {
                LOG.log(java.util.logging.Level.SEVERE, "the bus could not start its background work", e);
                throw e;
            }
        });
        t.setName("eventbus-relay");
        t.start();
        LOG.info("eventbus relay started: topic " + topic + ", " + partitions + " partitions");
    }

    private void startAll() {
        retry("PostgreSQL not reachable yet, schema not migrated", database::migrate);
        retry("could not create the event store's time partitions", retention::preparePartitions);
        retry("could not register the example schemas", () -> SeedSchemas.register(schemas));
        metrics.registerGauges();
        adminKey.filter(k -> !k.isBlank())
                .ifPresent(k -> retry("could not store the bootstrap admin key", () -> bootstrapAdmin(k)));
        Thread w = threads.newThread(webhooks);
        w.setName("eventbus-webhooks");
        w.start();
        Thread r = threads.newThread(replays);
        r.setName("eventbus-replays");
        r.start();
        Thread k = threads.newThread(retention);
        k.setName("eventbus-retention");
        k.start();
        retry(
                "Kafka not reachable yet, events wait in the outbox",
                () -> topics.ensure(topic, partitions, replication));
        worker.run();
    }

    /** The service {@code admin} with the configured key, so a new installation can issue the rest. */
    private void bootstrapAdmin(String key) {
        if (services.find("admin").isEmpty()) {
            services.save(new ServiceAccount(
                    "admin", Set.of(Role.ADMIN), List.of("*"), List.of("*"), List.of("*"), null, null));
        }
        if (!credentials.ensure("admin", key)) {
            LOG.severe("eventbus.auth.admin-key is not an API key (ebk_<16 hex>_<43 chars>); ignored");
        }
    }

    private static void retry(String warning, Runnable step) {
        long backoff = 500;
        while (!Thread.currentThread().isInterrupted()) {
            try {
                step.run();
                return;
            } catch (RuntimeException e) {
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
        if (worker != null) {
            worker.stop();
        }
        webhooks.stop();
        replays.stop();
        retention.stop();
    }
}
