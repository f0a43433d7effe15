package com.idynic.eventbus.broker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.concurrent.ThreadFactory;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps one background loop alive. A loop's own {@code catch (RuntimeException e)} lets an {@link Error}
 * such as {@link OutOfMemoryError} through, which ended its thread for good while health said UP; this
 * runs the body and, whatever it throws (or when it returns without being stopped), logs it once with the
 * loop's name, waits with exponential backoff and runs it again, until {@link #stop()}. Made by {@link
 * Loops#supervise}, which liveness reads.
 *
 * @since 0.6.0
 */
public final class SupervisedLoop implements Runnable {
    private static final Logger LOG = Logger.getLogger(SupervisedLoop.class.getName());

    /** What a loop is doing. */
    public enum State {
        /** Created; its thread has not started yet. */
        NEW,
        /** Its body runs. */
        RUNNING,
        /** Its body failed; it waits before running it again. */
        BACKING_OFF,
        /** Stopped on request. */
        STOPPED,
        /** Its thread ended without a stop request (it was interrupted): the loop is gone. */
        ENDED
    }

    /** Waits between restarts; tests pass one that moves a fake clock instead. */
    @FunctionalInterface
    public interface Sleeper {
        /** Sleeps on the calling thread; {@link SupervisedLoop#stop()} interrupts it. */
        Sleeper THREAD = d -> Thread.sleep(d.toMillis());

        /**
         * @param d how long to wait
         * @throws InterruptedException when the wait was interrupted
         */
        void sleep(Duration d) throws InterruptedException;
    }

    /**
     * A loop's state at one instant.
     *
     * @param name the loop's name, e.g. {@code retention} (its thread is {@code eventbus-retention})
     * @param state what it does
     * @param since when it entered {@code state}
     * @param restarts how often its body was run again after a failure
     * @param lastError the last failure ({@code Throwable.toString()}), null before the first
     * @param failingSince the first failure since the last run that lasted the healthy run time, null when
     *     there was none
     * @param lastProgress when its body last reported progress, or last (re)started
     */
    public record Status(
            String name,
            State state,
            Instant since,
            long restarts,
            String lastError,
            Instant failingSince,
            Instant lastProgress) {}

    private final String name;
    private final Runnable body;
    private final Runnable onStop;
    private final Supplier<OptionalLong> work;
    private final Loops.Settings settings;
    private final Clock clock;
    private final Sleeper sleeper;
    private volatile State state = State.NEW;
    private volatile Instant since;
    private volatile long restarts;
    private volatile String lastError;
    private volatile Instant failingSince;
    private volatile Instant lastProgress;
    private volatile boolean stopRequested;
    private volatile Thread runner;
    private Thread thread;

    SupervisedLoop(
            String name,
            Runnable body,
            Runnable onStop,
            Supplier<OptionalLong> work,
            Loops.Settings settings,
            Clock clock,
            Sleeper sleeper) {
        this.name = name;
        this.body = body;
        this.onStop = onStop;
        this.work = work;
        this.settings = settings;
        this.clock = clock;
        this.sleeper = sleeper;
        this.since = clock.instant();
        this.lastProgress = since;
    }

    /** Runs the body until {@link #stop()}, restarting it after every failure. */
    @Override
    public void run() {
        runner = Thread.currentThread();
        Duration backoff = settings.minBackoff();
        boolean again = false;
        while (enter(State.RUNNING)) {
            if (again) {
                restarts++;
            }
            again = true;
            Instant started = since;
            lastProgress = started;
            Throwable failure = null;
            try {
                body.run();
            } catch (Throwable t) {
                failure = t;
            }
            if (stopRequested) {
                break;
            }
            if (failure == null && Thread.currentThread().isInterrupted()) {
                end("was interrupted");
                return;
            }
            Instant now = clock.instant();
            if (Duration.between(started, now).compareTo(settings.healthyRun()) >= 0) {
                backoff = settings.minBackoff();
                failingSince = now;
            } else if (failingSince == null) {
                failingSince = now;
            }
            report(failure, backoff);
            if (!enter(State.BACKING_OFF)) {
                break;
            }
            try {
                sleeper.sleep(backoff);
            } catch (InterruptedException e) {
                if (!stopRequested) {
                    Thread.currentThread().interrupt();
                    end("was interrupted while backing off");
                    return;
                }
                break;
            }
            backoff = settings.backoff().next(backoff);
        }
        state(State.STOPPED);
    }

    /**
     * Asks the loop to end: the body's own stop runs, and a loop that is backing off ends at once.
     * Idempotent.
     */
    public void stop() {
        synchronized (this) {
            stopRequested = true;
            Thread t = runner;
            if (state == State.BACKING_OFF && t != null) {
                t.interrupt();
            }
        }
        onStop.run();
    }

    /**
     * Starts the loop on a new daemon thread named {@code eventbus-<name>}, unless it was started already.
     *
     * @param threads makes the thread (container-managed in the server)
     * @return the loop's thread
     */
    public synchronized Thread start(ThreadFactory threads) {
        if (thread == null) {
            Thread t = threads.newThread(this);
            t.setName("eventbus-" + name);
            t.setDaemon(true);
            t.start();
            thread = t;
        }
        return thread;
    }

    /** The body made progress (or is alive and retrying): resets the no-progress timer. */
    public void progressed() {
        lastProgress = clock.instant();
    }

    /** @return the loop's name */
    public String name() {
        return name;
    }

    /** @return the loop's state now */
    public Status status() {
        return new Status(name, state, since, restarts, lastError, failingSince, lastProgress);
    }

    /** @return work waiting for the loop, empty when it cannot say (or the probe fails) */
    OptionalLong work() {
        try {
            return work.get();
        } catch (RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /** @return false (and nothing changed) when a stop was requested */
    private synchronized boolean enter(State next) {
        if (stopRequested) {
            return false;
        }
        state(next);
        return true;
    }

    private synchronized void state(State next) {
        since = clock.instant();
        state = next;
    }

    private void end(String why) {
        state(State.ENDED);
        try {
            LOG.severe("background loop '" + name + "' " + why + " without a stop request; it no longer runs");
        } catch (Throwable ignored) {
            // the state is recorded; liveness reports the loop even when logging fails
        }
    }

    private void report(Throwable failure, Duration backoff) {
        try {
            lastError = failure == null ? "returned without being stopped" : failure.toString();
            LOG.log(
                    Level.SEVERE,
                    "background loop '" + name + "' "
                            + (failure == null ? "returned without being stopped" : "failed")
                            + "; restarting it in " + backoff.toMillis() + " ms (restart " + (restarts + 1) + ")",
                    failure);
        } catch (Throwable ignored) {
            // logging can fail too (e.g. still out of memory); the restart must not
        }
    }
}
