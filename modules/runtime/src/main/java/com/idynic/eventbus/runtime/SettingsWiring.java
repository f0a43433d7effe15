package com.idynic.eventbus.runtime;

import com.idynic.eventbus.admin.AlertLoop;
import com.idynic.eventbus.admin.AlertNotifier;
import com.idynic.eventbus.admin.FigureHistory;
import com.idynic.eventbus.admin.Monitoring;
import com.idynic.eventbus.broker.Backpressure;
import com.idynic.eventbus.broker.HistoryMover;
import com.idynic.eventbus.broker.Loops;
import com.idynic.eventbus.broker.PublishSettings;
import com.idynic.eventbus.broker.PullSettings;
import com.idynic.eventbus.broker.RelaySettings;
import com.idynic.eventbus.broker.RetentionManager;
import com.idynic.eventbus.broker.kafka.KafkaSettings;
import com.idynic.eventbus.schema.SchemaSettings;
import com.idynic.eventbus.security.RateLimit;
import com.idynic.eventbus.security.SecuritySettings;
import com.idynic.eventbus.storage.RedisSettings;
import com.idynic.eventbus.subscribers.SubscriptionSettings;
import com.idynic.eventbus.subscribers.delivery.WebhookDelivery;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * The one place the bus reads MicroProfile Config: each module's settings record, made from its keys. The
 * defaults of every key are in the broker jar's {@code META-INF/microprofile-config.properties}; server.xml
 * variables and environment variables override them.
 */
@ApplicationScoped
public class SettingsWiring {
    @Inject
    Config config;

    @Produces
    @Singleton
    PublishSettings publish() {
        return new PublishSettings(
                integer("eventbus.publish.group-commit.writers"),
                integer("eventbus.publish.group-commit.max-batch"),
                integer("eventbus.publish.group-commit.queue"),
                duration("eventbus.publish.group-commit.max-wait"),
                duration("eventbus.publish.idempotency-window"),
                config.getValue("eventbus.overload.outbox-threshold", Long.class),
                duration("eventbus.overload.max-relay-lag"),
                duration("eventbus.overload.retry-after"),
                new Backpressure.Flow(
                        config.getValue("eventbus.overload.flow-threshold", Long.class),
                        duration("eventbus.overload.flow-max-hold"),
                        integer("eventbus.overload.flow-max-held")));
    }

    @Produces
    @Singleton
    BodyLimits bodyLimits() {
        return new BodyLimits(
                config.getValue("eventbus.publish.max-body-bytes", Long.class),
                config.getValue("eventbus.publish.max-batch-bytes", Long.class),
                integer("eventbus.publish.max-batch-events"),
                config.getValue("eventbus.http.body-budget-bytes", Long.class));
    }

    @Produces
    @Singleton
    SchemaSettings schemas() {
        return new SchemaSettings(string("eventbus.schemas.unregistered"));
    }

    @Produces
    @Singleton
    RelaySettings relay() {
        return new RelaySettings(
                integer("eventbus.relay.batch-size"),
                config.getValue("eventbus.relay.batch-bytes", Long.class),
                duration("eventbus.relay.poll-interval"),
                integer("eventbus.relay.threads"));
    }

    @Produces
    @Singleton
    KafkaSettings kafka() {
        return new KafkaSettings(
                string("eventbus.kafka.bootstrap"),
                string("eventbus.kafka.topic"),
                integer("eventbus.kafka.partitions"),
                config.getValue("eventbus.kafka.replication-factor", Short.class),
                duration("eventbus.kafka.delivery-timeout"),
                string("eventbus.dispatch.group-id"),
                integer("eventbus.dispatch.batch"),
                duration("eventbus.dispatch.stall-after"));
    }

    @Produces
    @Singleton
    Loops.Settings supervision() {
        return new Loops.Settings(
                duration("eventbus.supervision.min-backoff"),
                duration("eventbus.supervision.max-backoff"),
                duration("eventbus.supervision.healthy-run"),
                duration("eventbus.supervision.down-after"),
                duration("eventbus.supervision.stall-after"));
    }

