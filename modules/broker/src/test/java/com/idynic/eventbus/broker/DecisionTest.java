package com.idynic.eventbus.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DecisionTest {
    final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    final RetryPolicy policy =
            new RetryPolicy(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(30), 5, Duration.ofHours(1), Set.of(410));

    AttemptResult failed(Integer status, Duration retryAfter) {
        return new AttemptResult(
                AttemptResult.Outcome.FAILURE, t0, Duration.ZERO, "http://x", status, null, retryAfter);
    }

    @Test
    void backoffGrowsExponentiallyWithinTheJitterBandAndIsCapped() {
        assertEquals(Duration.ofMillis(800), policy.delayAfter(1, 0.0));
        assertEquals(Duration.ofMillis(1200), policy.delayAfter(1, 0.999999));
        assertEquals(Duration.ofSeconds(4), policy.delayAfter(3, 0.5));
        assertEquals(Duration.ofSeconds(30), policy.delayAfter(10, 0.99));
    }

    @Test
    void aFailureIsRetriedUntilTheAttemptsAreUsedUp() {
        Decision d = Decision.after(failed(500, null), policy, 1, t0, 0.5);
        assertEquals(Decision.Kind.RETRY, d.kind());
        assertEquals(t0.plusSeconds(1), d.retryAt());
        assertEquals(
                Decision.Kind.DEAD,
                Decision.after(failed(500, null), policy, 5, t0, 0.5).kind());
    }

    @Test
    void nonRetryableStatusesAndRejectionsGoStraightToTheDeadLetterQueue() {
        assertEquals(
                Decision.Kind.DEAD,
                Decision.after(failed(410, null), policy, 1, t0, 0.5).kind());
        AttemptResult rejected =
                new AttemptResult(AttemptResult.Outcome.REJECTED, t0, Duration.ZERO, "cdi", null, "invalid", null);
        Decision d = Decision.after(rejected, policy, 1, t0, 0.5);
        assertEquals(Decision.Kind.DEAD, d.kind());
        assertTrue(d.reason().contains("invalid"));
    }

    @Test
    void aReceiversRetryAfterIsHonouredUpToTheMaximumDelay() {
        assertEquals(
                t0.plusSeconds(7),
                Decision.after(failed(429, Duration.ofSeconds(7)), policy, 1, t0, 0.5)
                        .retryAt());
        assertEquals(
                t0.plusSeconds(30),
                Decision.after(failed(503, Duration.ofHours(2)), policy, 1, t0, 0.5)
                        .retryAt());
    }

    @Test
    void tooOldIsDeadEvenWithAttemptsLeft() {
        Instant first = t0.minus(Duration.ofHours(2));
        assertEquals(
                Decision.Kind.DEAD,
                Decision.after(failed(500, null), policy, 2, first, 0.5).kind());
    }
}
