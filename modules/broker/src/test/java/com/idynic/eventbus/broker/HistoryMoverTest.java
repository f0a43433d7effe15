package com.idynic.eventbus.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.idynic.eventbus.broker.spi.DeliveryArchive;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class HistoryMoverTest {
    static final Instant NOW = Instant.parse("2026-12-10T12:00:00Z");
    static final Duration WINDOW = Duration.ofMinutes(10);

    /** Answers each move with the next scripted count (0 once the script is used up), or throws a scripted failure. */
    static final class ScriptedArchive implements DeliveryArchive {
        record Call(Instant before, int limit) {}

        final List<Call> calls = new CopyOnWriteArrayList<>();
        final Deque<Object> script = new ArrayDeque<>();

        @Override
        public int moveFinished(Instant finishedBefore, int limit) {
            calls.add(new Call(finishedBefore, limit));
            Object next;
            synchronized (script) {
                next = script.poll();
            }
            if (next instanceof RuntimeException e) {
                throw e;
            }
            return next == null ? 0 : (Integer) next;
        }
    }

    final ScriptedArchive archive = new ScriptedArchive();
    final HistoryMover mover =
            new HistoryMover(archive, new HistoryMover.Settings(WINDOW), Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void aPassMovesBatchAfterBatchOfRowsFinishedBeforeTheWindowUntilOneIsNotFull() {
        archive.script.addAll(List.of(HistoryMover.BATCH, HistoryMover.BATCH, 12));

        assertEquals(2L * HistoryMover.BATCH + 12, mover.pass());

        ScriptedArchive.Call expected = new ScriptedArchive.Call(NOW.minus(WINDOW), HistoryMover.BATCH);
        assertEquals(List.of(expected, expected, expected), archive.calls);
        assertEquals(2L * HistoryMover.BATCH + 12, mover.movedTotal());
    }

    @Test
    void aPassWithNothingDueAsksOnce() {
        assertEquals(0, mover.pass());
        assertEquals(1, archive.calls.size());
    }

    @Test
    void theLoopOutlivesAFailedPassAndMovesOnTheNext() throws Exception {
        HistoryMover quick = new HistoryMover(
                archive, new HistoryMover.Settings(Duration.ofMillis(200)), Clock.fixed(NOW, ZoneOffset.UTC));
        archive.script.addAll(List.of(new IllegalStateException("database away"), 7));
        Thread loop = new Thread(quick);
        loop.start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (quick.movedTotal() < 7 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(7, quick.movedTotal());
            assertTrue(loop.isAlive(), "still running");
        } finally {
            quick.stop();
            loop.join(10_000);
        }
        assertTrue(!loop.isAlive(), "stopped on request");
    }

    @Test
    void theRestBetweenPassesIsHalfTheWindowWithinBounds() {
        assertEquals(Duration.ofSeconds(30), new HistoryMover.Settings(Duration.ofMinutes(10)).pause());
        assertEquals(Duration.ofSeconds(10), new HistoryMover.Settings(Duration.ofSeconds(20)).pause());
        assertEquals(Duration.ofMillis(100), new HistoryMover.Settings(Duration.ofMillis(20)).pause());
        assertThrows(IllegalArgumentException.class, () -> new HistoryMover.Settings(Duration.ZERO));
    }
}
