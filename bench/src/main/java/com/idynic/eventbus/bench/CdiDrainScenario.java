package com.idynic.eventbus.bench;

import java.time.Duration;
import java.time.Instant;

/**
 * A backlog drained by the co-deployed CDI observer: its subscription ({@code profile-service}, ordered) is
 * paused, a {@code user.created} backlog of the catch-up scenario's size is published, and once the dispatcher
 * has queued it (a delivery row per event) the subscription is resumed and timed until it owes nothing. The drain
 * rate is compared with the webhook drains of the catch-up scenario in the same run (ordered, the like-for-like
 * one, and unordered) and with the {@value #BEFORE_PER_SECOND} events/s that issue 18 measured before.
 */
final class CdiDrainScenario {
    /** The CDI drain rate that issue 18 measured on the 2-core development machine before its work (events/s). */
    static final double BEFORE_PER_SECOND = 240;

    private static final String KEY = "bus.cdi.drain";

    private final Bench b;
    private final CdiSubscription cdi;

    CdiDrainScenario(Bench b) {
        this.b = b;
        this.cdi = new CdiSubscription(b);
    }

    void run() throws Exception {
        Backlog webhook = b.backlog;
        int n;
        if (webhook != null && webhook.events() > 0) {
            n = (int) webhook.events();
        } else {
            n = b.backlogSize();
            b.results.note("CDI drain: the catch-up scenario did not run before it, so there is no webhook drain to"
                    + " compare with (run bus.catchup in the same run)");
        }
        cdi.ready("CDI drain");
        long base = b.db.lastDeliveryId();
        long open;
        Instant resumedAt;
        long t0;
        ProcessSampler.Window usage;
        boolean resumed = false;
        cdi.pause();
        try {
            Backlog backlog = Backlog.publish(b, KEY, CdiSubscription.TYPE, "cdid", n);
            long events = backlog.events();
            long q0 = System.nanoTime();
            Duration timeout = Duration.ofSeconds(60 + events / 200);
            Waits.require(
                    "delivery rows for the CDI backlog",
                    timeout,
                    Duration.ofMillis(500),
                    () -> b.db.deliveriesAfter(CdiSubscription.ID, base) >= events);
            b.results.put(KEY + ".queuedSecondsAfterPublish", (System.nanoTime() - q0) / 1e9);
            open = cdi.open();
            resumedAt = b.db.now();
            usage = b.sampler.start();
            t0 = System.nanoTime();
            cdi.resume();
            resumed = true;
        } finally {
            if (!resumed) {
                cdi.resume();
            }
        }
        drain(base, open, resumedAt, t0, usage);
    }

    /** Times the drain from the resume until no row is open; the end is the last delivery's time when it is known. */
    private void drain(long base, long open, Instant resumedAt, long t0, ProcessSampler.Window usage) throws Exception {
        Duration timeout = Duration.ofSeconds(120 + open / 100);
        boolean all = Waits.until(timeout, Duration.ofMillis(250), () -> cdi.open() == 0);
        long polledEnd = System.nanoTime();
        Usage used = usage.stop();
        long left = all ? 0 : cdi.open();
        long done = open - left;
        Instant last = all ? b.db.lastDeliveredAt(CdiSubscription.ID, base) : null;
        double seconds = last != null && last.isAfter(resumedAt)
                ? Duration.between(resumedAt, last).toNanos() / 1e9
                : (polledEnd - t0) / 1e9;
        seconds = Math.max(1e-3, seconds);
        double rate = done / seconds;
        b.results.put(KEY + ".openAtResume", open);
        b.results.put(KEY + ".delivered", done);
        b.results.put(KEY + ".drainSeconds", seconds);
        b.results.put(KEY + ".drainEnd", last != null ? "last delivered_at" : "polled (every 250 ms)");
        b.results.put(KEY + ".drainPerSecond", rate);
        b.results.put(KEY + ".usage", used);
        b.results.put(KEY + ".beforePerSecond", BEFORE_PER_SECOND);
        b.results.put(KEY + ".ratioToBefore", rate / BEFORE_PER_SECOND);
        b.results.put(KEY + ".ratioToWebhookOrdered", rate / b.results.number("bus.catchup.ordered.drainPerSecond"));
        b.results.put(
                KEY + ".ratioToWebhookUnordered", rate / b.results.number("bus.catchup.unordered.drainPerSecond"));
        if (!all) {
            b.results.note("CDI drain: " + done + " of " + open + " delivered within " + timeout.toSeconds() + " s");
        }
    }
}
