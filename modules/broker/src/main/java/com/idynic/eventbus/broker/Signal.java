package com.idynic.eventbus.broker;

import java.time.Duration;

/**
 * A level-triggered wake-up: {@link #raise()} makes the next (or current) {@link #await(Duration)}
 * return at once. Lets a commit wake the relay and an enqueue wake long-polling pullers without losing
 * a wake-up that happens between two waits.
 *
 * @since 0.1.0
 */
public final class Signal {
    private boolean raised;
    private long generation;

    /** Wakes every waiter and the next caller of {@link #await(Duration)}. */
    public synchronized void raise() {
        raised = true;
        generation++;
        notifyAll();
    }

    /**
     * Waits until raised or the timeout passes, then clears the signal.
     *
     * @return true when raised
     */
    public synchronized boolean await(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!raised) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        raised = false;
        return true;
    }

    /** @return a counter that grows on every {@link #raise()}; for waiters that must not clear the signal */
    public synchronized long generation() {
        return generation;
    }

    /**
     * Waits without clearing until the generation differs from {@code seen} or the timeout passes.
     *
     * @return the current generation
     */
    public synchronized long awaitChange(long seen, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (generation == seen) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return generation;
    }
}
