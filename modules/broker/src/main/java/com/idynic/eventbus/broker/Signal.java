package com.idynic.eventbus.broker;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A level-triggered wake-up: {@link #raise()} makes the next (or current) {@link #await(Duration)}
 * return at once. Lets a commit wake the relay and an enqueue wake long-polling pullers without losing
 * a wake-up that happens between two waits. Listeners ({@link #onRaise(Runnable)}) are told of every raise
 * without holding a thread, so waiters in the thousands cost nothing while nothing happens.
 *
 * @since 0.1.0
 */
public final class Signal {
    private boolean raised;
    private long generation;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    /** Wakes every waiter and the next caller of {@link #await(Duration)}, then calls every listener. */
    public void raise() {
        synchronized (this) {
            raised = true;
            generation++;
            notifyAll();
        }
        listeners.forEach(Runnable::run);
    }

    /**
     * Calls {@code listener} after every later {@link #raise()}, on the raising thread: it must return at once
     * (hand any work to an executor) and must not throw.
     *
     * @param listener told of each raise; never removed, so register long-lived listeners only
     */
    public void onRaise(Runnable listener) {
        listeners.add(listener);
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
