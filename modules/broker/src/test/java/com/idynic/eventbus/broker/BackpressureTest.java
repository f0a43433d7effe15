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
}
