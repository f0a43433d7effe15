package com.idynic.eventbus.broker.spi;

import com.idynic.eventbus.api.EventEnvelope;
import com.idynic.eventbus.api.PublishReceipt;

/**
 * An event as the bus keeps it.
 *
 * @param envelope the published envelope, including its content hash
 * @param receipt the receipt given when it was first accepted
 * @param relayed whether the outbox row has reached Kafka
 * @param position where it landed in Kafka, or null (not relayed yet, or not looked up)
 * @since 0.1.0
 */
public record StoredEvent(EventEnvelope envelope, PublishReceipt receipt, boolean relayed, Relayed position) {
    /** An event whose Kafka position is not known here. */
    public StoredEvent(EventEnvelope envelope, PublishReceipt receipt, boolean relayed) {
        this(envelope, receipt, relayed, null);
    }
}
