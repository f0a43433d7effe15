package com.idynic.eventbus.broker.spi;

import java.util.concurrent.CompletableFuture;

/**
 * Where the relay sends events (Kafka in production).
 *
 * @since 0.1.0
 */
public interface EventSink {
    /**
     * @param entry the row to send
     * @return completes with the record's position when the sink durably acknowledged it; fails otherwise
     */
    CompletableFuture<Relayed> send(OutboxEntry entry);
}
