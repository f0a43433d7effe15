package com.idynic.eventbus.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Pull subscribers against a fake bus: batched acks, nack by exception or by a failed stage, dead-lettering,
 * graceful close, declaring a pull subscription.
 */
class SubscriberTest {
    record OrderPlaced(String orderId, int totalAmount) {}

    FakeBus fake;
    EventBus bus;

    @BeforeEach
    void start() throws Exception {
        fake = new FakeBus();
        bus = EventBus.connect(fake.url(), FakeBus.KEY);
    }

    @AfterEach
    void stop() {
        bus.close();
        fake.close();
    }

    static void await(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(10);
        }
    }

    private static List<String> ids(JsonNode settle) {
        return FakeBus.JSON.convertValue(
                settle.path("eventIds"),
                FakeBus.JSON.getTypeFactory().constructCollectionType(List.class, String.class));
    }

    @Test
    void theEventsOfOnePullAreHandledInOrderWithTypedDataAndAckedInOneRequest() throws Exception {
        for (int i = 1; i <= 3; i++) {
            fake.toPull.add(
                    FakeBus.event("ord-" + i, null, "{\"orderId\":\"ord-" + i + "\",\"totalAmount\":" + i + "}"));
        }
        List<OrderPlaced> seen = new CopyOnWriteArrayList<>();
        Subscriber s = bus.subscribe(
                "reports",
                e -> seen.add(e.data(OrderPlaced.class)),
                SubscribeOptions.defaults().maxEvents(10));
        await(() -> !fake.acks.isEmpty());
        s.close();
        assertEquals(
                List.of(new OrderPlaced("ord-1", 1), new OrderPlaced("ord-2", 2), new OrderPlaced("ord-3", 3)), seen);
        assertEquals(1, fake.acks.size());
        assertEquals(List.of("ord-1", "ord-2", "ord-3"), ids(fake.acks.get(0)));
        assertEquals(0, fake.nacks.size());
    }

    /** As {@code eventbus types java} generates it: the canonical constructor refuses a missing required field. */
    record Placed(String orderId, long totalAmount) {
        static final String TYPE = "order.placed";

        Placed {
            java.util.Objects.requireNonNull(orderId, "orderId is required");
        }
    }

    @Test
    void aTypedSubscriberGetsTheRecordAndDeadLettersOtherTypesAndDataThatDoesNotFit() throws Exception {
        fake.toPull.add(FakeBus.event("ord-1", null, "{\"orderId\":\"ord-1\",\"totalAmount\":5}"));
        fake.toPull.add(FakeBus.event("ord-2", null, "{\"totalAmount\":6}"));
        fake.toPull.add(FakeBus.event("usr-1", null, "{\"userId\":\"u\"}").put("eventType", "user.created"));
        List<String> seen = new CopyOnWriteArrayList<>();

        Subscriber s = bus.subscribe(
                "reports", Placed.TYPE, Placed.class, (order, event) -> seen.add(event.id() + " " + order));
        await(() -> fake.nacks.size() == 2);
        s.close();

        assertEquals(List.of("ord-1 Placed[orderId=ord-1, totalAmount=5]"), seen);
        assertEquals(List.of("ord-1"), ids(fake.acks.get(0)));
        JsonNode badData = fake.nacks.get(0);
        JsonNode otherType = fake.nacks.get(1);
        assertEquals(List.of("ord-2"), ids(badData));
        assertEquals(true, badData.path("reject").asBoolean());
        String reason = badData.path("reason").asText();
        assertEquals(
                "data does not fit Placed: Cannot construct instance of",
                reason.substring(0, "data does not fit Placed: Cannot construct instance of".length()),
                reason);
        assertEquals(true, reason.contains("problem: orderId is required"), reason);
        assertEquals(List.of("usr-1"), ids(otherType));
        assertEquals(true, otherType.path("reject").asBoolean());
        assertEquals(
                "expected order.placed, got user.created",
                otherType.path("reason").asText());
    }

    @Test
    void aThrowingHandlerNacksItsEventAndLeavesTheRestOfItsKeyUnhandled() throws Exception {
        fake.toPull.add(FakeBus.event("a-1", "a", "{}"));
        fake.toPull.add(FakeBus.event("a-2", "a", "{}"));
        fake.toPull.add(FakeBus.event("b-1", "b", "{}"));
        List<String> handled = new CopyOnWriteArrayList<>();
        Subscriber s = bus.subscribe("reports", e -> {
            handled.add(e.id());
            if (e.id().equals("a-1")) {
                throw new IllegalStateException("db busy");
            }
        });
        await(() -> !fake.nacks.isEmpty());
        s.close();
        assertEquals(List.of("a-1", "b-1"), handled, "a-2 waits for a-1's retry");
        assertEquals(List.of("b-1"), ids(fake.acks.get(0)));
        JsonNode nack = fake.nacks.get(0);
        assertEquals(List.of("a-1"), ids(nack));
        assertEquals("IllegalStateException: db busy", nack.path("reason").asText());
        assertFalse(nack.path("reject").asBoolean());
    }

    @Test
    void aRejectExceptionSendsTheEventToTheDeadLetterQueue() throws Exception {
        fake.toPull.add(FakeBus.event("ord-9", null, "{}"));
        Subscriber s = bus.subscribe("reports", e -> {
            throw new RejectException("invalid order");
        });
        await(() -> !fake.nacks.isEmpty());
        s.close();
        assertEquals(true, fake.nacks.get(0).path("reject").asBoolean());
        assertEquals("invalid order", fake.nacks.get(0).path("reason").asText());
    }

    @Test
    void closeLetsTheCurrentBatchFinishAndAcksIt() throws Exception {
        fake.toPull.add(FakeBus.event("ord-1", null, "{}"));
        CountDownLatch inHandler = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Subscriber s = bus.subscribe("reports", e -> {
            inHandler.countDown();
            release.await();
        });
        inHandler.await();
        Thread closer = new Thread(() -> {
            try {
                s.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        closer.start();
        await(() -> closer.getState() == Thread.State.WAITING); // close() is waiting for the worker
        release.countDown();
        closer.join();
        assertFalse(s.running());
        assertEquals(List.of("ord-1"), ids(fake.acks.get(0)));
    }

    @Test
    void anUnknownSubscriptionStopsTheSubscriberWithTheBusError() throws Exception {
        fake.pullStatus = 404;
        Subscriber s = bus.subscribe("nope", e -> {});
        await(() -> !s.running());
        assertEquals("NOT_FOUND", s.failure().orElseThrow().errorCode());
    }

    @Test
    void anAsyncHandlersEventIsSettledByItsStageAndTheNextWaitsForIt() throws Exception {
        fake.toPull.add(FakeBus.event("ord-1", null, "{}"));
        fake.toPull.add(FakeBus.event("ord-2", null, "{}"));
        fake.toPull.add(FakeBus.event("ord-3", null, "{}"));
        Map<String, CompletableFuture<Void>> handed = new ConcurrentHashMap<>();
        Subscriber s = bus.subscribeAsync(
                "reports",
                e -> handed.computeIfAbsent(e.id(), id -> new CompletableFuture<>()),
                SubscribeOptions.defaults().maxEvents(10));
        await(() -> handed.containsKey("ord-1"));
        assertEquals(Set.of("ord-1"), handed.keySet(), "ord-2 waits for ord-1's stage");
        handed.get("ord-1").complete(null);
        await(() -> handed.containsKey("ord-2"));
        handed.get("ord-2").completeExceptionally(new CompletionException(new IllegalStateException("db busy")));
        await(() -> handed.containsKey("ord-3"));
        handed.get("ord-3").completeExceptionally(new RejectException("invalid order"));
        await(() -> fake.nacks.size() == 2);
        s.close();
        assertEquals(List.of("ord-1"), ids(fake.acks.get(0)));
        assertEquals(List.of("ord-2"), ids(fake.nacks.get(0)));
        assertEquals(
                "IllegalStateException: db busy",
                fake.nacks.get(0).path("reason").asText());
        assertFalse(fake.nacks.get(0).path("reject").asBoolean());
        assertEquals(List.of("ord-3"), ids(fake.nacks.get(1)));
        assertEquals("invalid order", fake.nacks.get(1).path("reason").asText());
        assertEquals(true, fake.nacks.get(1).path("reject").asBoolean());
    }

    @Test
    void anAsyncStageStillOpenAtTheAckDeadlineNacksItsEvent() throws Exception {
        fake.toPull.add(FakeBus.event("ord-1", null, "{}"));
        Subscriber s = bus.subscribeAsync(
                "reports",
                e -> new CompletableFuture<Void>(),
                SubscribeOptions.defaults().ackDeadline(Duration.ofSeconds(1)));
        await(() -> !fake.nacks.isEmpty());
        s.close();
        assertEquals(List.of("ord-1"), ids(fake.nacks.get(0)));
        assertEquals(
                "TimeoutException: not settled within the ack deadline of PT1S",
                fake.nacks.get(0).path("reason").asText());
        assertEquals(0, fake.acks.size());
    }

    @Test
    void declarePullSubscriptionPutsItsTypesOrderingAndAttempts() {
        bus.declarePullSubscription("orders", List.of("order.*", "refund.issued"), false, 3);
        assertEquals(
                "{\"eventTypes\":[\"order.*\",\"refund.issued\"],\"target\":{\"type\":\"pull\"},"
                        + "\"ordering\":\"unordered\",\"retryPolicy\":{\"maxAttempts\":3}}",
                fake.subscriptions.get("orders").toString());
        bus.declarePullSubscription("ledger", List.of("order.placed"), true, 0);
        assertEquals(
                "{\"eventTypes\":[\"order.placed\"],\"target\":{\"type\":\"pull\"},\"ordering\":\"ordered\"}",
                fake.subscriptions.get("ledger").toString());
    }
}
