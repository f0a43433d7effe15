package com.idynic.eventbus.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.idynic.eventbus.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SupervisedLoopTest {
    final SettableClock clock = new SettableClock(Instant.parse("2026-12-10T00:00:00Z"));
    final List<Duration> sleeps = new ArrayList<>();
    /** Runs at the end of each backoff, once the fake clock has moved on by it. */
    Runnable duringBackoff = () -> {};

    final SupervisedLoop.Sleeper sleeper = d -> {
        sleeps.add(d);
        clock.advance(d);
        duringBackoff.run();
    };
    final Loops loops = new Loops(
            new Loops.Settings(
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(30),
                    Duration.ofSeconds(60),
                    Duration.ofSeconds(2),
                    Duration.ofSeconds(120)),
            clock,
            sleeper);

    final Logger log = Logger.getLogger(SupervisedLoop.class.getName());
    final List<LogRecord> logged = new ArrayList<>();
    final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            logged.add(r);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeEach
    void captureLog() {
        log.addHandler(capture);
    }

    @AfterEach
    void releaseLog() {
        log.removeHandler(capture);
        Thread.interrupted();
    }

    /** A body that runs the given steps, one per (re)start. */
    static Runnable steps(Runnable... steps) {
        Iterator<Runnable> it = List.of(steps).iterator();
        return () -> it.next().run();
    }

    Loops.Check check(String name) {
        return loops.check().stream()
                .filter(c -> c.loop().name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no loop named " + name + " in " + loops.check()));
    }

    @Test
    void aLoopKilledByAnErrorAndThenByARuntimeExceptionIsRestartedEachTimeWithGrowingBackoffAndReportedByName() {
        SupervisedLoop[] loop = new SupervisedLoop[1];
        List<Loops.Check> whileBackingOff = new ArrayList<>();
        duringBackoff = () -> whileBackingOff.add(check("retention"));
        List<Loops.Check> whileRunningAgain = new ArrayList<>();
        loop[0] = loops.supervise(
                "retention",
                steps(
                        () -> {
                            throw new OutOfMemoryError("Java heap space");
                        },
                        () -> {
                            throw new IllegalStateException("database gone");
                        },
                        () -> {
                            whileRunningAgain.add(check("retention"));
                            loop[0].stop();
                        }),
                () -> {});

        loop[0].run();

        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2)), sleeps, "restarted twice, backoff grows");
        Loops.Check afterError = whileBackingOff.get(0);
        assertEquals(SupervisedLoop.State.BACKING_OFF, afterError.loop().state());
        assertTrue(afterError.summary().contains("java.lang.OutOfMemoryError: Java heap space"), afterError.summary());
        assertFalse(afterError.down(), "a first failure is not yet down: " + afterError);
        Loops.Check afterSecond = whileBackingOff.get(1);
        assertTrue(afterSecond.down(), "failing for longer than downAfter (2 s): " + afterSecond);
        assertEquals(SupervisedLoop.State.BACKING_OFF, afterSecond.loop().state());
        assertTrue(afterSecond.summary().contains("database gone"), afterSecond.summary());
        Loops.Check running = whileRunningAgain.get(0);
        assertEquals(SupervisedLoop.State.RUNNING, running.loop().state());
        assertFalse(running.down(), running.toString());
        assertEquals(2, running.loop().restarts());

        assertEquals(2, logged.size(), "each failure logged once: " + logged);
        assertTrue(logged.stream().allMatch(r -> r.getLevel() == Level.SEVERE));
        assertTrue(logged.stream().allMatch(r -> r.getMessage().contains("'retention'")));
        assertTrue(logged.get(0).getThrown() instanceof OutOfMemoryError);
        assertTrue(logged.get(1).getThrown() instanceof IllegalStateException);
        assertEquals(SupervisedLoop.State.STOPPED, loop[0].status().state());
    }

    @Test
    void theBackoffDoublesUpToItsMaximum() {
        AtomicInteger runs = new AtomicInteger();
        SupervisedLoop[] loop = new SupervisedLoop[1];
        loop[0] = loops.supervise(
                "relay",
                () -> {
                    if (runs.incrementAndGet() == 8) {
                        loop[0].stop();
                        return;
                    }
                    throw new IllegalStateException("fails again");
                },
                () -> {});

        loop[0].run();

        assertEquals(
                List.of(1L, 2L, 4L, 8L, 16L, 30L, 30L),
                sleeps.stream().map(Duration::toSeconds).toList());
    }

    @Test
    void aRunThatLastedTheHealthyRunTimeResetsTheBackoffAndTheFailingStreak() {
        SupervisedLoop[] loop = new SupervisedLoop[1];
        List<Loops.Check> whileBackingOff = new ArrayList<>();
        duringBackoff = () -> whileBackingOff.add(check("webhooks"));
        loop[0] = loops.supervise(
                "webhooks",
                steps(
                        () -> {
                            throw new IllegalStateException("first");
                        },
                        () -> {
                            throw new IllegalStateException("second");
                        },
                        () -> {
                            clock.advance(Duration.ofSeconds(60));
                            throw new IllegalStateException("after a long, healthy run");
                        },
                        () -> loop[0].stop()),
                () -> {});

        loop[0].run();

        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(1)), sleeps);
        assertFalse(whileBackingOff.get(2).down(), "a new streak starts: " + whileBackingOff.get(2));
    }

    @Test
    void aBodyThatReturnsWithoutBeingStoppedIsRestarted() {
        SupervisedLoop[] loop = new SupervisedLoop[1];
        loop[0] = loops.supervise("replays", steps(() -> {}, () -> loop[0].stop()), () -> {});

        loop[0].run();

        assertEquals(List.of(Duration.ofSeconds(1)), sleeps);
        assertEquals(1, logged.size());
        assertTrue(
                logged.get(0).getMessage().contains("returned without being stopped"),
                logged.get(0).getMessage());
        assertNull(logged.get(0).getThrown());
    }

    @Test
    void aLoopWhoseThreadWasInterruptedWithoutAStopRequestIsDownByName() {
        SupervisedLoop loop =
                loops.supervise("dispatch", () -> Thread.currentThread().interrupt(), () -> {});

        loop.run();

        Loops.Check c = check("dispatch");
        assertEquals(SupervisedLoop.State.ENDED, c.loop().state());
        assertTrue(c.down(), c.toString());
        assertTrue(sleeps.isEmpty());
    }

    @Test
    void stoppingALoopRunsTheBodysStopAndALoopStoppedWhileBackingOffDoesNotRunAgain() {
        AtomicInteger runs = new AtomicInteger();
        AtomicInteger bodyStops = new AtomicInteger();
        SupervisedLoop loop = loops.supervise(
                "publish-writer-0",
                () -> {
                    runs.incrementAndGet();
                    throw new IllegalStateException("fails");
                },
                bodyStops::incrementAndGet);
        duringBackoff = loop::stop;

        loop.run();

        assertEquals(1, runs.get());
        assertEquals(1, bodyStops.get());
        assertEquals(SupervisedLoop.State.STOPPED, loop.status().state());
        assertFalse(check("publish-writer-0").down());
    }

    @Test
    void aLoopWithWorkWaitingAndNoProgressForLongerThanTheLimitIsDownAndProgressOrNoWorkBringsItBack() {
        long[] backlog = {0};
        boolean[] unknown = {false};
        SupervisedLoop[] loop = new SupervisedLoop[1];
        List<Loops.Check> seen = new ArrayList<>();
        loop[0] = loops.supervise(
                "relay",
                () -> {
                    clock.advance(Duration.ofSeconds(600));
                    seen.add(check("relay")); // idle for 10 minutes: nothing waits
                    backlog[0] = 42;
                    clock.advance(Duration.ofSeconds(120));
                    seen.add(check("relay")); // exactly the limit
                    clock.advance(Duration.ofSeconds(1));
                    seen.add(check("relay")); // stuck
                    loop[0].progressed();
                    seen.add(check("relay")); // moved again
                    clock.advance(Duration.ofSeconds(121));
                    unknown[0] = true;
                    seen.add(check("relay")); // the store cannot say
                    loop[0].stop();
                },
                () -> {},
                () -> {
                    if (unknown[0]) {
                        throw new IllegalStateException("PostgreSQL down");
                    }
                    return OptionalLong.of(backlog[0]);
                });

        loop[0].run();

        assertFalse(seen.get(0).down(), seen.get(0).toString());
        assertFalse(seen.get(1).down(), seen.get(1).toString());
        assertTrue(seen.get(2).down(), seen.get(2).toString());
        assertTrue(
                seen.get(2).summary().contains("no progress for 121 s while 42 wait"),
                seen.get(2).summary());
        assertFalse(seen.get(3).down(), seen.get(3).toString());
        assertFalse(seen.get(4).down(), seen.get(4).toString());
    }

    @Test
    void aLoopNotStartedYetIsListedButNotDown() {
        loops.supervise("retention", () -> {}, () -> {});

        Loops.Check c = check("retention");
        assertEquals(SupervisedLoop.State.NEW, c.loop().state());
        assertFalse(c.down());
        assertEquals("NEW", c.summary());
    }
}
