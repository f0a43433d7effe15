package com.idynic.eventbus.bench;

import static com.idynic.eventbus.bench.Format.d;
import static com.idynic.eventbus.bench.Format.met;
import static com.idynic.eventbus.bench.Format.mib;
import static com.idynic.eventbus.bench.Format.ms;
import static com.idynic.eventbus.bench.Format.num;
import static com.idynic.eventbus.bench.Format.rate;
import static com.idynic.eventbus.bench.Format.ratio;
import static com.idynic.eventbus.bench.Format.sec;

import java.util.Map;

/**
 * The run as markdown: the targets first (each bus figure, its anchor, the ratio and the target), then the
 * tables behind them, the notes and the errors.
 */
final class Report extends ReportPart {
    private Report(Results r, Options o, StringBuilder md) {
        super(r, o, md);
    }

    static String markdown(Results r, Options o) {
        StringBuilder md = new StringBuilder();
        Report rep = new Report(r, o, md);
        CdiTables cdi = new CdiTables(r, o, md);
        SearchTables search = new SearchTables(r, o, md);
        rep.header();
        rep.targets(cdi, search);
        ThroughputTables throughput = new ThroughputTables(r, o, md);
        throughput.publish();
        throughput.anchors();
        throughput.delivery();
        throughput.latency();
        new TwoServersTables(r, o, md).table();
        cdi.table();
        search.table();
        CostTables cost = new CostTables(r, o, md);
        cost.cost();
        cost.resources();
        rep.closing();
        return md.toString();
    }

    private void header() {
        Plan p = o.plan();
        line("# idynic-event-bus side-by-side benchmark, " + o.runId() + (o.quick() ? " (quick)" : " (full)"));
        line("");
        line("Machine: " + str("machine.nproc") + " cores (" + str("machine.cpuModel") + "), "
                + str("machine.memTotal") + ", Linux " + str("machine.kernel") + ", " + str("machine.javaVersion")
                + "; commit " + str("machine.gitCommit") + ".");
        line("Everything on this machine: Liberty, PostgreSQL (fsync " + str("anchors.pg.fsync")
                + ", synchronous_commit " + str("anchors.pg.synchronousCommit")
                + "), Kafka, Redis, RabbitMQ, NATS and the benchmark itself (its clients and webhook receiver).");
        line("Each load point: " + num(p.warmupSeconds()) + " s warm-up, " + num(p.measureSeconds())
                + " s measured; catch-up backlog " + str("bus.catchup.events")
                + " events; payload: the seed envelope with "
                + Payloads.DATA_BYTES + " bytes of data (anchors send the same envelope bytes). Only 202s count for"
                + " the bus. Compare figures within one run only (runs on shared machines vary by up to ±40 %).");
        line("");
    }

