package com.idynic.eventbus.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.idynic.eventbus.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DispatchWatchTest {
    OptionalLong lag = OptionalLong.of(0);
    final SettableClock clock = new SettableClock(Instant.parse("2026-11-30T00:00:00Z"));
    final DispatchWatch watch = new DispatchWatch(() -> lag, clock, Duration.ofSeconds(60));

    @Test
    void recordsWaitingWithNoDispatcherProgressForLongerThanTheLimitCountAsStalled() {
        lag = OptionalLong.of(12);
        clock.advance(Duration.ofSeconds(60));
        assertFalse(watch.check().stalled(), "exactly the limit is not yet stalled");
        clock.advance(Duration.ofSeconds(1));
        DispatchWatch.Status s = watch.check();
        assertTrue(s.stalled());
        assertEquals(OptionalLong.of(12), s.consumerLag());
        assertEquals(Duration.ofSeconds(61), s.sinceLastProgress());
    }

    @Test
    void aDispatcherThatIsIdleWaitingOrRetryingIsNotStalled() {
        clock.advance(Duration.ofSeconds(600));
        assertFalse(watch.check().stalled(), "nothing waits: idle");
        lag = OptionalLong.of(5);
        clock.advance(Duration.ofSeconds(59));
        assertFalse(watch.check().stalled(), "records arrived less than the limit ago");
        clock.advance(Duration.ofSeconds(30));
        watch.progressed();
        clock.advance(Duration.ofSeconds(59));
        assertFalse(watch.check().stalled(), "it handled or retried a record within the limit");
        lag = OptionalLong.empty();
        clock.advance(Duration.ofSeconds(3600));
        assertFalse(watch.check().stalled(), "Kafka cannot say: readiness reports Kafka, not liveness");
    }

    @Test
    void aCheckReadsTheLastMeasurementAndHasAnOlderOneRefreshedInTheBackgroundOnce() {
        List<Runnable> queued = new ArrayList<>();
        AtomicInteger asked = new AtomicInteger();
        DispatchWatch cached = new DispatchWatch(
                () -> {
                    asked.incrementAndGet();
                    return lag;
                },
                clock,
                Duration.ofSeconds(60),
                Duration.ofSeconds(1),
                queued::add);
        lag = OptionalLong.of(3);
        assertEquals(OptionalLong.of(3), cached.check().consumerLag(), "the first check measures");
        lag = OptionalLong.of(7);
        for (int i = 0; i < 100; i++) {
            assertEquals(OptionalLong.of(3), cached.check().consumerLag());
        }
        assertEquals(1, asked.get(), "checks within a second ask Kafka nothing");
        assertEquals(List.of(), queued);

        clock.advance(Duration.ofSeconds(1));
        cached.check();
        cached.check();
        assertEquals(1, queued.size(), "one refresh at a time, off the checking thread");
        assertEquals(OptionalLong.of(3), cached.check().consumerLag());
        queued.remove(0).run();
        assertEquals(OptionalLong.of(7), cached.check().consumerLag());
        assertEquals(2, asked.get());
    }

    @Test
    void aStalledDispatcherIsStillReportedFromCachedMeasurements() {
        List<Runnable> queued = new ArrayList<>();
        DispatchWatch cached =
                new DispatchWatch(() -> lag, clock, Duration.ofSeconds(60), Duration.ofSeconds(1), queued::add);
        lag = OptionalLong.of(12);
        assertFalse(cached.check().stalled());
        clock.advance(Duration.ofSeconds(61));
        DispatchWatch.Status s = cached.check();
        assertTrue(s.stalled(), "records waited at the last measurement and nothing moved since");
        queued.forEach(Runnable::run);
        assertTrue(cached.check().stalled());
    }
}
