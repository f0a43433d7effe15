package com.idynic.eventbus.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.ErrorCode;
import com.idynic.eventbus.testing.SettableClock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BackpressureTest {
    @Test
    void refusesWithRetryAfterOnceTheBacklogReachesTheThresholdAndAcceptsAgainWhenItDrains() {
        AtomicLong backlog = new AtomicLong(99);
        AtomicInteger counts = new AtomicInteger();
        SettableClock clock = SettableClock.at("2026-11-27T12:00:00Z");
        Backpressure b = new Backpressure(
                () -> {
                    counts.incrementAndGet();
                    return backlog.get();
                },
                () -> 1_000,
                100,
                Duration.ofSeconds(60),
                Duration.ofSeconds(3),
                clock);
        b.check();
        backlog.set(150);
        b.check();
        assertEquals(1, counts.get(), "counted at most once a second");
        clock.advance(Duration.ofSeconds(1));
        BusException e = assertThrows(BusException.class, b::check);
        assertEquals(ErrorCode.OVERLOADED, e.errorCode());
        assertEquals(150L, e.details().get("outboxBacklog"));
        assertEquals(3L, e.details().get("retryAfterSeconds"));
        backlog.set(0);
        clock.advance(Duration.ofSeconds(1));
        b.check();
    }

    @Test
    void refusesWhileTheOldestEventWaitsLongerThanTheLagLimitEvenWithAShortBacklog() {
        AtomicLong lag = new AtomicLong(5_000);
        SettableClock clock = SettableClock.at("2026-11-27T12:00:00Z");
        Backpressure b =
                new Backpressure(() -> 3, lag::get, 10_000, Duration.ofSeconds(60), Duration.ofSeconds(5), clock);
        b.check();
        lag.set(61_000);
        clock.advance(Duration.ofSeconds(1));
        BusException e = assertThrows(BusException.class, b::check);
        assertEquals(61L, e.details().get("relayLagSeconds"));
        assertEquals(true, b.overloaded());
    }

    private static Backpressure flowing(AtomicLong backlog, SettableClock clock, Backpressure.Flow flow) {
        return new Backpressure(
                backlog::get,
                () -> 1_000,
                10_000,
                Duration.ofSeconds(60),
                Duration.ofSeconds(5),
                clock,
                flow,
                d -> clock.advance(d));
    }

    @Test
    void holdsAPublishWhileTheBacklogIsAtTheFlowThresholdAndLetsItGoOnceTheRelayBroughtItUnder() {
        AtomicLong backlog = new AtomicLong(2_000);
        SettableClock clock = SettableClock.at("2026-12-07T12:00:00Z");
        AtomicInteger looks = new AtomicInteger();
        Backpressure b = new Backpressure(
                () -> {
                    // the relay moves 200 events between two looks
                    if (looks.incrementAndGet() > 1) {
                        backlog.addAndGet(-200);
                    }
                    return backlog.get();
                },
                () -> 1_000,
                10_000,
                Duration.ofSeconds(60),
                Duration.ofSeconds(5),
                clock,
                new Backpressure.Flow(1_500, Duration.ofSeconds(1), 4),
                d -> clock.advance(d));
        assertEquals(Duration.ofMillis(300), b.hold(), "2,000 -> 1,800 -> 1,600 -> 1,400: three looks 100 ms apart");
        assertEquals(1L, b.heldTotal());
        assertEquals(0, b.held());
        assertEquals(Duration.ZERO, b.hold(), "under the threshold: not held");
        assertEquals(1L, b.heldTotal());
    }

    @Test
    void aPublishIsHeldAtMostTheLongestHoldThenGoesOnAndIsRefusedOnlyAtTheOutboxThreshold() {
        AtomicLong backlog = new AtomicLong(5_000);
        SettableClock clock = SettableClock.at("2026-12-07T12:00:00Z");
        Backpressure b = flowing(backlog, clock, new Backpressure.Flow(2_000, Duration.ofMillis(750), 4));
        assertEquals(Duration.ofMillis(750), b.hold());
        b.check();
        backlog.set(10_000);
        clock.advance(Duration.ofSeconds(1));
        assertEquals(Duration.ofMillis(750), b.hold());
        assertEquals(
                ErrorCode.OVERLOADED, assertThrows(BusException.class, b::check).errorCode());
    }

    @Test
    void neverHoldsWhenTheFlowIsOff() {
        AtomicLong backlog = new AtomicLong(9_999);
        SettableClock clock = SettableClock.at("2026-12-07T12:00:00Z");
        assertEquals(
                Duration.ZERO, flowing(backlog, clock, Backpressure.Flow.OFF).hold());
        assertEquals(
                Duration.ZERO,
                flowing(backlog, clock, new Backpressure.Flow(0, Duration.ofSeconds(1), 4))
                        .hold());
    }

    @Test
    void refusesWithRetryAfterOneSecondAPublishBeyondTheMostItHoldsAtOnce() throws Exception {
        AtomicLong backlog = new AtomicLong(3_000);
        java.util.concurrent.CountDownLatch sleeping = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        Backpressure b = new Backpressure(
                backlog::get,
                () -> 1_000,
                10_000,
                Duration.ofSeconds(60),
                Duration.ofSeconds(5),
                java.time.Clock.systemUTC(),
                new Backpressure.Flow(2_000, Duration.ofSeconds(30), 1),
                d -> {
                    sleeping.countDown();
                    release.await(10, java.util.concurrent.TimeUnit.SECONDS);
                    backlog.set(0);
                    Thread.sleep(Backpressure.HOLD_REFRESH_MILLIS + 10);
                });
        Thread first = new Thread(b::hold);
        first.start();
        org.junit.jupiter.api.Assertions.assertTrue(
                sleeping.await(5, java.util.concurrent.TimeUnit.SECONDS), "the first publish is held");
        assertEquals(1, b.held());
        BusException e = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                Duration.ofSeconds(5), () -> assertThrows(BusException.class, b::hold), "refused at once, not held");
        assertEquals(ErrorCode.OVERLOADED, e.errorCode());
        assertEquals(1, e.details().get("retryAfterSeconds"));
        assertEquals(2_000L, e.details().get("flowThreshold"));
        release.countDown();
        first.join(10_000);
        assertEquals(0, b.held());
        assertEquals(1L, b.heldTotal());
    }
}
