package com.idynic.eventbus.subscribers.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.idynic.eventbus.broker.AttemptResult;
import com.idynic.eventbus.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SubscriberHealthTest {
    final SettableClock clock = new SettableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final SubscriberHealth health =
            new SubscriberHealth(clock, 3, Duration.ofSeconds(10), Duration.ofSeconds(40), Duration.ofHours(1));

    AttemptResult attempt(AttemptResult.Outcome o) {
        return new AttemptResult(
                o,
                clock.instant(),
                Duration.ofMillis(20),
                "http://x",
                o == AttemptResult.Outcome.SUCCESS ? 200 : 500,
                null,
                null);
    }

    @Test
    void opensAfterRepeatedFailuresThenProbesOnceAndClosesOnSuccess() {
        for (int i = 0; i < 3; i++) {
            assertEquals(SubscriberHealth.Gate.OPEN_FLOW, health.gate());
            health.record(attempt(AttemptResult.Outcome.FAILURE));
        }
        assertEquals(SubscriberHealth.Gate.BLOCKED, health.gate());
        clock.advance(Duration.ofSeconds(11));
        assertEquals(SubscriberHealth.Gate.PROBE, health.gate());
        assertEquals(SubscriberHealth.Gate.BLOCKED, health.gate(), "one probe at a time");
        health.record(attempt(AttemptResult.Outcome.SUCCESS));
        assertEquals(SubscriberHealth.Gate.OPEN_FLOW, health.gate());
        assertEquals("closed", health.snapshot().circuit());
    }

    @Test
    void aFailedProbeReopensForTwiceAsLong() {
        for (int i = 0; i < 3; i++) {
            health.record(attempt(AttemptResult.Outcome.FAILURE));
        }
        clock.advance(Duration.ofSeconds(11));
        assertEquals(SubscriberHealth.Gate.PROBE, health.gate());
        health.record(attempt(AttemptResult.Outcome.FAILURE));
        clock.advance(Duration.ofSeconds(15));
        assertEquals(SubscriberHealth.Gate.BLOCKED, health.gate());
        clock.advance(Duration.ofSeconds(6));
        assertEquals(SubscriberHealth.Gate.PROBE, health.gate());
    }

    @Test
    void asksToDisableAfterFailingForTheWholePeriod() {
        health.record(attempt(AttemptResult.Outcome.FAILURE));
        clock.advance(Duration.ofMinutes(59));
        assertFalse(health.shouldDisable());
        clock.advance(Duration.ofMinutes(2));
        assertTrue(health.shouldDisable());
        health.record(attempt(AttemptResult.Outcome.SUCCESS));
        assertFalse(health.shouldDisable());
    }
}
