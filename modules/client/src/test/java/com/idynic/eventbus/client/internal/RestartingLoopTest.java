package com.idynic.eventbus.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RestartingLoopTest {
    static final Duration DOWN_AFTER = Duration.ofSeconds(2);

    Instant now = Instant.parse("2026-12-10T00:00:00Z");
    final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    final List<Duration> sleeps = new ArrayList<>();
    final List<String> whileBackingOff = new ArrayList<>();
    RestartingLoop loop;

    final Logger log = Logger.getLogger(RestartingLoop.class.getName());
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

    RestartingLoop supervising(Runnable... steps) {
        Iterator<Runnable> it = List.of(steps).iterator();
        loop = new RestartingLoop(
                "eventbus-client-orders",
                () -> it.next().run(),
                new RestartingLoop.Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(60)),
                clock,
                d -> {
                    sleeps.add(d);
                    now = now.plus(d);
                    whileBackingOff.add(loop.state() + (loop.down(DOWN_AFTER) ? " down" : " up"));
                });
        return loop;
    }

    @Test
    void aPullLoopKilledByAnErrorAndThenByARuntimeExceptionIsRestartedWithGrowingBackoffAndReportedDown() {
        List<String> whileRunningAgain = new ArrayList<>();
        supervising(
                        () -> {
                            throw new OutOfMemoryError("Java heap space");
                        },
                        () -> {
                            throw new IllegalStateException("bus not reachable");
                        },
                        () -> {
                            whileRunningAgain.add(loop.state() + (loop.down(DOWN_AFTER) ? " down" : " up"));
                            loop.stop();
                        })
                .run();

        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2)), sleeps);
        assertEquals(
                List.of("BACKING_OFF up", "BACKING_OFF down"),
                whileBackingOff,
                "failing for 1 s, then for 3 s (longer than 2 s)");
        assertEquals(List.of("RUNNING up"), whileRunningAgain);
        assertEquals(2, loop.restarts());
        assertEquals(RestartingLoop.State.STOPPED, loop.state());
        assertEquals(2, logged.size(), "each failure logged once: " + logged);
        assertTrue(logged.get(0).getThrown() instanceof OutOfMemoryError);
        assertTrue(
                logged.get(1).getMessage().contains("'eventbus-client-orders'"),
                logged.get(1).getMessage());
        assertTrue(loop.lastError().contains("bus not reachable"), loop.lastError());
    }

    @Test
    void aPullLoopWhoseThreadWasInterruptedWithoutAStopRequestIsDown() {
        RestartingLoop l = supervising(() -> Thread.currentThread().interrupt());

        l.run();

        assertEquals(RestartingLoop.State.ENDED, l.state());
        assertTrue(l.down(DOWN_AFTER));
        assertTrue(sleeps.isEmpty());
    }

    @Test
    void aLongHealthyRunResetsTheBackoff() {
        supervising(
                        () -> {
                            throw new IllegalStateException("first");
                        },
                        () -> {
                            now = now.plusSeconds(60);
                            throw new IllegalStateException("after a healthy minute");
                        },
                        () -> loop.stop())
                .run();

        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(1)), sleeps);
        assertFalse(loop.down(DOWN_AFTER));
    }
}
