package com.idynic.eventbus.broker.spi;

/**
 * Where the sink put one outbox row.
 *
 * @param seq the outbox row
 * @param eventId its event
 * @param topic Kafka topic
 * @param partition Kafka partition
 * @param offset Kafka offset
 * @since 0.2.0
 */
public record Relayed(long seq, String eventId, String topic, int partition, long offset) {}
