package com.idynic.eventbus.web;

import com.idynic.eventbus.broker.DeadLetters;
import com.idynic.eventbus.broker.Dispatcher;
import com.idynic.eventbus.broker.GroupCommit;
import com.idynic.eventbus.broker.LongPolls;
import com.idynic.eventbus.broker.Loops;
import com.idynic.eventbus.broker.OutboxRelay;
import com.idynic.eventbus.broker.PublishService;
import com.idynic.eventbus.broker.PullService;
import com.idynic.eventbus.broker.RetentionManager;
import com.idynic.eventbus.broker.Signal;
import com.idynic.eventbus.broker.SupervisedLoop;
import com.idynic.eventbus.broker.kafka.KafkaEventLog;
import com.idynic.eventbus.broker.kafka.KafkaEventSink;
import com.idynic.eventbus.broker.kafka.KafkaRecordSize;
import com.idynic.eventbus.broker.kafka.KafkaTopics;
import com.idynic.eventbus.schema.DataValidator;
import com.idynic.eventbus.schema.SchemaRegistry;
import com.idynic.eventbus.security.SecretBox;
import com.idynic.eventbus.security.ServiceDirectory;
import com.idynic.eventbus.storage.JdbcDeliveryStore;
import com.idynic.eventbus.storage.JdbcEventWriter;
import com.idynic.eventbus.storage.JdbcOutboxStore;
import com.idynic.eventbus.storage.JdbcReplayStore;
import com.idynic.eventbus.storage.JdbcRetentionRunStore;
import com.idynic.eventbus.storage.JdbcRetentionStore;
import com.idynic.eventbus.storage.JdbcSchemaStore;
import com.idynic.eventbus.storage.JdbcSubscriptionStore;
import com.idynic.eventbus.storage.JpaEventStore;
import com.idynic.eventbus.storage.RedisSubscriptionCache;
import com.idynic.eventbus.subscribers.AddressGuard;
import com.idynic.eventbus.subscribers.Replays;
import com.idynic.eventbus.subscribers.SubscriptionRegistry;
import com.idynic.eventbus.subscribers.WebhookDelivery;
import com.idynic.eventbus.subscribers.WebhookSender;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Wires the framework-free core with constructor arguments; configuration comes from MicroProfile Config.
 * Core classes are final, so they are produced as {@code @Singleton} (no client proxy).
 */
@ApplicationScoped
public class Wiring {
    @Inject
    @ConfigProperty(name = "eventbus.kafka.bootstrap")
    String bootstrap;

    @Inject
    @ConfigProperty(name = "eventbus.kafka.topic")
    String topic;

    @Inject
    @ConfigProperty(name = "eventbus.kafka.delivery-timeout")
    Duration kafkaDeliveryTimeout;

    @Inject
    @ConfigProperty(name = "eventbus.schemas.unregistered")
    String unregisteredTypes;

    @Inject
    @ConfigProperty(name = "eventbus.retention.default-max-age")
    Duration retentionDefault;

    @Inject
    @ConfigProperty(name = "eventbus.retention.interval")
    Duration retentionInterval;

    @Inject
    @ConfigProperty(name = "eventbus.retention.batch-size")
    int retentionBatch;

    @Inject
    @ConfigProperty(name = "eventbus.retention.statement-timeout")
    Duration retentionStatementTimeout;

    @Inject
    @ConfigProperty(name = "eventbus.redis.url")
    String redisUrl;

    @Inject
    @ConfigProperty(name = "eventbus.relay.batch-size")
    int relayBatch;

    @Inject
    @ConfigProperty(name = "eventbus.relay.batch-bytes")
    long relayBatchBytes;

    @Inject
    @ConfigProperty(name = "eventbus.delivery.tick")
    Duration deliveryTick;

    @Inject
    @ConfigProperty(name = "eventbus.delivery.lease-margin")
    Duration leaseMargin;

    @Inject
    @ConfigProperty(name = "eventbus.delivery.circuit.failure-threshold")
    int circuitThreshold;

    @Inject
    @ConfigProperty(name = "eventbus.delivery.circuit.min-open")
    Duration circuitMinOpen;

    @Inject
    @ConfigProperty(name = "eventbus.delivery.circuit.max-open")
    Duration circuitMaxOpen;

    @Inject
    @ConfigProperty(name = "eventbus.delivery.auto-disable-after")
    Duration autoDisableAfter;

    @Inject
    @ConfigProperty(name = "eventbus.pull.max-long-polls-per-service")
    int maxLongPollsPerService;

