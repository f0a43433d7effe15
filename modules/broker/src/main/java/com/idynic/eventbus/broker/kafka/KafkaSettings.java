package com.idynic.eventbus.broker.kafka;

import java.time.Duration;

/**
 * The events topic, the relay's producer and the dispatcher's consumer ({@code eventbus.kafka.*}, {@code
 * eventbus.dispatch.*}).
 *
 * @param bootstrap the Kafka bootstrap servers, e.g. {@code 127.0.0.1:9092}
 * @param topic the events topic, e.g. {@code idynic.events}
 * @param partitions partitions of the topic when the bus creates it, e.g. 6
 * @param replicationFactor replicas of the topic when the bus creates it, e.g. 1
 * @param deliveryTimeout the producer's delivery timeout, e.g. 30 s
 * @param dispatcherGroup the dispatcher's consumer group ({@code eventbus.dispatch.group-id}), whose lag liveness
 *     watches
 * @param dispatchBatch most records the dispatcher takes per poll and writes per statement, e.g. 500
 * @param dispatchStallAfter records waiting this long with no dispatch progress make liveness DOWN, e.g. 60 s
 * @since 0.8.0
 */
public record KafkaSettings(
        String bootstrap,
        String topic,
        int partitions,
        short replicationFactor,
        Duration deliveryTimeout,
        String dispatcherGroup,
        int dispatchBatch,
        Duration dispatchStallAfter) {}
