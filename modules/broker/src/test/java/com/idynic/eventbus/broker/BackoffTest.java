package com.idynic.eventbus.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private final Backoff backoff = Backoff.doubling(Duration.ofMillis(100), Duration.ofSeconds(5));

    @Test
    void eachWaitDoublesThePreviousOneUpToTheMaximum() {
        assertEquals(Duration.ofMillis(200), backoff.next(Duration.ofMillis(100)));
        assertEquals(Duration.ofMillis(3200), backoff.next(Duration.ofMillis(1600)));
        assertEquals(Duration.ofSeconds(5), backoff.next(Duration.ofMillis(3200)));
        assertEquals(Duration.ofSeconds(5), backoff.next(Duration.ofSeconds(5)));
    }

    @Test
    void theDelayOfAnAttemptIsTheStartTimesTheFactorPerFailedAttempt() {
        assertEquals(Duration.ofMillis(100), backoff.delay(0));
        assertEquals(Duration.ofMillis(400), backoff.delay(2));
        assertEquals(Duration.ofSeconds(5), backoff.delay(6));
        assertEquals(Duration.ofSeconds(5), backoff.delay(Integer.MAX_VALUE));
    }

    @Test
    void aFactorOfThreeTriplesTheWait() {
        Backoff tripling = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 3);

        assertEquals(Duration.ofSeconds(9), tripling.delay(2));
        assertEquals(Duration.ofSeconds(30), tripling.next(Duration.ofSeconds(27)));
    }

    @Test
    void aVeryLongWaitDoesNotOverflow() {
        Backoff long_ = Backoff.doubling(Duration.ofSeconds(1), Duration.ofSeconds(Long.MAX_VALUE));

        assertEquals(Duration.ofSeconds(Long.MAX_VALUE), long_.next(Duration.ofSeconds(Long.MAX_VALUE / 2 + 1)));
    }

    @Test
    void aNonPositiveStartAMaximumBelowItOrAFactorBelowOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Backoff.doubling(Duration.ZERO, Duration.ofSeconds(1)));
        assertThrows(
                IllegalArgumentException.class, () -> Backoff.doubling(Duration.ofSeconds(2), Duration.ofSeconds(1)));
        assertThrows(
                IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(2), 0));
    }
}
