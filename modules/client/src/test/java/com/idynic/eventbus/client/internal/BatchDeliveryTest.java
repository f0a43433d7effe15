package com.idynic.eventbus.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.idynic.eventbus.api.EventEnvelope;
import com.idynic.eventbus.client.BusEvent;
import com.idynic.eventbus.client.RejectEvent;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class BatchDeliveryTest {
    static final ExecutorService POOL = Executors.newFixedThreadPool(4);

    @AfterAll
    static void stop() {
        POOL.shutdownNow();
    }

    static BusEvent event(String id, String key) {
        JsonObject meta = key == null
                ? JsonObject.EMPTY_JSON_OBJECT
                : Json.createObjectBuilder().add("partitionKey", key).build();
        return new BusEvent(EventEnvelope.of(id, "it.t", "svc", JsonObject.EMPTY_JSON_OBJECT, meta), 1);
    }

    /** A sink that commits all or nothing, failing the events it is told to. */
    static final class FakeSink implements BatchDelivery.Sink {
        final List<List<String>> calls = Collections.synchronizedList(new ArrayList<>());
        final List<String> committed = Collections.synchronizedList(new ArrayList<>());
        final List<String> nacked = Collections.synchronizedList(new ArrayList<>());
        final Set<String> throwing;
        final Set<String> lost;
        final Set<String> rejecting;

        FakeSink(Set<String> throwing, Set<String> lost, Set<String> rejecting) {
            this.throwing = throwing;
            this.lost = lost;
            this.rejecting = rejecting;
        }

        @Override
        public void deliver(List<BusEvent> events) {
            calls.add(events.stream().map(BusEvent::id).toList());
            for (BusEvent e : events) {
                if (throwing.contains(e.id())) {
                    throw new BatchDelivery.ObserverFailure(e, new IllegalStateException("busy"));
                }
                if (rejecting.contains(e.id())) {
                    throw new BatchDelivery.ObserverFailure(e, new RejectEvent("no tenant"));
                }
            }
            if (events.stream().anyMatch(e -> lost.contains(e.id()))) {
                throw new BatchDelivery.LeaseLost("lost");
            }
            events.forEach(e -> committed.add(e.id()));
        }

        @Override
        public void nack(BusEvent event, String reason, boolean reject) {
            nacked.add(event.id() + (reject ? ":reject" : ":retry"));
        }
    }

    static List<String> ofKey(List<String> ids, String prefix) {
        return ids.stream().filter(i -> i.startsWith(prefix)).toList();
    }

    @Test
    void spreadsKeysOverTheLanesSoThatTheyHoldEquallyManyEventsEachKeyOnOneLaneInBatchOrder() {
        List<BusEvent> batch = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            for (String k : List.of("a", "b", "c", "d")) {
                if (i < 2 || k.equals("a") || k.equals("b")) {
                    batch.add(event(k + i, k));
                }
            }
        }
        batch.add(event("x0", null));
        batch.add(event("y0", null));

        List<List<BusEvent>> lanes = BatchDelivery.lanes(batch, 2);

        assertEquals(
                List.of(
                        List.of("a0", "c0", "a1", "c1", "a2", "a3", "x0"),
                        List.of("b0", "d0", "b1", "d1", "b2", "b3", "y0")),
                lanes.stream().map(l -> l.stream().map(BusEvent::id).toList()).toList());
        assertEquals(
                List.of(List.of("a0", "b0"), List.of()),
                BatchDelivery.lanes(List.of(event("a0", "a"), event("b0", "a")), 2).stream()
                        .map(l -> l.stream().map(BusEvent::id).toList())
                        .toList(),
                "one key: one lane");
    }

    @Test
    void eachKeyIsDeliveredInOrderInCallsOfAtMostTheGroupSize() {
        List<BusEvent> batch = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            for (String k : List.of("a", "b", "c", "d", "e")) {
                batch.add(event(k + i, k));
            }
        }
        FakeSink sink = new FakeSink(Set.of(), Set.of(), Set.of());

        BatchDelivery.Outcome o = new BatchDelivery(sink, 3, 8).deliver(batch, POOL);

        assertEquals(100, o.delivered().size());
        assertEquals(100, sink.committed.size());
        for (String k : List.of("a", "b", "c", "d", "e")) {
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                expected.add(k + i);
            }
            assertEquals(expected, ofKey(sink.committed, k), "order of key " + k);
        }
        assertTrue(sink.calls.stream().allMatch(c -> c.size() <= 8), sink.calls.toString());
        assertTrue(sink.calls.size() < 100, "several events per call: " + sink.calls.size());
    }

    @Test
    void aThrowingObserverNacksItsEventHoldsBackItsKeyAndTheRestOfTheCallIsDeliveredAgain() {
        List<BusEvent> batch = List.of(event("a1", "a"), event("a2", "a"), event("a3", "a"), event("b1", "b"));
        FakeSink sink = new FakeSink(Set.of("a2"), Set.of(), Set.of());

        BatchDelivery.Outcome o = new BatchDelivery(sink, 1, 4).deliver(batch, POOL);

        assertEquals(List.of(List.of("a1", "a2", "a3", "b1"), List.of("a1", "b1")), sink.calls);
        assertEquals(List.of("a1", "b1"), sink.committed);
        assertEquals(List.of("a2:retry"), sink.nacked);
        assertEquals(List.of("a3"), o.skipped().stream().map(BusEvent::id).toList());
    }

    @Test
    void aRejectionGoesToTheDeadLetterQueue() {
        FakeSink sink = new FakeSink(Set.of(), Set.of(), Set.of("n1"));

        new BatchDelivery(sink, 2, 4).deliver(List.of(event("n1", null)), POOL);

        assertEquals(List.of("n1:reject"), sink.nacked);
    }

    @Test
    void aLostLeaseIsRetriedOneEventPerCallAndOnlyItsKeyIsLeftToTheBus() {
        List<BusEvent> batch = List.of(event("a1", "a"), event("b1", "b"), event("a2", "a"), event("b2", "b"));
        FakeSink sink = new FakeSink(Set.of(), Set.of("a1"), Set.of());

        BatchDelivery.Outcome o = new BatchDelivery(sink, 1, 4).deliver(batch, POOL);

        assertEquals(List.of(List.of("a1", "b1", "a2", "b2"), List.of("a1"), List.of("b1"), List.of("b2")), sink.calls);
        assertEquals(List.of("b1", "b2"), sink.committed);
        assertEquals(List.of(), sink.nacked, "a lost lease is not a failure of the event");
        assertEquals(List.of("a1", "a2"), o.skipped().stream().map(BusEvent::id).toList());
    }
}
