package com.idynic.eventbus.runtime;

import com.idynic.eventbus.admin.AlertRules;
import com.idynic.eventbus.broker.Backoff;
import com.idynic.eventbus.broker.RetentionManager;
import com.idynic.eventbus.schema.SchemaRegistry;
import com.idynic.eventbus.schema.SeedSchemas;
import com.idynic.eventbus.security.ConfiguredServices;
import com.idynic.eventbus.security.SecuritySettings;
import com.idynic.eventbus.storage.Database;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * The bus's start-up steps, in order: migrate the schema, create the event store's time partitions, register
 * the example schemas, register the metric gauges, store the default alert rules (once in the database's life) and
 * store the services {@code eventbus.auth.admin-key} and
 * {@code eventbus.auth.client-key} name. Every step is idempotent, so a restart may repeat them, and each is
 * retried while its dependency is down; once they all succeeded, {@link #prepare} does nothing. Run by the
 * relay's loop ({@link RelayLifecycle}) before the other loops start.
 */
@ApplicationScoped
public class BusStartup {
    private static final Logger LOG = Logger.getLogger(BusStartup.class.getName());
    /** Between attempts of a step: 500 ms, doubling up to 10 s. */
    private static final Backoff RETRY = Backoff.doubling(Duration.ofMillis(500), Duration.ofSeconds(10));

    @Inject
    Database database;

    @Inject
    RetentionManager retention;

    @Inject
    SchemaRegistry schemas;

    @Inject
    BusMetrics metrics;

    @Inject
    FigureMetrics figures;

    @Inject
    AlertRules alerts;

    @Inject
    ConfiguredServices configured;

    @Inject
    SecuritySettings settings;

    private volatile boolean prepared;

    /**
     * Runs the start-up steps, unless they all succeeded before.
     *
     * @param attemptFailed told after each failed attempt of a step (the caller is retrying, not stuck)
     */
    void prepare(Runnable attemptFailed) {
        if (prepared) {
            return;
        }
        retry("PostgreSQL not reachable yet, schema not migrated", database::migrate, attemptFailed);
        retry("could not create the event store's time partitions", retention::preparePartitions, attemptFailed);
        retry("could not register the example schemas", () -> SeedSchemas.register(schemas), attemptFailed);
        metrics.registerGauges();
        figures.register();
        retry("could not store the default alert rules", alerts::seedDefaults, attemptFailed);
        bootstrap("eventbus.auth.admin-key", settings.adminKey(), configured::admin, attemptFailed);
        bootstrap(
                "eventbus.auth.client-key",
                settings.clientKey(),
                k -> configured.subscriber(settings.clientService(), k),
                attemptFailed);
        prepared = true;
    }

    /** Stores the service a key setting names, when the key is set; a key that cannot be used is logged. */
    private void bootstrap(
            String setting, Optional<String> key, Function<String, Optional<String>> store, Runnable attemptFailed) {
        key.filter(k -> !k.isBlank())
                .ifPresent(k -> retry(
                        "could not store the service of " + setting,
                        () -> store.apply(k).ifPresent(problem -> LOG.severe(setting + " ignored: " + problem)),
                        attemptFailed));
    }

    /**
     * Runs the step until it succeeds (or the thread is interrupted), logging each failed attempt with the
     * warning and waiting 500 ms, doubling up to 10 s, before the next.
     */
    void retry(String warning, Runnable step, Runnable attemptFailed) {
        Duration backoff = RETRY.initial();
        while (!Thread.currentThread().isInterrupted()) {
            try {
                step.run();
                return;
            } catch (RuntimeException e) {
                attemptFailed.run();
                LOG.warning(warning + ": " + e.getMessage());
                try {
                    Thread.sleep(backoff.toMillis());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
                backoff = RETRY.next(backoff);
            }
        }
    }
}
