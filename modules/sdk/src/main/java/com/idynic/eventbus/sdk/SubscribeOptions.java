package com.idynic.eventbus.sdk;

import java.time.Duration;

/**
 * How a {@link Subscriber} pulls; immutable, each method returns a copy:
 * {@code SubscribeOptions.defaults().maxEvents(50).workers(2)}.
 *
 * @since 0.3.0
 */
public final class SubscribeOptions {
    private static final SubscribeOptions DEFAULTS =
            new SubscribeOptions(10, Duration.ofSeconds(2), Duration.ofSeconds(30), 1);

    private final int maxEvents;
    private final Duration wait;
    private final Duration ackDeadline;
    private final int workers;

    private SubscribeOptions(int maxEvents, Duration wait, Duration ackDeadline, int workers) {
        this.maxEvents = maxEvents;
        this.wait = wait;
        this.ackDeadline = ackDeadline;
        this.workers = workers;
    }

    /** @return 10 events per pull, 2 s long poll, 30 s ack deadline, one worker */
    public static SubscribeOptions defaults() {
        return DEFAULTS;
    }

    /** @param n events per pull (1–500); their acks go out as one request */
    public SubscribeOptions maxEvents(int n) {
        if (n < 1 || n > 500) {
            throw new IllegalArgumentException("maxEvents must be 1–500, got " + n);
        }
        return new SubscribeOptions(n, wait, ackDeadline, workers);
    }

    /** @param wait how long one pull waits for a first event (0–30 s); {@link Subscriber#close()} waits for it too */
    public SubscribeOptions wait(Duration wait) {
        if (wait.isNegative() || wait.compareTo(Duration.ofSeconds(30)) > 0) {
            throw new IllegalArgumentException("wait must be 0–30 s, got " + wait);
        }
        return new SubscribeOptions(maxEvents, wait, ackDeadline, workers);
    }

    /** @param deadline how long a pulled event stays leased before the bus hands it out again (1 s–10 min) */
    public SubscribeOptions ackDeadline(Duration deadline) {
        if (deadline.compareTo(Duration.ofSeconds(1)) < 0 || deadline.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("ackDeadline must be 1 s–10 min, got " + deadline);
        }
        return new SubscribeOptions(maxEvents, wait, deadline, workers);
    }

    /** @param n threads that each pull and handle in turn (a service holds at most 8 waiting pulls on the bus) */
    public SubscribeOptions workers(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("workers must be at least 1, got " + n);
        }
        return new SubscribeOptions(maxEvents, wait, ackDeadline, n);
    }

    int maxEvents() {
        return maxEvents;
    }

    Duration waitTime() {
        return wait;
    }

    Duration ackDeadline() {
        return ackDeadline;
    }

    int workers() {
        return workers;
    }
}
