package com.idynic.eventbus.web;

import com.idynic.eventbus.broker.Loops;
import com.idynic.eventbus.broker.OutboxRelay;
import com.idynic.eventbus.broker.kafka.KafkaTopics;
import com.idynic.eventbus.storage.Database;
import com.idynic.eventbus.subscribers.SubscriptionRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;
import org.eclipse.microprofile.health.Startup;

/** MicroProfile Health: liveness, startup and readiness with PostgreSQL and Kafka state. */
public final class HealthChecks {
    private HealthChecks() {}

    /** The JVM and the application are running. */
    @Liveness
    @ApplicationScoped
    public static class Live implements HealthCheck {
        @Override
        public HealthCheckResponse call() {
            return HealthCheckResponse.up("eventbus");
        }
    }

    /**
     * The dispatcher is not stuck: records waiting in Kafka for its consumer group are being handled. DOWN
     * after a Kafka outage ended the Reactive Messaging channel (a restart brings it back, from the
     * committed offset).
     */
    @Liveness
    @ApplicationScoped
    public static class Dispatch implements HealthCheck {
        @Inject
        com.idynic.eventbus.broker.DispatchWatch watch;

        @Override
        public HealthCheckResponse call() {
            com.idynic.eventbus.broker.DispatchWatch.Status s = watch.check();
            var b = HealthCheckResponse.named("dispatcher")
                    .status(!s.stalled())
                    .withData("millisSinceProgress", s.sinceLastProgress().toMillis());
            s.consumerLag().ifPresent(l -> b.withData("consumerLag", l));
            return b.build();
        }
    }

    /**
     * Every background loop by name (publish writers, relay, dispatch, webhooks, replays, retention) with
     * its state; DOWN, with the names under {@code down}, when a loop's thread ended, a loop has been
     * failing (restarted with backoff) for longer than {@code eventbus.supervision.down-after}, or the relay
     * has an outbox backlog and made no progress for {@code eventbus.supervision.stall-after}.
     */
    @Liveness
    @ApplicationScoped
    public static class BackgroundLoops implements HealthCheck {
        @Inject
        Loops loops;

        @Override
        public HealthCheckResponse call() {
            List<Loops.Check> checks = loops.check();
            List<String> down = checks.stream()
                    .filter(Loops.Check::down)
                    .map(c -> c.loop().name())
                    .toList();
            var b = HealthCheckResponse.named("loops").status(down.isEmpty());
            checks.forEach(c -> b.withData(c.loop().name(), c.summary()));
            if (!down.isEmpty()) {
                b.withData("down", String.join(", ", down));
            }
            return b.build();
        }
    }

    /** The application finished starting (schema migrated). */
    @Startup
    @ApplicationScoped
    public static class Started implements HealthCheck {
        @Inject
        Database db;

        @Override
        public HealthCheckResponse call() {
            return HealthCheckResponse.named("eventbus-started")
                    .status(db.migrated())
                    .build();
        }
    }

    /**
     * PostgreSQL answers (publishing needs it). Its durability settings ({@code fsync}, {@code synchronousCommit})
     * are reported, not judged: the test stack turns them off on purpose.
     */
    @Readiness
    @ApplicationScoped
    public static class Postgres implements HealthCheck {
        @Inject
        Database db;

        @Inject
        OutboxRelay relay;

        @Override
        public HealthCheckResponse call() {
            try {
                db.ping();
                if (!db.migrated()) {
                    return HealthCheckResponse.named("postgresql")
                            .down()
                            .withData("reason", "schema migration not finished")
                            .build();
                }
                return HealthCheckResponse.named("postgresql")
                        .up()
                        .withData("outboxBacklog", relay.backlog())
                        .withData("fsync", db.setting("fsync"))
                        .withData("synchronousCommit", db.setting("synchronous_commit"))
                        .build();
            } catch (RuntimeException e) {
                return HealthCheckResponse.named("postgresql")
                        .down()
                        .withData("reason", String.valueOf(e.getMessage()))
                        .build();
            }
        }
    }

    /** Redis answers (the shared subscription cache; delivery goes on from PostgreSQL while it is down). */
    @Readiness
    @ApplicationScoped
    public static class Redis implements HealthCheck {
        @Inject
        SubscriptionRegistry registry;

        @Override
        public HealthCheckResponse call() {
            try {
                return HealthCheckResponse.named("redis")
                        .up()
                        .withData("cache", registry.cacheStatus())
                        .build();
            } catch (RuntimeException e) {
                return HealthCheckResponse.named("redis")
                        .down()
                        .withData("reason", String.valueOf(e.getMessage()))
                        .build();
            }
        }
    }

    /** Kafka answers (delivery needs it; publishing keeps working into the outbox while it is down). */
    @Readiness
    @ApplicationScoped
    public static class Kafka implements HealthCheck {
        @Inject
        KafkaTopics topics;

        @Override
        public HealthCheckResponse call() {
            try {
                return HealthCheckResponse.named("kafka")
                        .up()
                        .withData("clusterId", topics.clusterId())
                        .build();
            } catch (RuntimeException e) {
                return HealthCheckResponse.named("kafka")
                        .down()
                        .withData("reason", String.valueOf(e.getMessage()))
                        .build();
            }
        }
    }

    /**
     * Publish backpressure: UP while publish is accepted; the backlog, its threshold and whether rate
     * limits are shared (Redis) or per server are in the data. Overload is reported, not made DOWN: the
     * server still serves reads, deliveries and the console.
     */
    @Readiness
    @ApplicationScoped
    public static class Backpressure implements HealthCheck {
        @Inject
        com.idynic.eventbus.broker.Backpressure backpressure;

        @Inject
        com.idynic.eventbus.security.RateLimiter rateLimiter;

        @Override
        public HealthCheckResponse call() {
            try {
                long backlog = backpressure.backlog();
                return HealthCheckResponse.named("backpressure")
                        .up()
                        .withData("outboxBacklog", backlog)
                        .withData("outboxThreshold", backpressure.threshold())
                        .withData("relayLagMillis", backpressure.lagMillis())
                        .withData("maxRelayLagMillis", backpressure.maxLag().toMillis())
                        .withData("publishRefused", backpressure.overloaded())
                        .withData("flowThreshold", backpressure.flow().threshold())
                        .withData("publishesHeld", backpressure.held())
                        .withData("publishesHeldTotal", backpressure.heldTotal())
                        .withData("rateLimits", rateLimiter.degraded() ? "per-server" : "shared")
                        .build();
            } catch (RuntimeException e) {
                return HealthCheckResponse.named("backpressure")
                        .up()
                        .withData("reason", String.valueOf(e.getMessage()))
                        .build();
            }
        }
    }
}