    private void targets(CdiTables cdi, SearchTables search) {
        line("## Targets");
        line("");
        line("| Figure | Bus | Reference | Ratio / value | Target | Met |");
        line("|---|---|---|---|---|---|");
        ratioRow(
                "Durable publish @32 vs RabbitMQ confirm @32",
                "bus.publish.c32",
                "anchors.rabbitmq.publish.c32",
                0.5,
                "≥ 0.5× (then 1.0×)");
        ratioRow(
                "Java SDK publish @32 (linger batching) vs RabbitMQ confirm @32",
                "bus.sdk.c32",
                "anchors.rabbitmq.publish.c32",
                1.0,
                "≥ 1.0× (then 2×)");
        ratioRow("Batch publish @8 vs raw PG 100 rows/tx @8", "bus.batch.c8", "anchors.pg.insert100.c8", 0.5, "≥ 0.5×");
        ratioRow("Fan-out @16: 10 subscriptions vs 1", "bus.fanout.subs10", "bus.fanout.subs1", 0.5, "≥ 0.5×");
        ratioRow(
                "Keeps up, unordered: delivered vs published",
                "bus.keepup.unordered.deliveredPerSecond",
                "bus.keepup.unordered.publishPerSecond",
                0.95,
                "≥ 0.95×");
        ratioRow(
                "Keeps up, ordered 64 keys: delivered vs published",
                "bus.keepup.ordered.deliveredPerSecond",
                "bus.keepup.ordered.publishPerSecond",
                0.5,
                "≥ 0.5×");
        ratioRow(
                "Catch-up unordered: drain vs steady delivered",
                "bus.catchup.unordered.drainPerSecond",
                "bus.keepup.unordered.deliveredPerSecond",
                0.9,
                "≥ 0.9×");
        ratioRow(
                "Catch-up ordered: drain vs steady delivered",
                "bus.catchup.ordered.drainPerSecond",
                "bus.keepup.ordered.deliveredPerSecond",
                0.9,
                "≥ 0.9×");
        Map<?, ?> l1000 = map("bus.latency.webhook.r1000");
        double p50 = l1000 == null ? Double.NaN : d(l1000.get("p50Ms"));
        double p99 = l1000 == null ? Double.NaN : d(l1000.get("p99Ms"));
        valueRow("Publish → webhook p50 @1000/s (open loop)", ms(p50), p50, 5, "≤ 5 ms");
        valueRow("Publish → webhook p99 @1000/s (open loop)", ms(p99), p99, 25, "≤ 25 ms");
        ratioRow(
                "Replay (pull + ack) vs raw Kafka consumer",
                "bus.replay.perSecond",
                "anchors.kafka.consume.perSecond",
                0.3,
                "≥ 0.3×");
        Map<?, ?> usage = l1000 == null ? null : (Map<?, ?>) l1000.get("usage");
        double rss = usage == null ? Double.NaN : d(usage.get("libertyRssMaxMiB"));
        valueRow("Liberty RSS at 1000 ev/s (max)", mib(rss), rss, 600, "≤ 600 MiB");
        double warm = r.number("bus.start.warmMs") / 1000;
        valueRow("Warm start (server start → /health/ready 200)", sec(warm), warm, 20, "≤ 20 s");
        ratioRow(
                "Open /health/live vs a static file @16",
                "bus.ceiling.healthLive",
                "bus.ceiling.staticFile",
                0.8,
                "≥ 0.8×");
        ratioRow(
                "Authenticated publish refused (400) vs a static file @16",
                "bus.ceiling.invalidPublish",
                "bus.ceiling.staticFile",
                0.7,
                "≥ 0.7×");
        ratioRow("Single publish @32 vs a static file @16", "bus.publish.c32", "bus.ceiling.staticFile", 0.4, "≥ 0.4×");
        cdi.targetRows();
        search.targetRows();
        line("");
    }

    private void closing() {
        line("## Notes");
        line("");
        for (String n : r.notes()) {
            line("- " + n);
        }
        line("- Closed loop: each client sends its next request when the previous one answered; open loop: sends"
                + " are due at fixed intervals whatever the answers, and latency counts from the due time.");
        line("- The benchmark's clients and webhook receiver share the same cores as the servers: a saturated"
                + " machine (busy cores near the core count) limits every figure, the anchors' too.");
        Map<String, String> errors = r.errors();
        if (!errors.isEmpty()) {
            line("");
            line("## Errors");
            line("");
            errors.forEach((k, v) -> line("- `" + k + "`: " + v.replace('\n', ' ')));
        }
    }

    private void ratioRow(String name, String busKey, String refKey, double target, String targetText) {
        double bus = r.number(busKey);
        double ref = r.number(refKey);
        double q = bus / ref;
        line("| " + name + " | " + rate(bus) + " | " + rate(ref) + " | " + ratio(q) + " | " + targetText + " | "
                + met(q, target, true) + " |");
    }

    private void valueRow(String name, String shown, double value, double limit, String targetText) {
        line("| " + name + " | " + shown + " | – | " + shown + " | " + targetText + " | " + met(value, limit, false)
                + " |");
    }
}