    @Produces
    @Singleton
    RetentionManager.Settings retention() {
        return new RetentionManager.Settings(
                duration("eventbus.retention.default-max-age"),
                duration("eventbus.retention.interval"),
                integer("eventbus.retention.batch-size"),
                duration("eventbus.retention.statement-timeout"));
    }

    @Produces
    @Singleton
    PullSettings pull() {
        return new PullSettings(integer("eventbus.pull.max-long-polls-per-service"));
    }

    @Produces
    @Singleton
    WebhookDelivery.Settings delivery() {
        return new WebhookDelivery.Settings(
                duration("eventbus.delivery.tick"),
                duration("eventbus.delivery.lease-margin"),
                integer("eventbus.delivery.circuit.failure-threshold"),
                duration("eventbus.delivery.circuit.min-open"),
                duration("eventbus.delivery.circuit.max-open"),
                duration("eventbus.delivery.auto-disable-after"));
    }

    @Produces
    @Singleton
    HistoryMover.Settings deliveryHistory() {
        return new HistoryMover.Settings(duration("eventbus.delivery.history-window"));
    }

    @Produces
    @Singleton
    Monitoring.Settings monitoring() {
        return new Monitoring.Settings(duration("eventbus.monitoring.window"), duration("eventbus.monitoring.cache"));
    }

    @Produces
    @Singleton
    FigureHistory.Settings figureHistory() {
        return new FigureHistory.Settings(
                duration("eventbus.monitoring.history"), duration("eventbus.monitoring.sample-every"));
    }

    @Produces
    @Singleton
    AlertLoop.Settings alerts() {
        return new AlertLoop.Settings(duration("eventbus.alerts.interval"));
    }

    @Produces
    @Singleton
    AlertNotifier.Settings alertNotifications() {
        return new AlertNotifier.Settings(
                duration("eventbus.alerts.notify-timeout"), integer("eventbus.alerts.notify-max-attempts"));
    }

    @Produces
    @Singleton
    SubscriptionSettings subscriptions() {
        return new SubscriptionSettings(
                integer("eventbus.subscriptions.max-per-service"),
                duration("eventbus.subscriptions.max-staleness"),
                optional("eventbus.webhook.allow").orElse(""),
                optional("eventbus.webhook.deny").orElse(""),
                config.getValue("eventbus.replay.default-rate", Double.class));
    }

    @Produces
    @Singleton
    SecuritySettings security() {
        return new SecuritySettings(
                optional("eventbus.jwt.private-key"),
                optional("mp.jwt.verify.publickey.location"),
                string("eventbus.jwt.issuer"),
                string("eventbus.jwt.audience"),
                duration("eventbus.jwt.token-lifetime"),
                new RateLimit(
                        config.getValue("eventbus.ratelimit.default-per-second", Double.class),
                        integer("eventbus.ratelimit.default-burst")),
                optional("eventbus.secrets.key"),
                optional("eventbus.secrets.old-keys"),
                optional("eventbus.auth.admin-key"),
                optional("eventbus.auth.client-key"),
                string("eventbus.auth.client-service"),
                duration("eventbus.auth.directory-ttl"));
    }

    @Produces
    @Singleton
    RedisSettings redis() {
        return new RedisSettings(string("eventbus.redis.url"));
    }

    @Produces
    @Singleton
    TelemetrySettings telemetry() {
        return new TelemetrySettings(
                !config.getOptionalValue(TelemetrySwitch.SDK_DISABLED, Boolean.class)
                        .orElse(true),
                optional(TelemetrySwitch.ENDPOINT).orElse(null));
    }

    private String string(String key) {
        return config.getValue(key, String.class);
    }

    private int integer(String key) {
        return config.getValue(key, Integer.class);
    }

    private Duration duration(String key) {
        return config.getValue(key, Duration.class);
    }

    private Optional<String> optional(String key) {
        return config.getOptionalValue(key, String.class);
    }
}