    @Resource(lookup = "java:comp/DefaultManagedExecutorService")
    ExecutorService managedExecutor;

    @Resource(lookup = "jdbc/eventbus")
    DataSource database;

    @Inject
    @ConfigProperty(name = "eventbus.subscriptions.max-staleness")
    Duration subscriptionStaleness;

    @Inject
    @ConfigProperty(name = "eventbus.webhook.allow")
    Optional<String> webhookAllow;

    @Inject
    @ConfigProperty(name = "eventbus.webhook.deny")
    Optional<String> webhookDeny;

    @Inject
    Clock clock;

    private final Signal relayWake = new Signal();
    private final Signal enqueued = new Signal();

    @Produces
    @RelayWake
    Signal relayWake() {
        return relayWake;
    }

    @Produces
    @Enqueued
    Signal enqueued() {
        return enqueued;
    }

    @Inject
    @ConfigProperty(name = "eventbus.publish.group-commit.writers")
    int groupCommitWriters;

    @Inject
    @ConfigProperty(name = "eventbus.publish.group-commit.max-batch")
    int groupCommitMaxBatch;

    @Inject
    @ConfigProperty(name = "eventbus.publish.group-commit.queue")
    int groupCommitQueue;

    @Inject
    @ConfigProperty(name = "eventbus.publish.group-commit.max-wait")
    Duration groupCommitMaxWait;

    @Resource(lookup = "java:comp/DefaultManagedThreadFactory")
    jakarta.enterprise.concurrent.ManagedThreadFactory threads;

    @Inject
    @ConfigProperty(name = "eventbus.supervision.min-backoff")
    Duration supervisionMinBackoff;

    @Inject
    @ConfigProperty(name = "eventbus.supervision.max-backoff")
    Duration supervisionMaxBackoff;

    @Inject
    @ConfigProperty(name = "eventbus.supervision.healthy-run")
    Duration supervisionHealthyRun;

    @Inject
    @ConfigProperty(name = "eventbus.supervision.down-after")
    Duration supervisionDownAfter;

    @Inject
    @ConfigProperty(name = "eventbus.supervision.stall-after")
    Duration supervisionStallAfter;

    @Produces
    @Singleton
    Loops loops() {
        return new Loops(
                new Loops.Settings(
                        supervisionMinBackoff,
                        supervisionMaxBackoff,
                        supervisionHealthyRun,
                        supervisionDownAfter,
                        supervisionStallAfter),
                clock,
                SupervisedLoop.Sleeper.THREAD);
    }

    @Produces
    @Singleton
    GroupCommit groupCommit(JdbcEventWriter writer, Loops loops) {
        return new GroupCommit(
                writer, groupCommitWriters, groupCommitMaxBatch, groupCommitQueue, groupCommitMaxWait, threads, loops);
    }

    void closeGroupCommit(@Disposes GroupCommit groupCommit) {
        groupCommit.close();
    }

    @Produces
    @Singleton
    PublishService publishService(JpaEventStore store, SchemaRegistry schemas, GroupCommit groupCommit) {
        return new PublishService(store, schemas::validate, relayWake::raise, clock, groupCommit);
    }

    @Produces
    @Singleton
    SchemaRegistry schemas(JdbcSchemaStore store) {
        return new SchemaRegistry(store, new DataValidator(), "reject".equals(unregisteredTypes));
    }

    /** The Kafka record limit, derived from the event body limit (read once, by {@link BodyWiring}). */
    @Produces
    @Singleton
    KafkaRecordSize kafkaRecordSize(BodyLimits limits) {
        return KafkaRecordSize.forEvents(limits.eventBytes());
    }

    @Produces
    @Singleton
    KafkaEventSink kafkaSink(KafkaRecordSize recordSize) {
        return new KafkaEventSink(bootstrap, topic, (int) kafkaDeliveryTimeout.toMillis(), recordSize);
    }

    void closeSink(@Disposes KafkaEventSink sink) {
        sink.close();
    }

    @Produces
    @Singleton
    KafkaTopics kafkaTopics() {
        return new KafkaTopics(bootstrap);
    }

    void closeTopics(@Disposes KafkaTopics topics) {
        topics.close();
    }

    @Inject
    @ConfigProperty(name = "mp.messaging.incoming.bus-events.group.id")
    String dispatcherGroup;

    @Inject
    @ConfigProperty(name = "eventbus.dispatch.stall-after")
    Duration dispatchStallAfter;

