package com.idynic.eventbus.broker;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SignalTest {
    @Test
    void aRaiseBeforeTheWaitIsNotLost() throws InterruptedException {
        Signal s = new Signal();
        s.raise();
        assertTrue(s.await(Duration.ofMillis(1)));
        assertFalse(s.await(Duration.ofMillis(1)));
    }

    @Test
    void generationMovesOnEveryRaise() throws InterruptedException {
        Signal s = new Signal();
        long g = s.generation();
        s.raise();
        assertTrue(s.awaitChange(g, Duration.ofMillis(1)) != g);
    }
}
