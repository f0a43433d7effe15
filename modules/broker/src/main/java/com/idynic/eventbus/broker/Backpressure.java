package com.idynic.eventbus.broker;

import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.ErrorCode;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Global overload protection for publish, in two steps. <b>Flow</b>: while the outbox backlog (events accepted but
 * not yet in Kafka) is at or above the flow threshold, a publish is held before its body is read until the relay has
 * brought the backlog under it again, for at most the longest hold, then goes on ({@link #hold()}); so publishers
 * that send faster than the relay moves events are slowed to its pace (as Kafka's broker delays its answers to a
 * producer over its quota, and RabbitMQ's flow control stops reading a publisher's connection) instead of building a
 * backlog that takes the CPU the relay and the deliveries need. <b>Refusal</b>: when the backlog or the relay lag
 * (how long the oldest of them has waited) passes its threshold, publish is refused with 429 and a Retry-After
 * instead of queuing without bound ({@link #check()}). Both are measured at most once a second by whichever request
 * finds them stale, at most every {@value #HOLD_REFRESH_MILLIS} ms while publishes are held.
 *
 * @since 0.3.0
 */
public final class Backpressure {
    /** How often held publishes look at the backlog again (and count it at most this often while any is held). */
    static final long HOLD_REFRESH_MILLIS = 100;

    /**
     * When publishes are held: at or above {@code threshold} events in the outbox (0 or less: never), each for at most
     * {@code maxHold}, at most {@code maxHeld} at a time on this server (a publish beyond them is refused with 429
     * {@code OVERLOADED} and {@code Retry-After: 1}: a held publish holds a request thread).
     *
     * @param threshold the backlog at which publishes are held, e.g. 2000
     * @param maxHold the longest one publish is held before it goes on, e.g. 1 s
     * @param maxHeld publishes held at once on this server, e.g. 64
     * @since 0.25.0
     */
    public record Flow(long threshold, Duration maxHold, int maxHeld) {
        /** Never holds. */
        public static final Flow OFF = new Flow(0, Duration.ZERO, 0);

        /** @return whether publishes are ever held */
        public boolean on() {
            return threshold > 0 && maxHold.toMillis() > 0 && maxHeld > 0;
        }
    }

    private final LongSupplier backlog;
    private final LongSupplier lagMillis;
    private final long threshold;
    private final Duration maxLag;
    private final Duration retryAfter;
    private final Clock clock;
    private final Flow flow;
    private final SupervisedLoop.Sleeper sleeper;
    private final Semaphore heldSlots;
    private final LongAdder heldTotal = new LongAdder();
    private volatile long counted;
    private volatile long lag;
    private volatile long countedAt = -1;

    /**
     * @param backlog counts the outbox (may throw when the store is down)
     * @param lagMillis how long the oldest outbox row has waited
     * @param threshold refuse publish while the backlog is at or above this many events
     * @param maxLag refuse publish while the relay lag is at or above this
     * @param retryAfter what a refused publisher is told to wait
     */
    public Backpressure(
            LongSupplier backlog,
            LongSupplier lagMillis,
            long threshold,
            Duration maxLag,
            Duration retryAfter,
            Clock clock) {
        this(backlog, lagMillis, threshold, maxLag, retryAfter, clock, Flow.OFF, SupervisedLoop.Sleeper.THREAD);
    }

    /**
     * As {@link #Backpressure(LongSupplier, LongSupplier, long, Duration, Duration, Clock)}, holding publishes by
     * {@code flow}.
     *
     * @param flow when publishes are held
     * @param sleeper how a held publish waits
     * @since 0.25.0
     */
    public Backpressure(
            LongSupplier backlog,
            LongSupplier lagMillis,
            long threshold,
            Duration maxLag,
            Duration retryAfter,
            Clock clock,
            Flow flow,
            SupervisedLoop.Sleeper sleeper) {
        this.flow = flow;
        this.sleeper = sleeper;
        this.heldSlots = new Semaphore(Math.max(0, flow.maxHeld()));
        this.backlog = backlog;
        this.lagMillis = lagMillis;
        this.threshold = threshold;
        this.maxLag = maxLag;
        this.retryAfter = retryAfter;
        this.clock = clock;
    }

    /** @throws BusException {@code OVERLOADED} while the backlog or the relay lag is at or over its threshold */
    public void check() {
        long n = backlog();
        long lagMs = lag;
        if (n >= threshold || lagMs >= maxLag.toMillis()) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("outboxBacklog", n);
            details.put("threshold", threshold);
            details.put("relayLagSeconds", lagMs / 1000);
            details.put("maxRelayLagSeconds", maxLag.toSeconds());
            details.put("retryAfterSeconds", Math.max(1, retryAfter.toSeconds()));
            String why = n >= threshold
                    ? n + " events wait for Kafka (threshold " + threshold + ")"
                    : "the oldest event has waited " + lagMs / 1000 + " s for Kafka (limit " + maxLag.toSeconds()
                            + " s)";
            throw new BusException(ErrorCode.OVERLOADED, "The bus is behind: " + why + "; retry later", details);
        }
    }

    /**
     * Holds the calling publish while the backlog is at or above the flow threshold: until it is under it again (looked
     * at every {@value #HOLD_REFRESH_MILLIS} ms) or for the longest hold, whichever comes first; then the publish goes
     * on (and {@link #check()} still refuses it over the refusal thresholds). Call before the request's body is read.
     *
     * @return how long the publish was held (zero when it was not)
     * @throws BusException {@code OVERLOADED} ({@code Retry-After: 1}) when the flow's most held publishes are held
     *     already
     * @since 0.25.0
     */
    public Duration hold() {
        if (!flow.on() || backlog() < flow.threshold()) {
            return Duration.ZERO;
        }
        if (!heldSlots.tryAcquire()) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("outboxBacklog", counted);
            details.put("flowThreshold", flow.threshold());
            details.put("held", flow.maxHeld());
            details.put("retryAfterSeconds", 1);
            throw new BusException(
                    ErrorCode.OVERLOADED,
                    "The bus is behind: " + counted + " events wait for Kafka and " + flow.maxHeld()
                            + " publishes are held already (the most this server holds); retry later",
                    details);
        }
        heldTotal.increment();
        long start = clock.millis();
        try {
            while (true) {
                long left = flow.maxHold().toMillis() - (clock.millis() - start);
                if (left <= 0) {
                    break;
                }
                sleeper.sleep(Duration.ofMillis(Math.min(HOLD_REFRESH_MILLIS, left)));
                if (backlog(HOLD_REFRESH_MILLIS) < flow.threshold()) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            heldSlots.release();
        }
        return Duration.ofMillis(Math.max(0, clock.millis() - start));
    }

    /** @return publishes held now on this server */
    public int held() {
        return Math.max(0, flow.maxHeld()) - heldSlots.availablePermits();
    }

    /** @return publishes held on this server since it started */
    public long heldTotal() {
        return heldTotal.sum();
    }

    /** @return when publishes are held */
    public Flow flow() {
        return flow;
    }

    /** @return the backlog, counted within the last second (0 before the store has answered once) */
    public long backlog() {
        return backlog(held() > 0 ? HOLD_REFRESH_MILLIS : 1000);
    }

    private long backlog(long maxAgeMillis) {
        long now = clock.millis();
        if (countedAt < 0 || now - countedAt >= maxAgeMillis) {
            synchronized (this) {
                if (countedAt < 0 || now - countedAt >= maxAgeMillis) {
                    try {
                        counted = backlog.getAsLong();
                        lag = counted == 0 ? 0 : lagMillis.getAsLong();
                    } finally {
                        countedAt = now;
                    }
                }
            }
        }
        return counted;
    }

    /** @return the threshold */
    public long threshold() {
        return threshold;
    }

    /** @return the relay lag in milliseconds, measured with the backlog */
    public long lagMillis() {
        backlog();
        return lag;
    }

    /** @return the relay lag at which publish is refused */
    public Duration maxLag() {
        return maxLag;
    }

    /** @return whether publish is being refused now */
    public boolean overloaded() {
        return backlog() >= threshold || lag >= maxLag.toMillis();
    }
}
