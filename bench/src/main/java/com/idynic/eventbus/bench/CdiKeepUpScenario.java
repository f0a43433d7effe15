package com.idynic.eventbus.bench;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Does the co-deployed CDI observer keep up with batch publishing? {@value Plan#BATCH_CLIENTS} clients publish
 * {@code user.created} in batches of {@value Plan#BATCH_SIZE} as fast as the bus accepts them, for the plan's
 * CDI keep-up window; the observer's delivered rate (its subscription's rows turned {@code DELIVERED}) is
 * compared with the accepted rate over the same window, and the lag (accepted, not yet delivered) is sampled
 * every 500 ms while publishing to see whether it stays flat ({@link LagSeries}). Then how long the rest took to
 * arrive.
 */
final class CdiKeepUpScenario {
    private static final String KEY = "bus.cdi.keepup";

    private final Bench b;
    private final CdiSubscription cdi;

    CdiKeepUpScenario(Bench b) {
        this.b = b;
        this.cdi = new CdiSubscription(b);
    }

    void run() throws Exception {
        if (!b.batchAvailable()) {
            b.results.note("CDI keep-up skipped: the bus has no batch publish");
            return;
        }
        cdi.ready("CDI keep-up");
        long base = b.db.lastDeliveryId();
        AtomicLong accepted = new AtomicLong();
        LagSeries lag = new LagSeries();
        long t0 = System.nanoTime();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cdi-lag-sampler");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(
                () -> {
                    long a = accepted.get();
                    try {
                        long d = b.db.deliveredAfter(CdiSubscription.ID, base);
                        long q = b.db.deliveriesAfter(CdiSubscription.ID, base);
                        lag.add(new LagSeries.Sample((System.nanoTime() - t0) / 1e9, a, q, d));
                    } catch (java.sql.SQLException e) {
                        // a missed sample; the next one counts again
                    }
                },
                0,
                500,
                TimeUnit.MILLISECONDS);
        long[] window = new long[4];
        LoadResult r;
        try {
            r = b.loop.run(
                    Plan.BATCH_CLIENTS,
                    i -> () -> {
                        java.net.http.HttpResponse<String> answer = b.bus.post(
                                "/v1/events/batch", b.payloads.batch(CdiSubscription.TYPE, "cdik", Plan.BATCH_SIZE));
                        if (answer.statusCode() == 202) {
                            accepted.addAndGet(Bench.acceptedOf(answer.body()));
                        }
                        return answer.statusCode();
                    },
                    202,
                    Plan.BATCH_SIZE,
                    b.plan.measuring(b.plan.cdiKeepUpSeconds()),
                    new ClosedLoop.Hooks() {
                        @Override
                        public void windowStart() {
                            window[0] = System.nanoTime();
                            window[1] = delivered(base);
                        }

                        @Override
                        public void windowEnd() {
                            window[2] = System.nanoTime();
                            window[3] = delivered(base);
                        }
                    });
        } finally {
            timer.shutdownNow();
        }
        report(r, lag, window, t0);
        awaitDelivered(base, accepted.get(), window[2]);
    }

    private long delivered(long base) {
        try {
            return b.db.deliveredAfter(CdiSubscription.ID, base);
        } catch (java.sql.SQLException e) {
            return -1;
        }
    }

    /** Waits (deadline 60 s plus 1 s per 100 events) for every accepted event to be delivered; notes the rest. */
    private void awaitDelivered(long base, long total, long windowEnd) throws InterruptedException {
        Duration timeout = Duration.ofSeconds(60 + total / 100);
        long[] at = {0};
        boolean all = Waits.until(timeout, Duration.ofMillis(250), () -> {
            at[0] = System.nanoTime();
            return b.db.deliveredAfter(CdiSubscription.ID, base) >= total;
        });
        b.results.put(KEY + ".accepted", total);
        if (all) {
            b.results.put(KEY + ".drainSecondsAfterEnd", Math.max(0, (at[0] - windowEnd) / 1e9));
        } else {
            long got = delivered(base);
            long open = -1;
            try {
                open = cdi.open();
            } catch (java.sql.SQLException e) {
                // reported as unknown below
            }
            b.results.note(
                    open == 0
                            ? "CDI keep-up: " + got + " delivered rows counted for " + total
                                    + " accepted events though none is"
                                    + " open: delivered rows left eb_delivery, so the delivered figures undercount"
                            : "CDI keep-up: " + (total - got) + " of " + total + " accepted events still undelivered "
                                    + timeout.toSeconds() + " s after the load ended");
        }
    }

    private void report(LoadResult r, LagSeries lag, long[] window, long t0) {
        double windowSeconds = (window[2] - window[0]) / 1e9;
        double delivered = window[1] < 0 || window[3] < 0 ? Double.NaN : (window[3] - window[1]) / windowSeconds;
        double from = (window[0] - t0) / 1e9;
        double to = (window[2] - t0) / 1e9;
        java.util.List<LagSeries.Sample> in = lag.between(from, to);
        double growth = LagSeries.growthPerSecond(in);
        b.results.put(KEY + ".publish", r);
        b.results.put(KEY + ".publishMode", Plan.BATCH_CLIENTS + " clients, batches of " + Plan.BATCH_SIZE);
        b.results.put(KEY + ".acceptedPerSecond", r.perSecond());
        b.results.put(KEY + ".deliveredPerSecond", delivered);
        b.results.put(KEY + ".ratio", delivered / r.perSecond());
        b.results.put(KEY + ".windowFromSeconds", from);
        b.results.put(KEY + ".windowToSeconds", to);
        if (!in.isEmpty()) {
            b.results.put(KEY + ".lagAtWindowStart", in.get(0).lag());
            LagSeries.Sample end = in.get(in.size() - 1);
            b.results.put(KEY + ".lagAtWindowEnd", end.lag());
            b.results.put(KEY + ".notQueuedAtWindowEnd", Math.max(0, end.accepted() - end.queued()));
            b.results.put(
                    KEY + ".lagMax",
                    in.stream().mapToLong(LagSeries.Sample::lag).max().orElse(0));
        }
        b.results.put(KEY + ".lagGrowthPerSecond", growth);
        b.results.put(KEY + ".lagFlat", Double.isNaN(growth) ? null : LagSeries.flat(growth, r.perSecond()));
        b.results.put(KEY + ".lagSamples", lag.toList());
    }
}
