package com.idynic.eventbus.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Publish rate at {@value Plan#FAN_CLIENTS} clients with 1 and with 10 unordered webhook subscriptions on the
 * type: what each extra subscriber costs the publishers (the dispatcher writes one delivery row per
 * subscription, the webhook loops share the same cores). The deliveries that arrived in the window are reported
 * too.
 */
final class FanOutScenario {
    private final Bench b;

    FanOutScenario(Bench b) {
        this.b = b;
    }

    void run() throws Exception {
        for (int subs : List.of(1, 10)) {
            point(subs);
        }
        b.results.put(
                "bus.fanout.ratio10to1", b.results.number("bus.fanout.subs10") / b.results.number("bus.fanout.subs1"));
    }

    private void point(int subs) throws Exception {
        String type = "bench.fanout" + subs;
        List<Sink> sinks = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        try {
            for (int j = 0; j < subs; j++) {
                Sink s = b.receiver.sink("fanout" + subs + "-" + j);
                sinks.add(s);
                String id = b.subscriptionId("fanout" + subs + "-" + j);
                ids.add(id);
                b.bus.webhook(id, type, b.receiver.url(s), "unordered");
            }
            b.probe(type, sinks.toArray(Sink[]::new));
            b.settleOrNote("fan-out " + subs);
            long[] delivered = new long[2];
            LoadResult r = b.loop.run(
                    Plan.FAN_CLIENTS, b.publisher(type, "fan" + subs), 202, 1, b.plan, new ClosedLoop.Hooks() {
                        @Override
                        public void windowStart() {
                            delivered[0] = total(sinks);
                        }

                        @Override
                        public void windowEnd() {
                            delivered[1] = total(sinks);
                        }
                    });
            b.results.put("bus.fanout.subs" + subs, r);
            b.results.put("bus.fanout.deliveredPerSecond.subs" + subs, (delivered[1] - delivered[0]) / r.seconds());
        } finally {
            for (String id : ids) {
                b.bus.deleteSubscription(id);
            }
            sinks.forEach(b.receiver::drop);
        }
        b.settleOrNote("after fan-out " + subs);
    }

    private static long total(List<Sink> sinks) {
        return sinks.stream().mapToLong(Sink::unique).sum();
    }
}
