package com.idynic.eventbus.subscribers.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.idynic.eventbus.api.EventEnvelope;
import com.idynic.eventbus.api.PublishReceipt;
import com.idynic.eventbus.broker.spi.Leased;
import com.idynic.eventbus.broker.spi.StoredEvent;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Runs of an ordered subscription's keys on lanes: one key per lane in order, keys in parallel, stops per key. */
class KeyLanesTest {
    static long ids;

    /** A leased event {@code key:n} of the key (null: no key). */
    static Leased leased(String key, int n) {
        long id = ++ids;
        JsonObject metadata = key == null
                ? JsonObject.EMPTY_JSON_OBJECT
                : Json.createObjectBuilder().add("partitionKey", key).build();
        String eventId = key + ":" + n;
        EventEnvelope e = EventEnvelope.of(eventId, "user.created", "svc", JsonObject.EMPTY_JSON_OBJECT, metadata);
        PublishReceipt r = new PublishReceipt(eventId, OffsetDateTime.of(2026, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC), "r");
        return new Leased(id, "hook", new StoredEvent(e, r, true), 1, null, Instant.EPOCH, false);
    }

    static List<String> ids(Iterable<Leased> events) {
        List<String> out = new ArrayList<>();
        events.forEach(l -> out.add(l.event().envelope().id()));
        return out;
    }

    /** Sends that complete when the test says so, remembering the order in which they started. */
    static final class Calls implements Function<Leased, CompletableFuture<KeyLanes.Step>> {
        final List<String> started = new ArrayList<>();
        final Map<String, CompletableFuture<KeyLanes.Step>> open = new HashMap<>();

        @Override
        public CompletableFuture<KeyLanes.Step> apply(Leased l) {
            String id = l.event().envelope().id();
            started.add(id);
            CompletableFuture<KeyLanes.Step> f = new CompletableFuture<>();
            open.put(id, f);
            return f;
        }

        void finish(String id, KeyLanes.Step step) {
            open.remove(id).complete(step);
        }
    }

    @Test
    void splitsKeysOverAtMostTheLanesAllowedKeepingEachKeysEventsTogetherAndInOrder() {
        List<Leased> batch = List.of(
                leased("a", 1), leased("b", 1), leased("a", 2), leased(null, 1), leased("c", 1), leased("b", 2));

        List<Deque<Leased>> lanes = KeyLanes.split(batch, 2);

        assertEquals(2, lanes.size());
        assertEquals(List.of("a:1", "a:2", "null:1"), ids(lanes.get(0)));
        assertEquals(List.of("b:1", "c:1", "b:2"), ids(lanes.get(1)));
        assertEquals(
                1, KeyLanes.split(List.of(leased("a", 3), leased("a", 4)), 5).size(), "one key: one lane");
    }

    @Test
    void sendsAKeysNextEventOnlyAfterTheOneBeforeItWasSettled() {
        Calls calls = new Calls();
        List<Leased> released = new ArrayList<>();
        Deque<Leased> lane = new ArrayDeque<>(List.of(leased("a", 1), leased("a", 2), leased("b", 1)));

        CompletableFuture<Void> done = KeyLanes.run(lane, calls, l -> true, released::addAll);

        assertEquals(List.of("a:1"), calls.started);
        calls.finish("a:1", KeyLanes.Step.NEXT);
        assertEquals(List.of("a:1", "a:2"), calls.started);
        calls.finish("a:2", KeyLanes.Step.NEXT);
        calls.finish("b:1", KeyLanes.Step.NEXT);
        assertTrue(done.isDone());
        assertEquals(List.of(), released);
    }

    @Test
    void aKeyWhoseEventWasNotDeliveredSendsNoneOfItsLaterEventsAndReleasesThemWhileOtherKeysGoOn() {
        Calls calls = new Calls();
        List<Leased> released = new ArrayList<>();
        Deque<Leased> lane = new ArrayDeque<>(
                List.of(leased("a", 1), leased("b", 1), leased("a", 2), leased("b", 2), leased("a", 3)));

        CompletableFuture<Void> done = KeyLanes.run(lane, calls, l -> true, released::addAll);
        calls.finish("a:1", KeyLanes.Step.STOP_KEY);
        calls.finish("b:1", KeyLanes.Step.NEXT);
        calls.open.remove("b:2").completeExceptionally(new IllegalStateException("the settle failed"));

        assertEquals(List.of("a:1", "b:1", "b:2"), calls.started);
        assertEquals(List.of("a:2", "a:3"), ids(released));
        assertTrue(done.isDone());
    }

    @Test
    void anEventWhoseLeaseWouldLapseBeforeItsCallEndsIsReleasedWithTheRestOfItsLane() {
        Calls calls = new Calls();
        List<Leased> released = new ArrayList<>();
        Set<String> late = Set.of("b:1");
        Deque<Leased> lane = new ArrayDeque<>(List.of(leased("a", 1), leased("b", 1), leased("a", 2)));

        CompletableFuture<Void> done = KeyLanes.run(
                lane, calls, l -> !late.contains(l.event().envelope().id()), released::addAll);
        calls.finish("a:1", KeyLanes.Step.NEXT);

        assertEquals(List.of("a:1"), calls.started);
        assertEquals(List.of("b:1", "a:2"), ids(released));
        assertTrue(done.isDone());
    }
}
