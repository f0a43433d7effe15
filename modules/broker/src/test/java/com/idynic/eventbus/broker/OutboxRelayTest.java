package com.idynic.eventbus.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.idynic.eventbus.broker.spi.EventSink;
import com.idynic.eventbus.broker.spi.OutboxEntry;
import com.idynic.eventbus.broker.spi.OutboxStore;
import com.idynic.eventbus.broker.spi.Relayed;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class OutboxRelayTest {
    final List<OutboxEntry> outbox = new ArrayList<>();
    final List<String> kafka = new ArrayList<>();
    /** Ids from which the broker refuses records (an outage: that record and every later one fail). */
    Set<String> failing = Set.of();

    boolean down;

    /** The byte bound of every relay pass the store was asked for. */
    final List<Long> asked = new ArrayList<>();

    final OutboxStore store = new OutboxStore() {
        @Override
        public int relay(int max, long maxBytes, Function<List<OutboxEntry>, List<Relayed>> sender) {
            asked.add(maxBytes);
            List<OutboxEntry> batch = new ArrayList<>(outbox.subList(0, Math.min(max, outbox.size())));
            List<Long> sent = sender.apply(batch).stream().map(Relayed::seq).toList();
            outbox.removeIf(e -> sent.contains(e.seq()));
            return sent.size();
        }

        @Override
        public long backlog() {
            return outbox.size();
        }

        @Override
        public long lagMillis() {
            return 0;
        }
    };
    final EventSink sink = e -> {
        down |= failing.contains(e.eventId());
        if (down) {
            return CompletableFuture.failedFuture(new IllegalStateException("broker down"));
        }
        kafka.add(e.eventId());
        return CompletableFuture.completedFuture(new Relayed(e.seq(), e.eventId(), "t", 0, kafka.size() - 1));
    };

    void add(long seq, String id) {
        outbox.add(new OutboxEntry(seq, id, "t", "s", "k", null, null, "{}", seq, java.time.Instant.EPOCH));
    }

    @Test
    void relaysInSequenceOrderAndEmptiesTheOutbox() {
        add(1, "a");
        add(2, "b");
        add(3, "c");
        OutboxRelay relay = new OutboxRelay(store, sink, 2, 1 << 20, Duration.ofSeconds(1));
        assertEquals(2, relay.relayBatch());
        assertEquals(1, relay.relayBatch());
        assertEquals(List.of("a", "b", "c"), kafka);
        assertEquals(0, relay.backlog());
    }

    @Test
    void aFailedSendKeepsThatRowAndEveryLaterRowInTheBatch() {
        add(1, "a");
        add(2, "b");
        add(3, "c");
        failing = Set.of("b");
        OutboxRelay relay = new OutboxRelay(store, sink, 10, 1 << 20, Duration.ofSeconds(1));
        assertEquals(1, relay.relayBatch());
        assertEquals(2, relay.backlog());
        failing = Set.of();
        down = false;
        assertEquals(2, relay.relayBatch());
        assertEquals(List.of("a", "b", "c"), kafka);
    }

    @Test
    void aSinkThatThrowsSynchronouslyLosesNothing() {
        add(1, "a");
        OutboxRelay relay = new OutboxRelay(
                store,
                e -> {
                    throw new IllegalStateException("metadata timeout");
                },
                10,
                1 << 20,
                Duration.ofSeconds(1));
        assertEquals(0, relay.relayBatch());
        assertEquals(1, relay.backlog());
    }

    @Test
    void everyPassAsksTheStoreForNoMoreThanTheConfiguredBytes() {
        add(1, "a");
        OutboxRelay relay = new OutboxRelay(store, sink, 500, 4096, Duration.ofSeconds(1));
        relay.relayBatch();
        relay.relayBatch();
        assertEquals(List.of(4096L, 4096L), asked);
    }
}
