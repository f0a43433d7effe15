package com.idynic.eventbus.bench;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sustained publishing at {@value Plan#FAN_CLIENTS} clients to one webhook subscription, unordered and then
 * ordered (64 keys): does delivery keep up with publishing? Reports both rates over the same window and the
 * lag at its end (accepted but not yet delivered), then how long the rest took to arrive.
 */
final class KeepUpScenario {
    private final Bench b;

    KeepUpScenario(Bench b) {
        this.b = b;
    }

    void run() throws Exception {
        for (String mode : List.of("unordered", "ordered")) {
            point(mode);
        }
    }

    private void point(String mode) throws Exception {
        String type = "bench.keepup." + mode;
        String key = "bus.keepup." + mode;
        Sink sink = b.receiver.sink("keepup-" + mode);
        String id = b.subscriptionId("keepup-" + mode);
        try {
            b.bus.webhook(id, type, b.receiver.url(sink), mode);
            b.probe(type, sink);
            b.settleOrNote("keeps-up " + mode);
            long base = sink.unique();
            AtomicLong accepted = new AtomicLong();
            ClosedLoop.Factory publisher = b.publisher(type, "keep" + mode.charAt(0));
            ClosedLoop.Factory counting = i -> {
                ClosedLoop.Client c = publisher.open(i);
                return () -> {
                    int s = c.call();
                    if (s == 202) {
                        accepted.incrementAndGet();
                    }
                    return s;
                };
            };
            long[] window = new long[4];
            LoadResult r = b.loop.run(Plan.FAN_CLIENTS, counting, 202, 1, b.plan, new ClosedLoop.Hooks() {
                @Override
                public void windowStart() {
                    window[0] = sink.unique();
                }

                @Override
                public void windowEnd() {
                    window[1] = sink.unique();
                    window[2] = accepted.get();
                    window[3] = System.nanoTime();
                }
            });
            double delivered = (window[1] - window[0]) / r.seconds();
            // a delivery may arrive before its publisher has read the 202: never below zero
            long lag = Math.max(0, window[2] - (window[1] - base));
            b.results.put(key + ".publish", r);
            b.results.put(key + ".publishPerSecond", r.perSecond());
            b.results.put(key + ".deliveredPerSecond", delivered);
            b.results.put(key + ".ratio", delivered / r.perSecond());
            b.results.put(key + ".lagAtEnd", lag);
            long total = accepted.get();
            boolean drained = Waits.until(
                    Duration.ofSeconds(b.options.quick() ? 60 : 180),
                    Duration.ofMillis(20),
                    () -> sink.unique() - base >= total);
            if (drained) {
                b.results.put(key + ".drainSecondsAfterEnd", Math.max(0, (sink.lastArrival() - window[3]) / 1e9));
            } else {
                b.results.note("keeps-up " + mode + ": " + (total - (sink.unique() - base))
                        + " events still undelivered when the wait ended");
            }
        } finally {
            b.bus.deleteSubscription(id);
            b.receiver.drop(sink);
        }
        b.settleOrNote("after keeps-up " + mode);
    }
}
