package com.idynic.eventbus.bench;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/** Polling with a deadline: every wait of the benchmark ends. */
final class Waits {
    private Waits() {}

    /** A condition that may fail while polled (the next poll tries again). */
    interface Condition {
        boolean met() throws Exception;
    }

    /** @return whether the condition was met before the deadline */
    static boolean until(Duration timeout, Duration poll, Condition condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                if (condition.met()) {
                    return true;
                }
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                // polled again until the deadline
            }
            if (System.nanoTime() >= deadline) {
                return false;
            }
            Thread.sleep(poll.toMillis());
        }
    }

    /** Like {@link #until}, but a missed deadline is an error naming what was awaited. */
    static void require(String what, Duration timeout, Duration poll, Condition condition)
            throws InterruptedException, TimeoutException {
        if (!until(timeout, poll, condition)) {
            throw new TimeoutException(what + " not within " + timeout.toSeconds() + " s");
        }
    }
}
