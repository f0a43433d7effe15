package com.idynic.eventbus.admin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The overview's figures over the last hour, for its charts: a bounded ring of samples, one every {@code every} (15
 * seconds by default), fed by the alert loop's pass from the reading it evaluates ({@link AlertLoop}), so sampling
 * costs no read and no thread of its own. Kept in memory per server: after a restart the charts start empty, and each
 * server charts the bus's figures as it read them (every figure is cluster-wide: PostgreSQL's counts and Kafka's lag).
 *
 * @since 0.19.0
 */
public final class FigureHistory {
    /**
     * @param span how far back the history reaches, e.g. one hour
     * @param every the least time between two samples, e.g. 15 seconds (a reading closer than 4/5 of it to the last
     *     sample is not kept, so that an evaluation a little early does not halve the rate)
     */
    public record Settings(Duration span, Duration every) {
        /** One hour, a sample every 15 seconds. */
        public static final Settings DEFAULT = new Settings(Duration.ofHours(1), Duration.ofSeconds(15));

        public Settings {
            if (every.isNegative() || every.isZero() || span.compareTo(every) < 0) {
                throw new IllegalArgumentException("the figure history needs 0 < sample interval <= span");
            }
        }

        /** @return the most samples the span holds */
        int capacity() {
            return (int) Math.min(100_000, span.toMillis() / every.toMillis() + 1);
        }
    }

    /**
     * The overview's figures at one instant.
     *
     * @param at when they were read
     * @param publishRate events accepted per second over the monitoring window
     * @param deliveryRate events delivered per second over the window (successful attempts)
     * @param successRate delivery success rate in the window, 0 to 1, or null without attempts
     * @param p95Millis processing time (publish to acknowledgement) p95 in the window, or null without deliveries
     * @param queueDepth events owed now
     * @param deadLetters events in dead-letter queues now
     */
    public record Sample(
            Instant at,
            double publishRate,
            double deliveryRate,
            Double successRate,
            Long p95Millis,
            long queueDepth,
            long deadLetters) {
        /** @return the sample of a reading */
        public static Sample of(Overview o) {
            DeliveryFigures t = o.total();
            return new Sample(
                    o.at(),
                    o.publishRate(),
                    o.deliveryRate(),
                    t.successRate(),
                    t.p95() == null ? null : t.p95().toMillis(),
                    t.queueDepth(),
                    t.deadLetters());
        }
    }

    private final Settings settings;
    private final Clock clock;
    private final ArrayDeque<Sample> ring;

    public FigureHistory(Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.ring = new ArrayDeque<>(settings.capacity());
    }

    /** @return the span and the sample interval */
    public Settings settings() {
        return settings;
    }

    /**
     * Keeps a reading unless it is the last sample's or too close after it.
     *
     * @return whether it was kept
     */
    public synchronized boolean record(Overview o) {
        Sample last = ring.peekLast();
        Duration least = settings.every().minus(settings.every().dividedBy(5));
        if (last != null && o.at().isBefore(last.at().plus(least))) {
            return false;
        }
        ring.addLast(Sample.of(o));
        while (ring.size() > settings.capacity()) {
            ring.removeFirst();
        }
        evict();
        return true;
    }

    /** @return the samples of the span up to now, oldest first */
    public synchronized List<Sample> samples() {
        evict();
        return List.copyOf(ring);
    }

    private void evict() {
        Instant since = clock.instant().minus(settings.span());
        while (!ring.isEmpty() && ring.peekFirst().at().isBefore(since)) {
            ring.removeFirst();
        }
    }
}
