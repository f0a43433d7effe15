package com.idynic.eventbus.subscribers.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.idynic.eventbus.api.EventEnvelope;
import com.idynic.eventbus.api.PublishReceipt;
import com.idynic.eventbus.broker.AttemptResult;
import com.idynic.eventbus.broker.Decision;
import com.idynic.eventbus.broker.spi.DeliveryQueue;
import com.idynic.eventbus.broker.spi.Leased;
import com.idynic.eventbus.broker.spi.StoredEvent;
import jakarta.json.JsonObject;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SettleBatcherTest {
    final List<List<Long>> batches = Collections.synchronizedList(new ArrayList<>());
    volatile CountDownLatch hold = new CountDownLatch(0);
    final CountDownLatch entered = new CountDownLatch(1);
    volatile RuntimeException failure;

    /** Only settleAll is used; it records each batch's ids and settles all but id 99 (no longer leased). */
    final DeliveryQueue store = (DeliveryQueue) Proxy.newProxyInstance(
            getClass().getClassLoader(), new Class<?>[] {DeliveryQueue.class}, (proxy, method, args) -> {
                if (!method.getName().equals("settleAll")) {
                    throw new UnsupportedOperationException(method.getName());
                }
                @SuppressWarnings("unchecked")
                List<DeliveryQueue.Settlement> batch = (List<DeliveryQueue.Settlement>) args[0];
                batches.add(batch.stream().map(s -> s.delivery().deliveryId()).toList());
                entered.countDown();
                hold.await(10, TimeUnit.SECONDS);
                if (failure != null) {
                    throw failure;
                }
                Set<Long> settled = new HashSet<>();
                batch.forEach(s -> settled.add(s.delivery().deliveryId()));
                settled.remove(99L);
                return settled;
            });

    static DeliveryQueue.Settlement delivered(long id) {
        var receipt = new PublishReceipt("e" + id, OffsetDateTime.now(), "rcpt");
        var event =
                new StoredEvent(EventEnvelope.of("e" + id, "x", "svc", JsonObject.EMPTY_JSON_OBJECT), receipt, true);
        var attempt = new AttemptResult(
                AttemptResult.Outcome.SUCCESS, Instant.now(), Duration.ofMillis(3), "hook", 204, null, null);
        return new DeliveryQueue.Settlement(
                new Leased(id, "sub", event, 1, null, Instant.now(), false),
                attempt,
                new Decision(Decision.Kind.DELIVERED, null, null));
    }

    @Test
    void outcomesThatArriveWhileABatchIsWrittenGoIntoTheNextOneTransaction() throws Exception {
        SettleBatcher batcher = new SettleBatcher(store, 500);
        hold = new CountDownLatch(1);
        CompletableFuture<CompletableFuture<Boolean>> first =
                CompletableFuture.supplyAsync(() -> batcher.settle(delivered(1)));
        assertTrue(entered.await(5, TimeUnit.SECONDS));
        List<CompletableFuture<Boolean>> later = new ArrayList<>();
        for (long id = 2; id <= 6; id++) {
            later.add(batcher.settle(delivered(id)));
        }
        later.add(batcher.settle(delivered(99)));
        later.forEach(f -> assertFalse(f.isDone(), "queued behind the batch being written"));
        hold.countDown();
        assertTrue(first.get(5, TimeUnit.SECONDS).get(5, TimeUnit.SECONDS));
        for (int i = 0; i < 5; i++) {
            assertTrue(later.get(i).get(5, TimeUnit.SECONDS));
        }
        assertFalse(later.get(5).get(5, TimeUnit.SECONDS), "a delivery no longer leased is reported unsettled");
        assertEquals(List.of(List.of(1L), List.of(2L, 3L, 4L, 5L, 6L, 99L)), batches);
    }

    @Test
    void aFailedWriteFailsEveryOutcomeOfItsBatchAndTheNextBatchStillRuns() throws Exception {
        SettleBatcher batcher = new SettleBatcher(store, 500);
        failure = new IllegalStateException("database down");
        CompletableFuture<Boolean> f = batcher.settle(delivered(1));
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(
                ExecutionException.class, () -> f.get(5, TimeUnit.SECONDS));
        assertEquals("database down", e.getCause().getMessage());
        failure = null;
        assertTrue(batcher.settle(delivered(2)).get(5, TimeUnit.SECONDS));
    }
}
