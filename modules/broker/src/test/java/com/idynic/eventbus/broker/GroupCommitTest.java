package com.idynic.eventbus.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.ErrorCode;
import com.idynic.eventbus.api.PublishReceipt;
import com.idynic.eventbus.broker.spi.EventBatchStore;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GroupCommitTest {
    /** A store that remembers ids, records each batch's ids, and can be held or made to fail. */
    static final class FakeStore implements EventBatchStore {
        final Set<String> ids = Collections.synchronizedSet(new HashSet<>());
        final List<List<String>> batches = Collections.synchronizedList(new ArrayList<>());
        volatile CountDownLatch hold = new CountDownLatch(0);
        volatile CountDownLatch entered = new CountDownLatch(1);
        volatile Function<List<Entry>, RuntimeException> failure = b -> null;

        @Override
        public Set<String> appendAll(List<Entry> batch) {
            List<String> batchIds = batch.stream().map(e -> e.event().id()).toList();
            batches.add(batchIds);
            entered.countDown();
            try {
                hold.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            RuntimeException f = failure.apply(batch);
            if (f != null) {
                throw f;
            }
            Set<String> stored = new HashSet<>();
            for (String id : batchIds) {
                if (ids.add(id)) {
                    stored.add(id);
                }
            }
            return stored;
        }
    }

    final FakeStore store = new FakeStore();
    final ExecutorService callers = Executors.newFixedThreadPool(16);
    final Loops loops = new Loops(
            new Loops.Settings(
                    Duration.ofMillis(1),
                    Duration.ofMillis(1),
                    Duration.ofSeconds(60),
                    Duration.ofSeconds(60),
                    Duration.ofSeconds(120)),
            Clock.systemUTC(),
            d -> {});
    GroupCommit commit;

    @AfterEach
    void stop() {
        callers.shutdownNow();
        if (commit != null) {
            commit.close();
        }
    }

    GroupCommit start(int writers, int queue) {
        commit = new GroupCommit(store, writers, 500, queue, Duration.ofSeconds(5), Thread::new, loops);
        return commit;
    }

    static PublishReceipt receipt(String id) {
        return new PublishReceipt(id, OffsetDateTime.parse("2026-11-30T10:00:00Z"), "rcpt-" + id);
    }

    Future<Boolean> publish(String id) {
        return callers.submit(() -> commit.append(PublishServiceTest.event(id, "x"), receipt(id)));
    }

    @Test
    void publishesThatArriveDuringACommitShareTheNextOne() throws Exception {
        start(1, 100);
        store.hold = new CountDownLatch(1);
        Future<Boolean> first = publish("e-0");
        assertTrue(store.entered.await(5, TimeUnit.SECONDS));
        List<Future<Boolean>> rest = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            rest.add(publish("e-" + i));
        }
        waitUntil(() -> queued(10));
        store.hold.countDown();
        assertTrue(first.get(5, TimeUnit.SECONDS));
        for (Future<Boolean> f : rest) {
            assertTrue(f.get(5, TimeUnit.SECONDS));
        }
        assertEquals(2, store.batches.size(), "one commit for the first, one for the ten that waited");
        assertEquals(10, store.batches.get(1).size());
    }

    @Test
    void noCallerIsAnsweredBeforeItsBatchCommitted() throws Exception {
        start(1, 100);
        store.hold = new CountDownLatch(1);
        Future<Boolean> f = publish("e-1");
        assertTrue(store.entered.await(5, TimeUnit.SECONDS));
        Thread.sleep(50);
        assertFalse(f.isDone(), "answered while its transaction was still open");
        store.hold.countDown();
        assertTrue(f.get(5, TimeUnit.SECONDS));
    }

    @Test
    void aRepeatedIdInOneBatchIsWrittenOnceAndTheRepeatIsToldTaken() throws Exception {
        start(1, 100);
        store.hold = new CountDownLatch(1);
        Future<Boolean> blocker = publish("e-0");
        assertTrue(store.entered.await(5, TimeUnit.SECONDS));
        Future<Boolean> a = publish("dup");
        waitUntil(() -> queued(1));
        Future<Boolean> b = publish("dup");
        waitUntil(() -> queued(2));
        store.hold.countDown();
        blocker.get(5, TimeUnit.SECONDS);
        assertTrue(a.get(5, TimeUnit.SECONDS), "the first of the two is stored");
        assertFalse(b.get(5, TimeUnit.SECONDS), "the repeat finds the id taken");
        assertEquals(List.of("dup"), store.batches.get(1), "the id goes to the store once");
    }

    @Test
    void aFailedBatchIsRetriedOneByOneSoOnlyTheRefusedEventFails() throws Exception {
        start(1, 100);
        store.hold = new CountDownLatch(1);
        Future<Boolean> blocker = publish("e-0");
        assertTrue(store.entered.await(5, TimeUnit.SECONDS));
        store.failure = b -> b.stream().anyMatch(e -> e.event().id().equals("bad"))
                ? new IllegalStateException("value too long")
                : null;
        Future<Boolean> ok1 = publish("ok-1");
        Future<Boolean> bad = publish("bad");
        Future<Boolean> ok2 = publish("ok-2");
        waitUntil(() -> queued(3));
        store.hold.countDown();
        blocker.get(5, TimeUnit.SECONDS);
        assertTrue(ok1.get(5, TimeUnit.SECONDS));
        assertTrue(ok2.get(5, TimeUnit.SECONDS));
        var thrown = assertThrows(java.util.concurrent.ExecutionException.class, () -> bad.get(5, TimeUnit.SECONDS));
        assertEquals("value too long", thrown.getCause().getMessage());
        assertEquals(Set.of("e-0", "ok-1", "ok-2"), store.ids);
    }

    @Test
    void aWriterKilledByAnErrorAnswersItsBatchWithTheErrorAndIsRestarted() throws Exception {
        start(1, 100);
        store.failure = b -> {
            throw new OutOfMemoryError("Java heap space");
        };
        Future<Boolean> killed = publish("e-1");
        ExecutionException thrown = assertThrows(ExecutionException.class, () -> killed.get(5, TimeUnit.SECONDS));
        assertTrue(thrown.getCause().getCause() instanceof OutOfMemoryError, String.valueOf(thrown.getCause()));
        store.failure = b -> null;
        assertTrue(publish("e-2").get(5, TimeUnit.SECONDS), "a writer stores publishes again");
        SupervisedLoop.Status writer =
                loops.find("publish-writer-0").orElseThrow().status();
        assertEquals(1, writer.restarts(), writer.toString());
        assertTrue(writer.lastError().contains("OutOfMemoryError"), writer.toString());
    }

    @Test
    void aFullQueueRefusesPublishAsOverloaded() throws Exception {
        start(1, 1);
        store.hold = new CountDownLatch(1);
        Future<Boolean> writing = publish("e-0");
        assertTrue(store.entered.await(5, TimeUnit.SECONDS));
        Future<Boolean> queuedOne = publish("e-1");
        waitUntil(() -> queued(1));
        BusException e = assertThrows(
                BusException.class, () -> commit.append(PublishServiceTest.event("e-2", "x"), receipt("e-2")));
        assertEquals(ErrorCode.OVERLOADED, e.errorCode());
        store.hold.countDown();
        assertTrue(writing.get(5, TimeUnit.SECONDS));
        assertTrue(queuedOne.get(5, TimeUnit.SECONDS));
    }

    /** The queue is private; callers that have not been answered and are not in the store are queued. */
    private boolean queued(int n) {
        try {
            java.lang.reflect.Field f = GroupCommit.class.getDeclaredField("queue");
            f.setAccessible(true);
            return ((java.util.Queue<?>) f.get(commit)).size() >= n;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 5 s");
            }
            Thread.sleep(5);
        }
    }
}
