package com.idynic.eventbus.subscribers.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.ErrorCode;
import com.idynic.eventbus.broker.Signal;
import com.idynic.eventbus.broker.spi.Leased;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class LongPollsTest {
    private static final Duration FIVE_SECONDS = Duration.ofSeconds(5);
    private static final List<Leased> ONE_EVENT = List.of(new Leased(1, "sub", null, 1, null, Instant.EPOCH, false));

    private final Signal enqueued = new Signal();
    private final ManualTimer timer = new ManualTimer();
    private final ManualExecutor leasing = new ManualExecutor();
    private final ScriptedLeases leases = new ScriptedLeases();

    private LongPolls polls(int maxPerService) {
        return new LongPolls(maxPerService, enqueued, leasing, timer, LongPolls.RECHECK);
    }

    @Test
    void aPullThatFindsEventsAtOnceIsAnsweredWithoutWaiting() throws Exception {
        leases.next(ONE_EVENT);

        CompletableFuture<List<Leased>> answer = polls(1).pull("billing", FIVE_SECONDS, leases);

        assertSame(ONE_EVENT, answer.get());
        assertEquals(0, timer.pending(), "nothing left scheduled");
    }

    @Test
    void anEmptyLongPollReturnsTheCallingThreadAndIsAnsweredEmptyExactlyWhenItsWaitEnds() throws Exception {
        LongPolls polls = polls(1);

        CompletableFuture<List<Leased>> answer = polls.pull("billing", FIVE_SECONDS, leases);
        assertFalse(answer.isDone(), "the caller got its thread back while the pull waits");
        assertEquals(1, polls.waiting());
        for (int i = 0; i < 24; i++) {
            timer.advance(LongPolls.RECHECK);
            leasing.runAll();
        }
        timer.advance(Duration.ofMillis(199));
        leasing.runAll();
        assertFalse(answer.isDone(), "answered before its wait ended");

        timer.advance(Duration.ofMillis(1));

        assertEquals(List.of(), answer.get());
        assertEquals(0, polls.waiting());
        assertEquals(0, timer.pending(), "the recheck is cancelled with the answer");
        assertTrue(leases.calls > 2, "a waiting pull leases again on every recheck: " + leases.calls);
    }

    @Test
    void theSignalWakesAWaitingPullWhichIsAnsweredWithWhatItLeasesAndGivesItsSlotBack() throws Exception {
        LongPolls polls = polls(1);
        CompletableFuture<List<Leased>> answer = polls.pull("billing", FIVE_SECONDS, leases);
        leases.next(ONE_EVENT);

        enqueued.raise();
        leasing.runAll();

        assertSame(ONE_EVENT, answer.get());
        assertEquals(0, timer.pending(), "the wait's end and the recheck are cancelled");
        assertFalse(polls.pull("billing", FIVE_SECONDS, leases).isDone(), "the slot came back");
    }

    @Test
    void whenTheWaitEndsDuringALeaseTheEventsItLeasedAreAnsweredNotStranded() throws Exception {
        CompletableFuture<List<Leased>> answer = polls(1).pull("billing", FIVE_SECONDS, leases);
        leases.next(() -> {
            timer.advance(FIVE_SECONDS);
            return ONE_EVENT;
        });

        enqueued.raise();
        leasing.runAll();

        assertSame(ONE_EVENT, answer.get());
    }

    @Test
    void whenTheWaitEndsDuringAnEmptyLeaseThePullIsAnsweredAsSoonAsThatLeaseReturns() throws Exception {
        CompletableFuture<List<Leased>> answer = polls(1).pull("billing", FIVE_SECONDS, leases);
        leases.next(() -> {
            timer.advance(FIVE_SECONDS);
            return List.of();
        });

        enqueued.raise();
        leasing.runAll();

        assertEquals(List.of(), answer.get());
        assertEquals(0, timer.pending(), "no recheck after the wait ended");
    }

    @Test
    void aSignalDuringALeaseMakesThePullLeaseOnceMoreWithoutWaitingForTheRecheck() throws Exception {
        CompletableFuture<List<Leased>> answer = polls(1).pull("billing", FIVE_SECONDS, leases);
        leases.next(() -> {
            enqueued.raise();
            return List.of();
        });
        leases.next(ONE_EVENT);

        enqueued.raise();
        leasing.runAll();

        assertSame(ONE_EVENT, answer.get());
    }

    @Test
    void afterAnEmptyLeaseSignalsGatherForTheQuietTimeAndThenLeaseOnce() throws Exception {
        Duration quiet = Duration.ofMillis(20);
        LongPolls polls = new LongPolls(1, enqueued, leasing, timer, LongPolls.RECHECK, quiet);
        CompletableFuture<List<Leased>> answer = polls.pull("billing", FIVE_SECONDS, leases);
        enqueued.raise();
        leasing.runAll();
        assertEquals(2, leases.calls, "the first signal leases at once");

        for (int i = 0; i < 5; i++) {
            enqueued.raise();
        }
        timer.advance(quiet.minusMillis(1));
        assertEquals(0, leasing.queued(), "no lease within the quiet time, however many signals");
        leases.next(ONE_EVENT);
        timer.advance(Duration.ofMillis(1));
        assertEquals(1, leasing.queued(), "the gathered signals lease once");
        leasing.runAll();

        assertSame(ONE_EVENT, answer.get());
        assertEquals(3, leases.calls);
    }

    @Test
    void aQuietTimeWithoutSignalsWaitsForTheNextSignal() {
        Duration quiet = Duration.ofMillis(20);
        LongPolls polls = new LongPolls(1, enqueued, leasing, timer, LongPolls.RECHECK, quiet);
        polls.pull("billing", FIVE_SECONDS, leases);
        enqueued.raise();
        leasing.runAll();

        timer.advance(quiet);
        assertEquals(0, leasing.queued(), "nothing came: no lease");
        enqueued.raise();
        assertEquals(1, leasing.queued());
    }

    @Test
    void aSignalWhileTheLeaseIsQueuedLeasesOnlyOnce() {
        polls(1).pull("billing", FIVE_SECONDS, leases);

        enqueued.raise();
        enqueued.raise();
        timer.advance(LongPolls.RECHECK);

        assertEquals(1, leasing.queued(), "one waiter, one queued lease");
    }

    @Test
    void theSlotIsGivenBackExactlyOnceWhenTheCallerGoesAwayAndTheWaitThenEnds() {
        LongPolls polls = polls(1);
        CompletableFuture<List<Leased>> gone = polls.pull("billing", FIVE_SECONDS, leases);

        gone.cancel(false);
        timer.advance(FIVE_SECONDS);
        leasing.runAll();

        assertEquals(0, polls.waiting());
        polls.pull("billing", FIVE_SECONDS, leases);
        BusException e = assertThrows(BusException.class, () -> polls.pull("billing", FIVE_SECONDS, leases));
        assertEquals(1, e.details().get("inFlight"), "a slot given back twice would let a second poll in");
    }

    @Test
    void aLeaseThatFailsWhileWaitingFailsTheAnswerAndGivesTheSlotBack() {
        LongPolls polls = polls(1);
        CompletableFuture<List<Leased>> answer = polls.pull("billing", FIVE_SECONDS, leases);
        IllegalStateException down = new IllegalStateException("database down");
        leases.next(() -> {
            throw down;
        });

        enqueued.raise();
        leasing.runAll();

        ExecutionException failed = assertThrows(ExecutionException.class, answer::get);
        assertSame(down, failed.getCause());
        assertFalse(polls.pull("billing", FIVE_SECONDS, leases).isDone(), "the slot came back");
    }

    @Test
    void aFirstLeaseThatFailsIsThrownToTheCallerAndGivesTheSlotBack() {
        LongPolls polls = polls(1);
        leases.next(() -> {
            throw new IllegalStateException("database down");
        });

        assertThrows(IllegalStateException.class, () -> polls.pull("billing", FIVE_SECONDS, leases));

        assertFalse(polls.pull("billing", FIVE_SECONDS, leases).isDone(), "the slot came back");
    }

    @Test
    void aServiceHoldingAllItsSlotsIsRefusedWithTheLimitAndARetryAfterOfOneSecond() {
        LongPolls polls = polls(2);
        polls.pull("billing", FIVE_SECONDS, leases);
        polls.pull("billing", FIVE_SECONDS, leases);

        BusException e = assertThrows(BusException.class, () -> polls.pull("billing", FIVE_SECONDS, leases));

        assertEquals(ErrorCode.RATE_LIMITED, e.errorCode());
        assertEquals(2, e.details().get("limit"));
        assertEquals(2, e.details().get("inFlight"));
        assertEquals(1, e.details().get("retryAfterSeconds"));
        assertEquals(2, leases.calls, "a refused pull leases nothing");
    }

    @Test
    void pullsWithoutWaitOtherServicesAndAnsweredPollsAreNotCounted() throws Exception {
        LongPolls polls = polls(1);
        CompletableFuture<List<Leased>> held = polls.pull("billing", FIVE_SECONDS, leases);

        assertEquals(List.of(), polls.pull("billing", Duration.ZERO, leases).get());
        assertFalse(polls.pull("reports", FIVE_SECONDS, leases).isDone());
        timer.advance(FIVE_SECONDS);
        assertEquals(List.of(), held.get());

        assertFalse(polls.pull("billing", FIVE_SECONDS, leases).isDone());
    }

    /** Leases that answer as scripted, then nothing. */
    private static final class ScriptedLeases implements Supplier<List<Leased>> {
        private final Deque<Supplier<List<Leased>>> script = new ArrayDeque<>();
        int calls;

        void next(List<Leased> events) {
            script.add(() -> events);
        }

        void next(Supplier<List<Leased>> lease) {
            script.add(lease);
        }

        @Override
        public List<Leased> get() {
            calls++;
            Supplier<List<Leased>> s = script.poll();
            return s == null ? List.of() : s.get();
        }
    }

    /** Runs queued tasks only when the test says so, on the test's thread. */
    private static final class ManualExecutor implements Executor {
        private final Deque<Runnable> queue = new ArrayDeque<>();

        @Override
        public void execute(Runnable task) {
            queue.add(task);
        }

        void runAll() {
            for (Runnable r = queue.poll(); r != null; r = queue.poll()) {
                r.run();
            }
        }

        int queued() {
            return queue.size();
        }
    }

    /** A timer whose time moves only when the test advances it; due tasks run in time order, then in order given. */
    private static final class ManualTimer implements LongPolls.Timer {
        private final List<Task> tasks = new ArrayList<>();
        private long now;
        private long sequence;

        private static final class Task {
            final long at;
            final long order;
            final Runnable run;
            boolean over;

            Task(long at, long order, Runnable run) {
                this.at = at;
                this.order = order;
                this.run = run;
            }
        }

        @Override
        public Runnable schedule(Duration delay, Runnable run) {
            Task t = new Task(now + delay.toMillis(), sequence++, run);
            tasks.add(t);
            return () -> t.over = true;
        }

        void advance(Duration d) {
            long target = now + d.toMillis();
            while (true) {
                Task next = tasks.stream()
                        .filter(t -> !t.over && t.at <= target)
                        .min(Comparator.<Task>comparingLong(t -> t.at).thenComparingLong(t -> t.order))
                        .orElse(null);
                if (next == null) {
                    break;
                }
                now = next.at;
                next.over = true;
                next.run.run();
            }
            now = target;
        }

        int pending() {
            return (int) tasks.stream().filter(t -> !t.over).count();
        }
    }
}
