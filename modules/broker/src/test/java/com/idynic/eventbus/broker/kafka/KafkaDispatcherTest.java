package com.idynic.eventbus.broker.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.idynic.eventbus.api.EventEnvelope;
import com.idynic.eventbus.broker.DispatchWatch;
import com.idynic.eventbus.broker.Dispatcher;
import com.idynic.eventbus.broker.RelayedEvent;
import com.idynic.eventbus.broker.Signal;
import com.idynic.eventbus.broker.spi.DeliveryQueue;
import jakarta.json.JsonObject;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/** The dispatcher's consumer: offsets after the rows, and a broken consumer ends the run to be replaced. */
class KafkaDispatcherTest {
    static final String TOPIC = "idynic.events";
    static final TopicPartition P0 = new TopicPartition(TOPIC, 0);

    /** Offsets committed for partition 0 at the moment each batch of rows was stored. */
    final List<Long> committedWhenStored = new ArrayList<>();

    final List<String> stored = new ArrayList<>();
    final List<Long> storedSeqs = new ArrayList<>();
    final AtomicInteger consumersMade = new AtomicInteger();
    MockConsumer<String, String> consumer;

    final DeliveryQueue queue = (DeliveryQueue) Proxy.newProxyInstance(
            DeliveryQueue.class.getClassLoader(), new Class<?>[] {DeliveryQueue.class}, (proxy, method, args) -> {
                if (method.getName().equals("enqueueAll")) {
                    OffsetAndMetadata at = consumer.committed(Set.of(P0)).get(P0);
                    committedWhenStored.add(at == null ? -1 : at.offset());
                    @SuppressWarnings("unchecked")
                    List<DeliveryQueue.Enqueue> rows = (List<DeliveryQueue.Enqueue>) args[0];
                    rows.forEach(r -> stored.add(r.eventId()));
                    rows.forEach(r -> storedSeqs.add(r.eventSeq()));
                    return null;
                }
                throw new UnsupportedOperationException(method.getName());
            });
    final Dispatcher dispatcher = new Dispatcher(event -> List.of("billing"), queue, new Signal());
    final DispatchWatch watch = new DispatchWatch(() -> OptionalLong.of(0), Clock.systemUTC(), Duration.ofSeconds(60));

    static String record(String id) {
        return EventEnvelope.of(id, "order.placed", "shop", JsonObject.EMPTY_JSON_OBJECT)
                .toJson()
                .toString();
    }

    /** @return the record the relay writes today for event {@code id} (CloudEvents binary mode), at {@code offset} */
    static ConsumerRecord<String, String> binary(String id, long offset) {
        var entry = new com.idynic.eventbus.broker.spi.OutboxEntry(
                offset, id, "order.placed", "shop", "k1", null, null, record(id), offset, java.time.Instant.EPOCH);
        var sent = EventRecords.record(TOPIC, entry);
        return new ConsumerRecord<>(
                TOPIC,
                0,
                offset,
                sent.timestamp(),
                org.apache.kafka.common.record.TimestampType.CREATE_TIME,
                -1,
                -1,
                sent.key(),
                sent.value(),
                sent.headers(),
                java.util.Optional.empty());
    }

    /** A mock consumer that remembers the offsets committed for partition 0 (readable after it is closed). */
    static class Remembering extends MockConsumer<String, String> {
        final List<Long> commits = new ArrayList<>();

        Remembering() {
            super("earliest");
        }

