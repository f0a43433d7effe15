package com.idynic.eventbus.runtime;

import com.idynic.eventbus.broker.OutboxRelay;
import com.idynic.eventbus.broker.kafka.KafkaEventSink;
import com.idynic.eventbus.broker.spi.OutboxStore;
import java.util.List;

/**
 * The relay's members on this server after the first ({@code eventbus.relay.threads} − 1 of them): each relays
 * its own share of the outbox's lanes through its own database session and its own Kafka producer, so while one
 * waits for PostgreSQL or Kafka another sends. The first member is the {@link OutboxRelay} bean itself.
 */
final class RelayMembers {
    private final List<OutboxRelay> relays;
    private final List<KafkaEventSink> sinks;
    private final List<OutboxStore> stores;

    RelayMembers(List<OutboxRelay> relays, List<KafkaEventSink> sinks, List<OutboxStore> stores) {
        this.relays = List.copyOf(relays);
        this.sinks = List.copyOf(sinks);
        this.stores = List.copyOf(stores);
    }

    /** @return the other members' relays, one per thread */
    List<OutboxRelay> relays() {
        return relays;
    }

    /** Closes the members' producers and gives their lanes up. */
    void close() {
        sinks.forEach(KafkaEventSink::close);
        stores.forEach(OutboxStore::close);
    }
}
