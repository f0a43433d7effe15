package com.idynic.eventbus.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
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

    @Test
    void everyRaiseTellsTheListenersWithoutAnyoneWaiting() {
        Signal s = new Signal();
        AtomicInteger told = new AtomicInteger();
        s.onRaise(told::incrementAndGet);

        s.raise();
        s.raise();

        assertEquals(2, told.get());
    }
}
