package com.idynic.eventbus.runtime;

import com.idynic.eventbus.broker.DispatchWatch;
import com.idynic.eventbus.broker.Dispatcher;
import com.idynic.eventbus.broker.OutboxRelay;
import com.idynic.eventbus.broker.RelaySettings;
import com.idynic.eventbus.broker.kafka.KafkaDispatcher;
import com.idynic.eventbus.broker.kafka.KafkaEventSink;
import com.idynic.eventbus.broker.kafka.KafkaRecordSize;
import com.idynic.eventbus.broker.kafka.KafkaSettings;
import com.idynic.eventbus.broker.kafka.KafkaTopics;
import com.idynic.eventbus.broker.spi.OutboxStore;
import com.idynic.eventbus.broker.spi.Spans;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;

/**
 * Wires Kafka: the relay from the outbox to the events topic, the topic's administration, the dispatcher's consumer
 * and its watch.
 */
@ApplicationScoped
public class KafkaWiring {
    @Resource(lookup = "java:comp/DefaultManagedExecutorService")
    ExecutorService managedExecutor;

    /** The Kafka record limit, derived from the event body limit. */
    @Produces
    @Singleton
    KafkaRecordSize kafkaRecordSize(BodyLimits limits) {
        return KafkaRecordSize.forEvents(limits.eventBytes());
    }

    @Produces
    @Singleton
    KafkaEventSink kafkaSink(KafkaSettings kafka, KafkaRecordSize recordSize) {
        return new KafkaEventSink(
                kafka.bootstrap(), kafka.topic(), (int) kafka.deliveryTimeout().toMillis(), recordSize);
    }

    void closeSink(@Disposes KafkaEventSink sink) {
        sink.close();
    }

    @Produces
    @Singleton
    KafkaTopics kafkaTopics(KafkaSettings kafka) {
        return new KafkaTopics(kafka.bootstrap());
    }

    void closeTopics(@Disposes KafkaTopics topics) {
        topics.close();
    }

    /** Measures the dispatcher's lag at most once a second, off the liveness request's thread. */
    @Produces
    @Singleton
    DispatchWatch dispatchWatch(KafkaTopics topics, KafkaSettings kafka, Clock clock) {
        return new DispatchWatch(
                () -> topics.consumerLag(kafka.topic(), kafka.dispatcherGroup()),
                clock,
                kafka.dispatchStallAfter(),
                Duration.ofSeconds(1),
                managedExecutor);
    }

    /** The dispatcher's consumer: a supervised loop started with the other workers ({@link RelayLifecycle}). */
    @Produces
    @Singleton
    KafkaDispatcher kafkaDispatcher(KafkaSettings kafka, Dispatcher dispatcher, DispatchWatch watch) {
        return new KafkaDispatcher(KafkaDispatcher.consumer(kafka), kafka.topic(), dispatcher, watch);
    }

    @Produces
    @Singleton
    OutboxRelay relay(
            OutboxStore outbox,
            KafkaEventSink sink,
            KafkaSettings kafka,
            RelaySettings settings,
            BusMetrics metrics,
            Spans spans) {
        return relayOver(outbox, sink, kafka, settings, metrics, spans);
    }

    /** The relay's other members on this server ({@code eventbus.relay.threads} − 1), started with the first. */
    @Produces
    @Singleton
    RelayMembers relayMembers(
            OutboxStore outbox,
            KafkaSettings kafka,
            KafkaRecordSize recordSize,
            RelaySettings settings,
            BusMetrics metrics,
            Spans spans) {
        List<OutboxRelay> relays = new ArrayList<>();
        List<KafkaEventSink> sinks = new ArrayList<>();
        List<OutboxStore> stores = new ArrayList<>();
        for (int i = 1; i < settings.threads(); i++) {
            OutboxStore member = outbox.member();
            KafkaEventSink sink = kafkaSink(kafka, recordSize);
            stores.add(member);
            sinks.add(sink);
            relays.add(relayOver(member, sink, kafka, settings, metrics, spans));
        }
        return new RelayMembers(relays, sinks, stores);
    }

    void closeMembers(@Disposes RelayMembers members) {
        members.close();
    }

    private static OutboxRelay relayOver(
            OutboxStore outbox,
            KafkaEventSink sink,
            KafkaSettings kafka,
            RelaySettings settings,
            BusMetrics metrics,
            Spans spans) {
        return new OutboxRelay(
                outbox,
                sink,
                settings.batchSize(),
                settings.batchBytes(),
                kafka.deliveryTimeout().plusSeconds(5),
                refused -> metrics.relayRefused(),
                spans);
    }
}