    @Produces
    @Singleton
    com.idynic.eventbus.broker.DispatchWatch dispatchWatch(KafkaTopics topics) {
        return new com.idynic.eventbus.broker.DispatchWatch(
                () -> topics.consumerLag(topic, dispatcherGroup), clock, dispatchStallAfter);
    }

    @Produces
    @Singleton
    OutboxRelay relay(JdbcOutboxStore outbox, KafkaEventSink sink, BusMetrics metrics) {
        return new OutboxRelay(
                outbox,
                sink,
                relayBatch,
                relayBatchBytes,
                kafkaDeliveryTimeout.plusSeconds(5),
                refused -> metrics.relayRefused());
    }

    @Produces
    @Singleton
    JdbcSubscriptionStore subscriptionStore(SecretBox secrets) {
        return new JdbcSubscriptionStore(database, secrets);
    }

    @Produces
    @Singleton
    RedisSubscriptionCache redisCache() {
        return new RedisSubscriptionCache(redisUrl);
    }

    void closeRedis(@Disposes RedisSubscriptionCache cache) {
        cache.close();
    }

    @Produces
    @Singleton
    SubscriptionRegistry subscriptions(
            JdbcSubscriptionStore store, RedisSubscriptionCache cache, ServiceDirectory services, AddressGuard guard) {
        return new SubscriptionRegistry(
                store, cache, clock, subscriptionStaleness, new OwnerPermissions(services), guard);
    }

    @Produces
    @Singleton
    AddressGuard addressGuard() {
        return new AddressGuard(
                AddressGuard.parse(webhookAllow.orElse("")),
                AddressGuard.parse(webhookDeny.orElse("")),
                InetAddress::getAllByName);
    }

    @Produces
    @Singleton
    Dispatcher dispatcher(SubscriptionRegistry subscriptions, JdbcDeliveryStore deliveries) {
        return new Dispatcher(subscriptions, deliveries, enqueued);
    }

    @Produces
    @Singleton
    DeadLetters deadLetters(JdbcDeliveryStore deliveries) {
        return new DeadLetters(deliveries, enqueued);
    }

    @Produces
    @Singleton
    PullService pulls(JdbcDeliveryStore deliveries) {
        return new PullService(deliveries, clock);
    }

    private ScheduledThreadPoolExecutor longPollTimer;
    private ThreadPoolExecutor longPollLeasing;

    /**
     * Waiting long polls hold no request thread: one timer thread ends their waits and schedules rechecks,
     * and two leasing threads (the leases of one subscription queue on its lock anyway) serve every waiter.
     */
    @Produces
    @Singleton
    LongPolls longPolls() {
        longPollTimer = new ScheduledThreadPoolExecutor(1, threads);
        longPollTimer.setRemoveOnCancelPolicy(true);
        longPollLeasing = new ThreadPoolExecutor(2, 2, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), threads);
        ScheduledThreadPoolExecutor timer = longPollTimer;
        return new LongPolls(
                maxLongPollsPerService,
                enqueued,
                longPollLeasing,
                (delay, task) -> {
                    ScheduledFuture<?> f = timer.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
                    return () -> f.cancel(false);
                },
                LongPolls.RECHECK);
    }

    void closeLongPolls(@Disposes LongPolls polls) {
        longPollTimer.shutdownNow();
        longPollLeasing.shutdownNow();
    }

    @Produces
    @Singleton
    RetentionManager retention(
            JdbcRetentionStore store, JdbcRetentionRunStore runs, KafkaTopics topics, BusMetrics metrics) {
        return new RetentionManager(
                store,
                runs,
                new RetentionManager.Settings(
                        retentionDefault, retentionInterval, retentionBatch, retentionStatementTimeout),
                age -> topics.setRetention(topic, age),
                clock,
                metrics::retentionRun);
    }

    @Produces
    @Singleton
    Replays replays(JdbcReplayStore store, JdbcDeliveryStore deliveries, SubscriptionRegistry subscriptions) {
        return new Replays(store, new KafkaEventLog(bootstrap, topic), deliveries, subscriptions, enqueued, clock);
    }

    @Produces
    @Singleton
    WebhookDelivery webhooks(SubscriptionRegistry subscriptions, JdbcDeliveryStore deliveries, AddressGuard guard) {
        return new WebhookDelivery(
                subscriptions,
                deliveries,
                new WebhookSender(managedExecutor, clock, guard),
                enqueued,
                clock,
                new WebhookDelivery.Settings(
                        deliveryTick, leaseMargin, circuitThreshold, circuitMinOpen, circuitMaxOpen, autoDisableAfter));
    }
}
