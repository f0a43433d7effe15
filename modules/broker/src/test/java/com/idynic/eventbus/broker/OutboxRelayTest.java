package com.idynic.eventbus.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.idynic.eventbus.broker.spi.EventRefusedException;
import com.idynic.eventbus.broker.spi.EventSink;
import com.idynic.eventbus.broker.spi.OutboxEntry;
import com.idynic.eventbus.broker.spi.OutboxStore;
import com.idynic.eventbus.broker.spi.Refused;
import com.idynic.eventbus.broker.spi.RelayOutcome;
import com.idynic.eventbus.broker.spi.Relayed;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class OutboxRelayTest {
    final FakeOutbox store = new FakeOutbox();
    final List<OutboxEntry> outbox = store.rows;
    final List<String> kafka = new ArrayList<>();
    /** Ids from which the broker refuses records (an outage: that record and every later one fail). */
    Set<String> failing = Set.of();
    /** Ids whose records Kafka will never take (too large). */
    Set<String> tooLarge = Set.of();

    boolean down;

    final List<Long> asked = store.asked;
    final List<String> setAside = store.setAside;
    /** Event ids the relay reported as refused. */
    final List<String> reported = new ArrayList<>();

    /** What the store and the sink were asked, in order: claim, send of an id, record. */
    final List<String> steps = store.steps;

    /** Sends to the list {@code kafka}, as a broker that writes a pass's rows until the first that fails. */
    final Function<OutboxEntry, CompletableFuture<Relayed>> toKafka = e -> {
        steps.add("send " + e.eventId());
        if (tooLarge.contains(e.eventId())) {
            return CompletableFuture.failedFuture(
                    new EventRefusedException("record too large", new IllegalStateException("RecordTooLarge")));
        }
        down |= failing.contains(e.eventId());
        if (down) {
            return CompletableFuture.failedFuture(new IllegalStateException("broker down"));
        }
        kafka.add(e.eventId());
        return CompletableFuture.completedFuture(new Relayed(e.seq(), e.eventId(), "t", 0, kafka.size() - 1));
    };

    final EventSink sink = sending(toKafka);

    /** @return a sink whose passes send with {@code send} and note in the steps when they are abandoned */
    EventSink sending(Function<OutboxEntry, CompletableFuture<Relayed>> send) {
        return () -> new EventSink.Pass() {
            @Override
            public CompletableFuture<Relayed> send(OutboxEntry entry) {
                return send.apply(entry);
            }

            @Override
            public void abandon() {
                steps.add("abandon");
            }
        };
    }

    OutboxRelay relay(OutboxStore store, EventSink sink, int batchSize, long batchBytes) {
        return new OutboxRelay(
                store, sink, batchSize, batchBytes, Duration.ofSeconds(1), r -> reported.add(r.eventId()));
    }

    @Test
    void relaysInSequenceOrderAndEmptiesTheOutbox() {
        store.add(1, "a");
        store.add(2, "b");
        store.add(3, "c");
        OutboxRelay relay = relay(store, sink, 2, 1 << 20);
        assertEquals(2, relay.relayBatch());
        assertEquals(1, relay.relayBatch());
        assertEquals(List.of("a", "b", "c"), kafka);
        assertEquals(0, relay.backlog());
    }

    @Test
    void aFailedSendKeepsThatRowAndEveryLaterRowInTheBatch() {
        store.add(1, "a");
        store.add(2, "b");
        store.add(3, "c");
        failing = Set.of("b");
        OutboxRelay relay = relay(store, sink, 10, 1 << 20);
        assertEquals(1, relay.relayBatch());
        assertEquals(2, relay.backlog());
        failing = Set.of();
        down = false;
        assertEquals(2, relay.relayBatch());
        assertEquals(List.of("a", "b", "c"), kafka);
    }

    @Test
    void aSinkThatThrowsSynchronouslyLosesNothing() {
        store.add(1, "a");
        OutboxRelay relay = relay(
                store,
                sending(e -> {
                    throw new IllegalStateException("metadata timeout");
                }),
                10,
                1 << 20);
        assertEquals(0, relay.relayBatch());
        assertEquals(1, relay.backlog());
    }

    @Test
    void everyPassAsksTheStoreForNoMoreThanTheConfiguredBytes() {
        store.add(1, "a");
        OutboxRelay relay = relay(store, sink, 500, 4096);
        relay.relayBatch();
        relay.relayBatch();
        assertEquals(List.of(4096L, 4096L), asked);
    }

    @Test
    void aRowTheSinkRefusesForGoodIsSetAsideReportedAndTheRowsAfterItAreRelayed() {
        store.add(1, "a");
        store.add(2, "big");
        store.add(3, "c");
        tooLarge = Set.of("big");
        OutboxRelay relay = relay(store, sink, 10, 1 << 20);
        assertEquals(3, relay.relayBatch(), "relayed and set aside rows both leave the outbox");
        assertEquals(List.of("a", "c"), kafka);
        assertEquals(List.of("big"), setAside);
        assertEquals(List.of("big"), reported);
        assertEquals(0, relay.backlog());
    }

    @Test
    void aRowTheSinkRefusesWhileSendingIsSetAsideAndTheRowsAfterItAreRelayed() {
        store.add(1, "big");
        store.add(2, "b");
        EventSink refusingAtOnce = sending(e -> {
            if (e.eventId().equals("big")) {
                throw new EventRefusedException("record too large", null);
            }
            return toKafka.apply(e);
        });
        OutboxRelay relay = relay(store, refusingAtOnce, 10, 1 << 20);
        assertEquals(2, relay.relayBatch());
        assertEquals(List.of("b"), kafka);
        assertEquals(List.of("big"), setAside);
    }

    @Test
    void aFailureAfterARefusedRowKeepsTheFailedRowAndEveryLaterRowForTheNextPass() {
        store.add(1, "a");
        store.add(2, "big");
        store.add(3, "c");
        store.add(4, "d");
        tooLarge = Set.of("big");
        failing = Set.of("c");
        OutboxRelay relay = relay(store, sink, 10, 1 << 20);
        assertEquals(2, relay.relayBatch());
        assertEquals(List.of("big"), setAside);
        assertEquals(
                List.of("c", "d"), outbox.stream().map(OutboxEntry::eventId).toList());
    }

    @Test
    void aRefusedRowIsNotReportedWhenItsPassDoesNotCommit() {
        tooLarge = Set.of("big");
        FakeOutbox failingCommit = new FakeOutbox() {
            @Override
            public int record(List<OutboxEntry> batch, RelayOutcome outcome) {
                throw new IllegalStateException("connection lost at commit");
            }
        };
        failingCommit.add(1, "big");
        OutboxRelay relay = relay(failingCommit, sink, 10, 1 << 20);
        assertThrows(IllegalStateException.class, relay::relayBatch);
        assertEquals(List.of(), reported);
        assertEquals(1, relay.backlog());
    }

    @Test
    void theOutcomeNamesRefusedRowsWithTheSinksReason() {
        store.add(1, "big");
        tooLarge = Set.of("big");
        RelayOutcome outcome = relay(store, sink, 10, 1 << 20).send(List.copyOf(outbox));
        assertEquals(List.of(new Refused(1, "big", "record too large")), outcome.refused());
        assertEquals(List.of(), outcome.relayed());
    }

    @Test
    void theBatchIsSentAfterItsClaimAndRecordedOnlyOnceEveryRowWasAnswered() {
        store.add(1, "a");
        store.add(2, "b");
        relay(store, sink, 10, 1 << 20).relayBatch();
        assertEquals(List.of("claim", "send a", "send b", "record"), steps);
    }

    @Test
    void aPassThatClaimsNothingSendsAndRecordsNothing() {
        FakeOutbox laneHeldElsewhere = new FakeOutbox() {
            @Override
            public List<OutboxEntry> claim(int max, long maxBytes) {
                steps.add("claim");
                return List.of();
            }
        };
        laneHeldElsewhere.add(1, "a");
        assertEquals(0, relay(laneHeldElsewhere, sink, 10, 1 << 20).relayBatch());
        assertEquals(List.of("claim"), laneHeldElsewhere.steps);
        assertEquals(List.of(), kafka);
    }

    @Test
    void aPassThatStopsAtAFailedRowIsAbandonedBeforeItIsRecorded() {
        store.add(1, "a");
        store.add(2, "b");
        store.add(3, "c");
        failing = Set.of("b");
        relay(store, sink, 10, 1 << 20).relayBatch();
        assertEquals(List.of("claim", "send a", "send b", "send c", "abandon", "record"), steps);
    }

    @Test
    void aPassWhoseAcknowledgementDoesNotComeWithinTheAckTimeoutIsAbandoned() {
        store.add(1, "a");
        OutboxRelay relay = new OutboxRelay(
                store,
                sending(e -> {
                    steps.add("send " + e.eventId());
                    return new CompletableFuture<>();
                }),
                10,
                1 << 20,
                Duration.ZERO,
                r -> {});
        assertEquals(0, relay.relayBatch());
        assertEquals(List.of("claim", "send a", "abandon", "record"), steps);
        assertEquals(1, relay.backlog());
    }

    @Test
    void aPassWhoseEveryRowWasAcknowledgedOrRefusedIsNotAbandoned() {
        store.add(1, "big");
        store.add(2, "b");
        tooLarge = Set.of("big");
        relay(store, sink, 10, 1 << 20).relayBatch();
        assertEquals(List.of("claim", "send big", "send b", "record"), steps);
    }

    @Test
    void withSpansEveryRowSentIsARelaySpanUnderItsEventsContextEndedByTheAckOrTheFailure() {
        String context = "00-" + "4".repeat(32) + "-" + "5".repeat(16) + "-01";
        outbox.add(new OutboxEntry(1, "a", "t", "s", "k", null, context, "{}", 1, java.time.Instant.EPOCH));
        store.add(2, "b");
        store.add(3, "c");
        failing = Set.of("b");
        FakeSpans spans = new FakeSpans();
        OutboxRelay relay =
                new OutboxRelay(store, sink, 10, 1 << 20, Duration.ofSeconds(1), r -> reported.add(r.eventId()), spans);
        assertEquals(1, relay.relayBatch());
        assertEquals(
                List.of("relay a PRODUCER " + context, "relay b PRODUCER null", "relay c PRODUCER null"),
                spans.spans.stream()
                        .map(s -> s.name + " " + s.attributes.get("eventbus.event.id") + " " + s.kind + " " + s.parent)
                        .toList());
        FakeSpans.Recorded a = spans.spans.get(0);
        assertEquals(null, a.error);
        assertEquals("t", a.attributes.get("messaging.destination.name"));
        assertEquals(0L, a.attributes.get("messaging.kafka.offset"));
        assertEquals("kafka", a.attributes.get("messaging.system"));
        assertEquals(
                List.of("not acknowledged; stays in the outbox", "not acknowledged; stays in the outbox"),
                spans.spans.subList(1, 3).stream().map(s -> s.error).toList());
        assertTrue(spans.spans.stream().allMatch(s -> s.ended));
    }
}
