package com.idynic.eventbus.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Events published as a backlog for paused or idle subscriptions (the catch-up scenario's is replayed by the
 * replay scenario).
 *
 * @param type their event type
 * @param from a time before the first was accepted (and after anything earlier of that type)
 * @param to a time after the last was accepted
 * @param events how many were accepted
 */
record Backlog(String type, Instant from, Instant to, long events) {
    private static final int SINGLE_CLIENTS = 32;

    /**
     * Publishes {@code n} events of {@code type}: batches of {@value Plan#BATCH_SIZE} at {@value Plan#BATCH_CLIENTS}
     * clients when the bus has them, else single publishes at 32 clients; a 429 or 503 is sent again after its
     * {@code Retry-After}, so the backlog is complete. Puts {@code <key>.publish}, {@code .publishMode},
     * {@code .events} and {@code .publishRetriedAfter429or503}, and notes a shortfall.
     */
    static Backlog publish(Bench b, String key, String type, String tag, int n) throws Exception {
        boolean batch = b.batchAvailable();
        AtomicLong refused = new AtomicLong();
        AtomicLong accepted = new AtomicLong();
        int units = batch ? Plan.BATCH_SIZE : 1;
        ClosedLoop.Factory publisher = b.insistentPublisher(type, tag, batch, refused, accepted);
        long deadline = Duration.ofSeconds(120 + n / 50).toNanos();
        Instant from = Instant.now().minusMillis(500);
        LoadResult r = b.loop.count(
                batch ? Plan.BATCH_CLIENTS : SINGLE_CLIENTS, publisher, 202, units, (n + units - 1) / units, deadline);
        Instant to = Instant.now().plusMillis(500);
        b.results.put(key + ".publish", r);
        b.results.put(key + ".publishMode", batch ? "batch of " + Plan.BATCH_SIZE : "single, 32 clients");
        b.results.put(key + ".events", accepted.get());
        b.results.put(key + ".publishRetriedAfter429or503", refused.get());
        if (accepted.get() < n) {
            b.results.note(key + ": only " + accepted.get() + " of " + n + " backlog events were accepted");
        }
        return new Backlog(type, from, to, accepted.get());
    }
}
