package com.idynic.eventbus.broker.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.idynic.eventbus.broker.FakeOutbox;
import com.idynic.eventbus.broker.OutboxRelay;
import com.idynic.eventbus.broker.spi.EventSink;
import com.idynic.eventbus.broker.spi.OutboxEntry;
import com.idynic.eventbus.broker.spi.Relayed;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * The relay and the Kafka sink across a broker outage, with a fake producer playing the broker: what the broker
 * writes, in which order, and which records a failure leaves alive (issue 21, {@code s2b-kafka-kill}).
 */
class KafkaRelayOrderTest {
    /** Event ids in the order the broker wrote them (one partition: every event here has key {@code k}). */
    final List<String> written = new ArrayList<>();
    /** Every producer the sink made, oldest first. */
    final List<FakeProducer> producers = new ArrayList<>();

    boolean brokerUp;
    /** When the record of this id is handed over, the oldest record queued expires (its delivery timeout). */
    String expireOldestOnSendOf;
    /** Ids whose records the broker refuses as too large. */
    Set<String> tooLarge = Set.of();

    final FakeOutbox store = new FakeOutbox();
    final List<OutboxEntry> outbox = store.rows;

    final KafkaEventSink sink = new KafkaEventSink(
            () -> {
                FakeProducer p = new FakeProducer();
                producers.add(p);
                return p;
            },
            "events");

    /** A producer whose broker writes what it is handed while up, and queues it while down. */
    final class FakeProducer implements RecordProducer {
        final Deque<Queued> queued = new ArrayDeque<>();
        boolean closed;
        int closes;

        @Override
        public void send(ProducerRecord<String, String> record, Callback callback) {
            if (closed) {
                throw new IllegalStateException("Cannot perform operation after producer has been closed");
            }
            String id = new String(record.headers().lastHeader("ce_id").value(), StandardCharsets.UTF_8);
            queued.add(new Queued(id, callback));
            if (id.equals(expireOldestOnSendOf)) {
                expireOldest();
            }
            if (brokerUp) {
                flush();
            }
        }

        void expireOldest() {
            queued.poll()
                    .callback
                    .onCompletion(
                            null,
                            new TimeoutException(
                                    "Expiring 1 record(s) for events-0: 30001 ms has passed since batch creation"));
        }

        void flush() {
            for (Queued q = queued.poll(); q != null; q = queued.poll()) {
                if (tooLarge.contains(q.id)) {
                    q.callback.onCompletion(null, new RecordTooLargeException("too large"));
                    continue;
                }
                written.add(q.id);
                q.callback.onCompletion(
                        new RecordMetadata(new TopicPartition("events", 0), written.size() - 1, 0, 0, 1, 2), null);
            }
        }

        @Override
        public void close(Duration timeout) {
            closed = true;
            closes++;
            if (timeout.isZero()) {
                for (Queued q = queued.poll(); q != null; q = queued.poll()) {
                    q.callback.onCompletion(null, new KafkaException("Producer is closed forcefully."));
                }
            }
        }
    }

    record Queued(String id, Callback callback) {}

    OutboxRelay relay(Duration ackTimeout) {
        return new OutboxRelay(store, sink, 500, 1 << 20, ackTimeout, r -> {});
    }

    void brokerReturns() {
        brokerUp = true;
        producers.forEach(FakeProducer::flush);
    }

    @Test
    void aKeysLaterEventQueuedBehindOneThatExpiredIsNotWrittenBeforeTheResentOne() {
        store.add(1, "e1");
        store.add(2, "e2");
        expireOldestOnSendOf = "e2";
        OutboxRelay relay = relay(Duration.ofSeconds(1));

        assertEquals(0, relay.relayBatch(), "e1 expired while Kafka was away; e2 was queued behind it");
        expireOldestOnSendOf = null;
        brokerReturns();
        assertEquals(2, relay.relayBatch());

        assertEquals(List.of("e1", "e2"), written, "e2 queued in the failed pass died with it");
        assertEquals(0, relay.backlog());
        assertEquals(2, producers.size(), "the failure closed the first producer; the next pass made another");
    }

    @Test
    void aPassTheRelayStopsWaitingForLeavesNothingThatIsWrittenLater() {
        store.add(1, "e1");
        store.add(2, "e2");
        OutboxRelay relay = relay(Duration.ZERO);

        assertEquals(0, relay.relayBatch(), "Kafka is away: no acknowledgement within the ack timeout");
        brokerReturns();
        assertEquals(List.of(), written, "the records of the given-up pass were failed, not kept for later");
        assertEquals(2, relay.relayBatch());

        assertEquals(List.of("e1", "e2"), written);
    }

    @Test
    void oneFailureClosesTheSharedProducerOnceAndPassesOpenedOnItNeverReachTheNextOne() throws Exception {
        store.add(1, "a1");
        store.add(2, "b1");
        store.add(3, "b2");
        EventSink.Pass a = sink.open();
        EventSink.Pass b = sink.open();
        CompletableFuture<Relayed> a1 = a.send(outbox.get(0));
        CompletableFuture<Relayed> b1 = b.send(outbox.get(1));

        producers.get(0).expireOldest();
        CompletableFuture<Relayed> b2 = b.send(outbox.get(2));
        EventSink.Pass next = sink.open();
        brokerReturns();

        assertEquals(TimeoutException.class, failure(a1).getClass());
        assertEquals("Producer is closed forcefully.", failure(b1).getMessage());
        assertEquals(
                "not sent: the producer of this relay pass was closed after a failure",
                failure(b2).getMessage());
        assertEquals(1, producers.get(0).closes);
        assertEquals(2, producers.size());
        assertSame(next, sink.open(), "a new producer once per failure, shared by the passes after it");
        assertEquals(List.of(), written);
    }

    @Test
    void aRecordRefusedForGoodKeepsTheProducerAndTheRowsAfterIt() {
        store.add(1, "big");
        store.add(2, "e2");
        tooLarge = Set.of("big");
        brokerUp = true;
        OutboxRelay relay = relay(Duration.ofSeconds(1));

        assertEquals(2, relay.relayBatch());

        assertEquals(List.of("e2"), written);
        assertEquals(1, producers.size());
        assertEquals(0, producers.get(0).closes);
    }

    static Throwable failure(CompletableFuture<Relayed> f) throws InterruptedException {
        try {
            f.get();
            throw new AssertionError("expected a failure, got " + f.join());
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }
}
