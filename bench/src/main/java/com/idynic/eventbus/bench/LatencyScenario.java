package com.idynic.eventbus.bench;

import java.time.Duration;
import java.util.Map;

/**
 * Open-loop publish → webhook delivery latency at fixed rates, to one unordered webhook subscription; the
 * receiver runs in this JVM, so due time and arrival are read on the same clock.
 */
final class LatencyScenario {
    static final String TYPE = "bench.latency";

    private final Bench b;

    LatencyScenario(Bench b) {
        this.b = b;
    }

    void run() throws Exception {
        Sink sink = b.receiver.sink("latency");
        String id = b.subscriptionId("latency");
        try {
            b.bus.webhook(id, TYPE, b.receiver.url(sink), "unordered");
            b.probe(TYPE, sink);
            for (int rate : b.plan.latencyRates()) {
                b.settleOrNote("latency " + rate + "/s");
                OpenLoop loop = new OpenLoop(b, rate, TYPE, "lat" + rate);
                OpenLoop.Outcome o = loop.publish();
                Map<String, Object> m = loop.publishFigures(o);
                m.putAll(OpenLoop.deliveries(o, sink::arrival, () -> true, Duration.ofMillis(100)));
                b.results.put("bus.latency.webhook.r" + rate, m);
                String why = OpenLoop.saturated(m, rate);
                if (why != null) {
                    b.results.note("webhook latency: rates above " + rate + "/s skipped, the bus did not keep up at "
                            + rate + "/s (" + why + ")");
                    break;
                }
            }
        } finally {
            b.bus.deleteSubscription(id);
            b.receiver.drop(sink);
        }
    }
}