        @Override
        public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
            super.commitSync(offsets);
            commits.add(offsets.get(P0).offset());
        }
    }

    KafkaDispatcher dispatcherOver(MockConsumer<String, String> c) {
        return new KafkaDispatcher(
                () -> {
                    consumersMade.incrementAndGet();
                    consumer = c;
                    return c;
                },
                TOPIC,
                dispatcher,
                watch);
    }

    /** On the first poll: the partition assigned and two records waiting. */
    static void twoRecordsWaiting(MockConsumer<String, String> c) {
        c.schedulePollTask(() -> {
            c.rebalance(List.of(P0));
            c.updateBeginningOffsets(Map.of(P0, 0L));
            c.addRecord(new ConsumerRecord<>(TOPIC, 0, 0, "k1", record("evt-1")));
            c.addRecord(new ConsumerRecord<>(TOPIC, 0, 1, "k1", record("evt-2")));
        });
    }

    @Test
    void theOffsetsOfABatchAreCommittedOnlyAfterItsDeliveryRowsAreStored() {
        Remembering c = new Remembering();
        KafkaDispatcher d = dispatcherOver(c);
        twoRecordsWaiting(c);
        c.schedulePollTask(d::stop);

        d.run();

        assertEquals(List.of("evt-1", "evt-2"), stored);
        assertEquals(List.of(-1L), committedWhenStored, "nothing committed while the rows were written");
        assertEquals(List.of(2L), c.commits, "then the offset after the batch");
    }

    @Test
    void aCommitThatFailsWhileKafkaIsAwayIsCoveredByTheNextBatchsCommitOnTheSameConsumer() {
        AtomicInteger commitsTried = new AtomicInteger();
        Remembering flaky = new Remembering() {
            @Override
            public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
                if (commitsTried.incrementAndGet() == 1) {
                    throw new TimeoutException("Kafka went away during the commit");
                }
                super.commitSync(offsets);
            }
        };
        KafkaDispatcher d = dispatcherOver(flaky);
        twoRecordsWaiting(flaky);
        flaky.schedulePollTask(() -> flaky.addRecord(new ConsumerRecord<>(TOPIC, 0, 2, "k1", record("evt-3"))));
        flaky.schedulePollTask(d::stop);

        d.run();

        assertEquals(List.of("evt-1", "evt-2", "evt-3"), stored);
        assertEquals(List.of(3L), flaky.commits, "the second commit covers the first batch too");
        assertEquals(1, consumersMade.get(), "the same consumer: no new member joins the group");
    }

    @Test
    void aConsumerWhosePollFailsEndsTheRunSoTheSupervisorStartsANewOneFromTheLastCommittedOffset() {
        Remembering broken = new Remembering();
        twoRecordsWaiting(broken);
        broken.schedulePollTask(() -> broken.setPollException(new KafkaException("the consumer is fenced")));

        assertThrows(KafkaException.class, dispatcherOver(broken)::run);
        assertEquals(List.of(2L), broken.commits);

        Remembering fresh = new Remembering();
        KafkaDispatcher again = dispatcherOver(fresh);
        fresh.schedulePollTask(() -> {
            fresh.rebalance(List.of(P0));
            fresh.updateBeginningOffsets(Map.of(P0, 0L));
            fresh.seek(P0, 2);
            fresh.addRecord(new ConsumerRecord<>(TOPIC, 0, 2, "k1", record("evt-3")));
        });
        fresh.schedulePollTask(again::stop);
        again.run();

        assertEquals(2, consumersMade.get());
        assertEquals(List.of("evt-1", "evt-2", "evt-3"), stored);
        assertEquals(List.of(3L), fresh.commits);
    }

    @Test
    void duringAnUpgradeRecordsOfBothFormatsAreDispatchedInTopicOrderAndOneThatIsNoEventIsSkipped() {
        Remembering c = new Remembering();
        KafkaDispatcher d = dispatcherOver(c);
        ConsumerRecord<String, String> broken = binary("evt-broken", 2);
        broken.headers().remove("ce_type");
        c.schedulePollTask(() -> {
            c.rebalance(List.of(P0));
            c.updateBeginningOffsets(Map.of(P0, 0L));
            c.addRecord(new ConsumerRecord<>(TOPIC, 0, 0, "k1", record("evt-old")));
            c.addRecord(binary("evt-new", 1));
            c.addRecord(broken);
            c.addRecord(new ConsumerRecord<>(TOPIC, 0, 3, "k1", record("evt-old-2")));
            c.addRecord(binary("evt-new-2", 4));
        });
        c.schedulePollTask(d::stop);

        d.run();

        assertEquals(List.of("evt-old", "evt-new", "evt-old-2", "evt-new-2"), stored);
        assertEquals(List.of(5L), c.commits, "past the skipped record too");
    }

    /** A record as the relay writes it: the ids in CloudEvents headers, the sequence number in {@code eb-seq}. */
    static ConsumerRecord<String, String> withHeaders(long offset, String id, String type, long seq, String value) {
        ConsumerRecord<String, String> r = new ConsumerRecord<>(TOPIC, 0, offset, "k1", value);
        r.headers().add("ce_id", id.getBytes(StandardCharsets.UTF_8));
        r.headers().add("ce_type", type.getBytes(StandardCharsets.UTF_8));
        r.headers().add(KafkaEventLog.SEQ_HEADER, String.valueOf(seq).getBytes(StandardCharsets.UTF_8));
        return r;
    }

    @Test
    void aRecordWithTheRelaysHeadersIsDispatchedFromThemWithoutParsingItsValue() {
        RelayedEvent e = KafkaDispatcher.relayed(withHeaders(0, "evt-9", "order.placed", 41, "{not json"));

        assertEquals("evt-9", e.id());
        assertEquals("order.placed", e.eventType());
        assertEquals("k1", e.partitionKey());
        assertEquals(41, e.seq());
        assertFalse(e.parsed());
        assertThrows(RelayedEvent.Unreadable.class, e::envelope, "parsed only when asked");
    }

    @Test
    void aRecordWithoutTheHeadersIsParsedAndItsSequenceNumberLeftToTheStore() {
        RelayedEvent e = KafkaDispatcher.relayed(new ConsumerRecord<>(TOPIC, 0, 0, null, record("evt-1")));

        assertEquals("evt-1", e.id());
        assertEquals("order.placed", e.eventType());
        assertTrue(e.parsed());
        assertEquals(RelayedEvent.UNKNOWN_SEQ, e.seq());
        assertNull(KafkaDispatcher.relayed(new ConsumerRecord<>(TOPIC, 0, 1, null, "{not json")));
    }

    @Test
    void theDeliveryRowsCarryTheSequenceNumbersOfTheRecords() {
        Remembering c = new Remembering();
        KafkaDispatcher d = dispatcherOver(c);
        c.schedulePollTask(() -> {
            c.rebalance(List.of(P0));
            c.updateBeginningOffsets(Map.of(P0, 0L));
            c.addRecord(withHeaders(0, "evt-1", "order.placed", 7, record("evt-1")));
            c.addRecord(new ConsumerRecord<>(TOPIC, 0, 1, "k1", record("evt-2")));
        });
        c.schedulePollTask(d::stop);

        d.run();

        assertEquals(List.of("evt-1", "evt-2"), stored);
        assertEquals(List.of(7L, RelayedEvent.UNKNOWN_SEQ), storedSeqs);
    }
}
