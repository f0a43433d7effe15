package com.idynic.eventbus.broker;

import com.idynic.eventbus.api.EventEnvelope;
import com.idynic.eventbus.api.PublishReceipt;
import com.idynic.eventbus.broker.spi.StoredEvent;

/**
 * A stored event as callers see it (its sensitive values masked or not, as the service decided); the stored
 * {@link StoredEvent} may change without changing it.
 *
 * @param envelope the published envelope
 * @param receipt the receipt given when it was first accepted
 * @param relayed whether it has reached Kafka
 * @param position where it landed in Kafka, or null (not relayed yet, or not looked up)
 * @since 0.23.0
 */
public record EventView(EventEnvelope envelope, PublishReceipt receipt, boolean relayed, Position position) {
    /**
     * A record's place in Kafka.
     *
     * @param topic the topic, e.g. {@code eventbus.events}
     * @param partition the partition, from 0
     * @param offset the offset in the partition
     */
    public record Position(String topic, int partition, long offset) {}

    static EventView of(StoredEvent e) {
        Position at = e.position() == null
                ? null
                : new Position(
                        e.position().topic(),
                        e.position().partition(),
                        e.position().offset());
        return new EventView(e.envelope(), e.receipt(), e.relayed(), at);
    }
}
