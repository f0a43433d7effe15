package com.idynic.eventbus.broker;

import com.idynic.eventbus.broker.spi.DeliveryArchive;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Keeps the delivery queue to what is still owed plus a short window: finished deliveries move to the delivery
 * history ({@link DeliveryArchive}) once their last change is older than the history window, in batches, so
 * leasing and settling cost the same however much history the bus keeps. The window is what absorbs a repeat:
 * Kafka hands the dispatcher an event again when its offset was not committed yet (the dispatcher commits within
 * seconds), and while the event's delivery row is in the queue the repeat adds nothing; after it moved, a repeat
 * is delivered again (at least once). Runs as a supervised loop; a failed pass (PostgreSQL away) is logged once
 * and retried after a pause, so the loop stays healthy through an outage.
 *
 * @since 0.8.0
 */
public final class HistoryMover implements Runnable {
    private static final Logger LOG = Logger.getLogger(HistoryMover.class.getName());

    /** Rows moved per transaction. */
    static final int BATCH = 5_000;

    private static final Duration MIN_PAUSE = Duration.ofMillis(100);
    private static final Duration MAX_PAUSE = Duration.ofSeconds(30);

    /**
     * How long finished deliveries stay in the queue.
     *
     * @param window a delivered or discarded row leaves the queue once its last change is this old, e.g. 10 min;
     *     keep it well above the time the dispatcher takes to commit an offset
     * @since 0.8.0
     */
    public record Settings(Duration window) {
        public Settings {
            if (window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("the delivery history window must be positive");
            }
        }

        /** @return the rest between passes once nothing is due: half the window, from 100 ms to 30 s */
        Duration pause() {
            Duration half = window.dividedBy(2);
            return half.compareTo(MIN_PAUSE) < 0 ? MIN_PAUSE : half.compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : half;
        }
    }

    private final DeliveryArchive archive;
    private final Settings settings;
    private final Clock clock;
    private final Signal wake = new Signal();
    private final AtomicLong moved = new AtomicLong();
    private volatile boolean running = true;

    public HistoryMover(DeliveryArchive archive, Settings settings, Clock clock) {
        this.archive = archive;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * Moves every row due now, batch after batch, until a batch is not full or the mover stops.
     *
     * @return rows moved
     */
    long pass() {
        Instant before = clock.instant().minus(settings.window());
        long total = 0;
        int n;
        do {
            n = archive.moveFinished(before, BATCH);
            total += n;
            moved.addAndGet(n);
        } while (n >= BATCH && running);
        return total;
    }

    /** Passes every pause until {@link #stop()}. */
    @Override
    public void run() {
        boolean failing = false;
        while (running && !Thread.currentThread().isInterrupted()) {
            try {
                pass();
                failing = false;
            } catch (RuntimeException e) {
                if (!failing) {
                    LOG.warning("moving finished deliveries to the history failed; retrying every "
                            + settings.pause().toMillis() + " ms: " + e);
                }
                failing = true;
            }
            try {
                wake.await(settings.pause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Ends the loop after the current batch. */
    public void stop() {
        running = false;
        wake.raise();
    }

    /** @return rows this server moved since it started */
    public long movedTotal() {
        return moved.get();
    }
}
