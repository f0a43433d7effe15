package com.idynic.eventbus.bench;

import static com.idynic.eventbus.bench.Format.cores;
import static com.idynic.eventbus.bench.Format.d;
import static com.idynic.eventbus.bench.Format.ms;
import static com.idynic.eventbus.bench.Format.rate;
import static com.idynic.eventbus.bench.Format.ratio;

import java.util.List;
import java.util.Map;

/** The one-server-against-two tables: rates and their ratio, then who used the cores in each window. */
final class TwoServersTables extends ReportPart {
    private static final String K = TwoServersScenario.KEY;
    private static final List<String> PHASES = List.of("one", "two");

    TwoServersTables(Results r, Options o, StringBuilder md) {
        super(r, o, md);
    }

    void table() {
        if (r.get(K + ".one.servers") == null) {
            return;
        }
        line("## One server against two (same PostgreSQL, Kafka and Redis; clients round-robin over the servers)");
        line("");
        line("| Load | One server ev/s | Two servers ev/s | Two / one | p50 ms one / two | p99 ms one / two | 429"
                + " one / two |");
        line("|---|---|---|---|---|---|---|");
        String pc = "publish.c" + TwoServersScenario.PUBLISH_CLIENTS;
        String bc = "batch.c" + Plan.BATCH_CLIENTS;
        loadRow("Single publish, " + TwoServersScenario.PUBLISH_CLIENTS + " clients", pc, "publish");
        loadRow("Batch publish, " + Plan.BATCH_SIZE + " per request, " + Plan.BATCH_CLIENTS + " clients", bc, "batch");
        line("| Ordered webhook subscription, delivered (" + TwoServersScenario.DELIVERY_CLIENTS
                + " clients publishing, " + Plan.KEYS + " keys) | "
                + rate(r.number(K + ".one.ordered.deliveredPerSecond"))
                + " | " + rate(r.number(K + ".two.ordered.deliveredPerSecond")) + " | "
                + ratio(r.number(K + ".ratio.delivered")) + " | | | |");
        LoadResult op = r.load(K + ".one.ordered.publish");
        LoadResult tp = r.load(K + ".two.ordered.publish");
        line("| … published in the same window | " + rate(op) + " | " + rate(tp) + " | "
                + ratio(op == null || tp == null ? Double.NaN : tp.perSecond() / op.perSecond()) + " | " + ms(op, 50)
                + " / " + ms(tp, 50) + " | " + ms(op, 99) + " / " + ms(tp, 99) + " | " + refused(op) + " / "
                + refused(tp) + " |");
        line("");
        line("CPU in each measured window, in cores (1.00 = one core busy the whole window; the machine has "
                + str("machine.nproc") + "). Other: busy time of no process named here.");
        line("");
        line(
                "| Load | Servers | Liberty 1 | Liberty 2 | PostgreSQL | Kafka | Redis | Benchmark | Other | Machine busy |");
        line("|---|---|---|---|---|---|---|---|---|---|");
        cpuRows("Single publish", "publish");
        cpuRows("Batch publish", "batch");
        cpuRows("Ordered delivery", "ordered");
        line("");
        line("Measured " + str(K + ".measureSeconds") + " s per point after " + str(K + ".warmupSeconds")
                + " s of warm-up (batch: " + str(K + ".batchMeasureSeconds") + " s after "
                + str(K + ".batchWarmupSeconds") + " s, as the batch publish above: longer, it meets the outbox's"
                + " backlog threshold); the second server (a copy of the first on other ports, started in "
                + Format.sec(r.number(K + ".secondServerStartSeconds")) + " s, relay lanes per server "
                + str(K + ".two.relayLanesPerServer") + ", dispatcher group members "
                + str(K + ".two.dispatcherMembers") + ") was warmed with single publishes at 8 clients ("
                + rate(r.load(K + ".two.warmupSecondServer.c8")) + " ev/s) before its points.");
        line("");
    }

    private void loadRow(String name, String point, String ratioKey) {
        LoadResult one = r.load(K + ".one." + point);
        LoadResult two = r.load(K + ".two." + point);
        line("| " + name + " | " + rate(one) + " | " + rate(two) + " | " + ratio(r.number(K + ".ratio." + ratioKey))
                + " | " + ms(one, 50) + " / " + ms(two, 50) + " | " + ms(one, 99) + " / " + ms(two, 99) + " | "
                + refused(one) + " / " + refused(two) + " |");
    }

    private static String refused(LoadResult l) {
        return l == null ? "–" : String.valueOf(l.status(429));
    }

    private void cpuRows(String name, String point) {
        for (String phase : PHASES) {
            Map<?, ?> c = map(K + "." + phase + "." + point + ".cpu");
            if (c == null) {
                continue;
            }
            StringBuilder row = new StringBuilder("| " + name + " | " + (phase.equals("one") ? 1 : 2) + " |");
            for (String role : CpuMeter.ROLES) {
                row.append(' ')
                        .append(role.equals("liberty2") && phase.equals("one") ? "–" : cores(d(c.get(role))))
                        .append(" |");
            }
            row.append(' ')
                    .append(cores(d(c.get("other"))))
                    .append(" | ")
                    .append(cores(d(c.get("machineBusy"))))
                    .append(" |");
            line(row.toString());
        }
    }
}
