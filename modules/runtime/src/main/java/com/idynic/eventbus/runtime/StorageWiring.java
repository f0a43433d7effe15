package com.idynic.eventbus.runtime;

import com.idynic.eventbus.admin.spi.AlertStore;
import com.idynic.eventbus.broker.RetentionManager;
import com.idynic.eventbus.broker.kafka.KafkaSettings;
import com.idynic.eventbus.broker.kafka.KafkaTopics;
import com.idynic.eventbus.broker.spi.RetentionRunStore;
import com.idynic.eventbus.broker.spi.RetentionStore;
import com.idynic.eventbus.security.SecretBox;
import com.idynic.eventbus.storage.JdbcAlertStore;
import com.idynic.eventbus.storage.JdbcSubscriptionStore;
import com.idynic.eventbus.storage.RedisSettings;
import com.idynic.eventbus.storage.RedisSubscriptionCache;
import com.idynic.eventbus.subscribers.spi.SubscriptionStore;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import javax.sql.DataSource;

/**
 * Wires the stores that are not CDI beans of the storage jar themselves (subscriptions and alert rules, whose
 * secrets are sealed, and the Redis cache), and retention, which keeps the stored events and the topic to their age.
 */
@ApplicationScoped
public class StorageWiring {
    @Resource(lookup = "jdbc/eventbus", shareable = false)
    DataSource database;

    @Produces
    @Singleton
    SubscriptionStore subscriptionStore(SecretBox secrets) {
        return new JdbcSubscriptionStore(database, secrets);
    }

    @Produces
    @Singleton
    AlertStore alertStore(SecretBox secrets) {
        return new JdbcAlertStore(database, secrets);
    }

    /** Produced as its class, so that it can be closed; injected as {@code SubscriptionCache}. */
    @Produces
    @Singleton
    RedisSubscriptionCache redisCache(RedisSettings redis) {
        return new RedisSubscriptionCache(redis.url());
    }

    void closeRedis(@Disposes RedisSubscriptionCache cache) {
        cache.close();
    }

    @Produces
    @Singleton
    RetentionManager retention(
            RetentionStore store,
            RetentionRunStore runs,
            RetentionManager.Settings settings,
            KafkaTopics topics,
            KafkaSettings kafka,
            BusMetrics metrics,
            Clock clock) {
        return new RetentionManager(
                store, runs, settings, age -> topics.setRetention(kafka.topic(), age), clock, metrics::retentionRun);
    }
}
