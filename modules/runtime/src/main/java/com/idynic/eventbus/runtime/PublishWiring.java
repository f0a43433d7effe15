package com.idynic.eventbus.runtime;

import com.idynic.eventbus.broker.Backpressure;
import com.idynic.eventbus.broker.EventQueries;
import com.idynic.eventbus.broker.GroupCommit;
import com.idynic.eventbus.broker.Loops;
import com.idynic.eventbus.broker.Masking;
import com.idynic.eventbus.broker.PublishGate;
import com.idynic.eventbus.broker.PublishService;
import com.idynic.eventbus.broker.PublishSettings;
import com.idynic.eventbus.broker.Signal;
import com.idynic.eventbus.broker.SupervisedLoop;
import com.idynic.eventbus.broker.spi.AuditLog;
import com.idynic.eventbus.broker.spi.DeliveryHistory;
import com.idynic.eventbus.broker.spi.EventBatchStore;
import com.idynic.eventbus.broker.spi.EventSearch;
import com.idynic.eventbus.broker.spi.EventStore;
import com.idynic.eventbus.broker.spi.OutboxStore;
import com.idynic.eventbus.broker.spi.Spans;
import com.idynic.eventbus.schema.DataValidator;
import com.idynic.eventbus.schema.SchemaRegistry;
import com.idynic.eventbus.schema.SchemaSettings;
import com.idynic.eventbus.schema.spi.SchemaStore;
import com.idynic.eventbus.security.RateLimit;
import com.idynic.eventbus.security.RateLimiter;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.concurrent.ThreadFactory;

/**
 * Wires publishing: schema validation, the group-commit writers, the publish service, backpressure, the publish
 * gate in front of them, and the event queries behind {@code /v1/events}.
 */
@ApplicationScoped
public class PublishWiring {
    @Resource(lookup = "java:comp/DefaultManagedThreadFactory")
    ThreadFactory threads;

    @Produces
    @Singleton
    GroupCommit groupCommit(EventBatchStore writer, Loops loops, PublishSettings settings) {
        return new GroupCommit(
                writer,
                settings.groupCommitWriters(),
                settings.groupCommitMaxBatch(),
                settings.groupCommitQueue(),
                settings.groupCommitMaxWait(),
                threads,
                loops);
    }

    void closeGroupCommit(@Disposes GroupCommit groupCommit) {
        groupCommit.close();
    }

    @Produces
    @Singleton
    PublishService publishService(
            EventStore store,
            SchemaRegistry schemas,
            GroupCommit groupCommit,
            @RelayWake Signal relayWake,
            StoredEvents stored,
            Clock clock) {
        return new PublishService(store, schemas::validate, relayWake::raise, clock, groupCommit, stored::stored);
    }

    @Produces
    @Singleton
    SchemaRegistry schemas(SchemaStore store, SchemaSettings settings, AuditLog audit) {
        return new SchemaRegistry(store, new DataValidator(), settings.rejectsUnregistered(), audit);
    }

    @Produces
    @Singleton
    Backpressure backpressure(OutboxStore outbox, PublishSettings settings, Clock clock) {
        return new Backpressure(
                outbox::backlog,
                outbox::lagMillis,
                settings.overloadOutboxThreshold(),
                settings.overloadMaxRelayLag(),
                settings.overloadRetryAfter(),
                clock,
                settings.flow(),
                SupervisedLoop.Sleeper.THREAD);
    }

    @Produces
    @Singleton
    PublishGate publishGate(
            PublishService publisher,
            RateLimiter rateLimiter,
            RateLimit defaultRateLimit,
            Backpressure backpressure,
            PublishSettings settings,
            BusMetrics metrics,
            Spans spans) {
        return new PublishGate(
                publisher,
                rateLimiter,
                defaultRateLimit,
                backpressure,
                settings.idempotencyWindow(),
                metrics::refused,
                spans);
    }

    @Produces
    @Singleton
    EventQueries eventQueries(EventStore events, DeliveryHistory deliveries, EventSearch search, Masking masking) {
        return new EventQueries(events, deliveries, search, masking);
    }

    /** Masks the fields schemas mark {@code "x-sensitive": true} for viewers who may not read them. */
    @Produces
    @Singleton
    Masking masking(SchemaRegistry schemas) {
        return new Masking(schemas.sensitiveFields()::mask);
    }
}
