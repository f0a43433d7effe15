package com.idynic.eventbus.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class TwoServersTablesTest {
    private static final Options OPTIONS = Options.parse(new String[] {"--env-file", "x.env", "--quick"});

    private static LoadResult load(int clients, long ok, int units, long latencyMicros) {
        return load(clients, ok, units, latencyMicros, 0);
    }

    private static LoadResult load(int clients, long ok, int units, long latencyMicros, long refused) {
        Histogram h = LoadResult.histogram();
        h.recordValue(latencyMicros);
        return new LoadResult(clients, 5, ok, units, h, refused == 0 ? Map.of() : Map.of(429, refused), 0, null, null);
    }

    private static Map<String, Double> cpu(double l1, double l2, double pg, double busy) {
        Map<String, Double> m = new java.util.LinkedHashMap<>();
        m.put("liberty1", l1);
        m.put("liberty2", l2);
        m.put("postgres", pg);
        m.put("kafka", 0.1);
        m.put("redis", 0.0);
        m.put("bench", 0.2);
        m.put("other", 0.05);
        m.put("machineBusy", busy);
        return m;
    }

    private static List<String> render(Results r) {
        StringBuilder md = new StringBuilder();
        new TwoServersTables(r, OPTIONS, md).table();
        return md.toString().lines().toList();
    }

    @Test
    void ratesRatiosAndEachProcesssCoresOfBothPhases() {
        Results r = new Results();
        r.put("machine.nproc", 2);
        r.put("bus.two.measureSeconds", 5.0);
        r.put("bus.two.warmupSeconds", 2.0);
        r.put("bus.two.batchMeasureSeconds", 3.0);
        r.put("bus.two.batchWarmupSeconds", 1.0);
        r.put("bus.two.secondServerStartSeconds", 31.24);
        r.put("bus.two.two.relayLanesPerServer", List.of(4, 4));
        r.put("bus.two.two.dispatcherMembers", 2L);
        r.put("bus.two.two.warmupSecondServer.c8", load(8, 20_000, 1, 3000));
        r.put("bus.two.one.servers", 1);
        r.put("bus.two.two.servers", 2);
        r.put("bus.two.one.publish.c32", load(32, 10_000, 1, 4000));
        r.put("bus.two.two.publish.c32", load(32, 11_000, 1, 6000, 7));
        r.put("bus.two.ratio.publish", 1.1);
        r.put("bus.two.one.publish.cpu", cpu(1.2, 0, 0.4, 1.98));
        r.put("bus.two.two.publish.cpu", cpu(0.6, 0.62, 0.41, 1.99));
        r.put("bus.two.one.ordered.deliveredPerSecond", 1500.0);
        r.put("bus.two.two.ordered.deliveredPerSecond", 1200.0);
        r.put("bus.two.ratio.delivered", 0.8);
        r.put("bus.two.one.ordered.publish", load(16, 10_000, 1, 2000));
        r.put("bus.two.two.ordered.publish", load(16, 9_000, 1, 2000));

        assertEquals(
                List.of(
                        "## One server against two (same PostgreSQL, Kafka and Redis; clients round-robin over the"
                                + " servers)",
                        "",
                        "| Load | One server ev/s | Two servers ev/s | Two / one | p50 ms one / two | p99 ms one / two | 429"
                                + " one / two |",
                        "|---|---|---|---|---|---|---|",
                        "| Single publish, 32 clients | 2,000 | 2,200 | 1.10× | 4.0 / 6.0 | 4.0 / 6.0 | 0 / 7 |",
                        "| Batch publish, 100 per request, 8 clients | – | – | – | – / – | – / – | – / – |",
                        "| Ordered webhook subscription, delivered (16 clients publishing, 64 keys) | 1,500 | 1,200"
                                + " | 0.80× | | | |",
                        "| … published in the same window | 2,000 | 1,800 | 0.90× | 2.0 / 2.0 | 2.0 / 2.0 | 0 / 0 |",
                        "",
                        "CPU in each measured window, in cores (1.00 = one core busy the whole window; the machine"
                                + " has 2). Other: busy time of no process named here.",
                        "",
                        "| Load | Servers | Liberty 1 | Liberty 2 | PostgreSQL | Kafka | Redis | Benchmark | Other |"
                                + " Machine busy |",
                        "|---|---|---|---|---|---|---|---|---|---|",
                        "| Single publish | 1 | 1.20 | – | 0.40 | 0.10 | 0.00 | 0.20 | 0.05 | 1.98 |",
                        "| Single publish | 2 | 0.60 | 0.62 | 0.41 | 0.10 | 0.00 | 0.20 | 0.05 | 1.99 |",
                        "",
                        "Measured 5.0 s per point after 2.0 s of warm-up (batch: 3.0 s after 1.0 s, as the batch"
                                + " publish above: longer, it meets the outbox's backlog threshold); the second server (a copy of the first on"
                                + " other ports, started in 31.2 s, relay lanes per server [4, 4], dispatcher group"
                                + " members 2) was warmed with single publishes at 8 clients (4,000 ev/s) before its"
                                + " points.",
                        ""),
                render(r));
    }

    @Test
    void nothingIsWrittenWhenTheScenarioDidNotRun() {
        assertTrue(render(new Results()).isEmpty());
    }
}
