package com.idynic.eventbus.client.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps the bridge's pull loop alive: whatever ends it, an {@link Error} such as {@link OutOfMemoryError}
 * included (the loop's own {@code catch (Exception e)} lets those through), is logged once with the loop's
 * name and the loop is run again after an exponential backoff, until {@link #stop()}. The bus's own
 * supervisor lives in its broker module, which co-deployed apps do not carry; this is the same rule, small.
 */
public final class RestartingLoop implements Runnable {
    private static final Logger LOG = Logger.getLogger(RestartingLoop.class.getName());

    /** What the loop is doing. */
    public enum State {
        NEW,
        RUNNING,
        BACKING_OFF,
        STOPPED,
        /** Its thread ended without a stop request (it was interrupted). */
        ENDED
    }

    /** Waits between restarts; tests pass one that moves a fake clock. */
    @FunctionalInterface
    interface Sleeper {
        Sleeper THREAD = d -> Thread.sleep(d.toMillis());

        void sleep(Duration d) throws InterruptedException;
    }

    /**
     * How the loop is restarted.
     *
     * @param minBackoff the first wait, e.g. 1 s; it doubles per failure up to {@code maxBackoff}
     * @param healthyRun a run that lasted this long resets the backoff and ends a failing streak
     */
    record Backoff(Duration minBackoff, Duration maxBackoff, Duration healthyRun) {}

    private final String name;
    private final Runnable body;
    private final Backoff backoff;
    private final Clock clock;
    private final Sleeper sleeper;
    private volatile State state = State.NEW;
    private volatile long restarts;
    private volatile String lastError;
    private volatile Instant failingSince;
    private volatile boolean stopRequested;

    RestartingLoop(String name, Runnable body, Backoff backoff, Clock clock, Sleeper sleeper) {
        this.name = name;
        this.body = body;
        this.backoff = backoff;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    @Override
    public void run() {
        Duration wait = backoff.minBackoff();
        boolean again = false;
        while (!stopRequested) {
            state = State.RUNNING;
            if (again) {
                restarts++;
            }
            again = true;
            Instant started = clock.instant();
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
                state = State.ENDED;
                return;
            }
            Instant now = clock.instant();
            if (Duration.between(started, now).compareTo(backoff.healthyRun()) >= 0) {
                wait = backoff.minBackoff();
                failingSince = now;
            } else if (failingSince == null) {
                failingSince = now;
            }
            report(failure, wait);
            state = State.BACKING_OFF;
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                if (!stopRequested) {
                    Thread.currentThread().interrupt();
                    state = State.ENDED;
                    return;
                }
                break;
            }
            wait = wait.multipliedBy(2).compareTo(backoff.maxBackoff()) < 0
                    ? wait.multipliedBy(2)
                    : backoff.maxBackoff();
        }
        state = State.STOPPED;
    }

    /** Asks the loop to end; the caller also stops (or interrupts) the body. */
    void stop() {
        stopRequested = true;
    }

    /** @return the loop's name, e.g. {@code eventbus-client-profile-service} */
    public String name() {
        return name;
    }

    /** @return what the loop is doing */
    public State state() {
        return state;
    }

    /** @return how often the body was run again after a failure */
    public long restarts() {
        return restarts;
    }

    /** @return the last failure ({@code Throwable.toString()}), null before the first */
    public String lastError() {
        return lastError;
    }

    /**
     * @param downAfter how long a loop may keep failing before it counts as down
     * @return whether its thread ended, or it has been backing off from failures for longer than {@code downAfter}
     */
    public boolean down(Duration downAfter) {
        State s = state;
        Instant since = failingSince;
        return s == State.ENDED
                || (s == State.BACKING_OFF
                        && since != null
                        && Duration.between(since, clock.instant()).compareTo(downAfter) > 0);
    }

    private void report(Throwable failure, Duration wait) {
        try {
            lastError = failure == null ? "returned without being stopped" : failure.toString();
            LOG.log(
                    Level.SEVERE,
                    "eventbus client: loop '" + name + "' "
                            + (failure == null ? "returned without being stopped" : "failed")
                            + "; restarting it in " + wait.toMillis() + " ms",
                    failure);
        } catch (Throwable ignored) {
            // logging can fail too (e.g. still out of memory); the restart must not
        }
    }
}
