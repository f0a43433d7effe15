package com.idynic.eventbus.bench;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.Map;

/**
 * The run as markdown: the targets first (each bus figure, its anchor, the ratio and the target), then the
 * tables behind them, the notes and the errors.
 */
final class Report {
    private final Results r;
    private final Options o;
    private final StringBuilder md = new StringBuilder();

    private Report(Results r, Options o) {
        this.r = r;
        this.o = o;
    }

    static String markdown(Results r, Options o) {
        Report rep = new Report(r, o);
        rep.header();
        rep.targets();
        rep.publish();
        rep.anchors();
        rep.delivery();
        rep.latency();
        rep.cost();
        rep.resources();
        rep.closing();
        return rep.md.toString();
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

    private void targets() {
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
                "Authenticated publish refused (400) vs open /health/live @16",
                "bus.ceiling.invalidPublish",
                "bus.ceiling.healthLive",
                0.7,
                "≥ 0.7×");
        line("");
    }

    private void publish() {
        line("## Durable publish (closed loop, one event per request, 202 after commit)");
        line("");
        line("| Clients | Bus ev/s | p50 ms | p99 ms | p99.9 ms | 429 | other non-202 | errors | PG 1 row/tx | Kafka"
                + " sync | RabbitMQ confirm | NATS JetStream | Bus/PG | Bus/RabbitMQ |");
        line("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (int c : o.plan().publishClients()) {
            LoadResult bus = r.load("bus.publish.c" + c);
            double pg = r.number("anchors.pg.insert1.c" + c);
            double rabbit = r.number("anchors.rabbitmq.publish.c" + c);
            line("| " + c + " | " + rate(bus) + " | " + ms(bus, 50) + " | " + ms(bus, 99) + " | " + ms(bus, 99.9)
                    + " | "
                    + (bus == null ? "–" : bus.status(429)) + " | " + (bus == null ? "–" : bus.otherThan429()) + " | "
                    + (bus == null ? "–" : bus.errors()) + " | " + rate(pg) + " | "
                    + rate(r.number("anchors.kafka.produce.c" + c)) + " | " + rate(rabbit) + " | "
                    + rate(r.number("anchors.nats.publish.c" + c)) + " | " + ratio(rate(bus, pg)) + " | "
                    + ratio(rate(bus, rabbit)) + " |");
        }
        line("");
        LoadResult batch = r.load("bus.batch.c8");
        if (batch != null) {
            line("Batch publish (" + Plan.BATCH_SIZE + " events per request, 8 clients): " + rate(batch)
                    + " events/s, p50 " + ms(batch, 50) + " ms, p99 " + ms(batch, 99) + " ms per request; raw PG "
                    + Plan.BATCH_SIZE + " rows per transaction at 8 clients: "
                    + rate(r.number("anchors.pg.insert100.c8")) + " rows/s.");
        } else {
            line("Batch publish: not measured (see notes).");
        }
        LoadResult live = r.load("bus.ceiling.healthLive");
        LoadResult invalid = r.load("bus.ceiling.invalidPublish");
        if (live != null && invalid != null) {
            line("Ceilings at 16 clients: open `GET /health/live` " + rate(live) + "/s (p99 " + ms(live, 99)
                    + " ms); authenticated `POST /v1/events` refused with 400 " + rate(invalid) + "/s (p99 "
                    + ms(invalid, 99) + " ms).");
        }
        line("");
    }

    private void anchors() {
        line("## Anchors (same machine, same payload, closed loop)");
        line("");
        line("| Anchor | Clients | per s | p50 ms | p99 ms | p99.9 ms | errors |");
        line("|---|---|---|---|---|---|---|");
        anchorRows(
                "PostgreSQL insert, 1 row/tx", "anchors.pg.insert1.c", o.plan().pgClients());
        anchorRows(
                "PostgreSQL insert, " + Plan.BATCH_SIZE + " rows/tx (rows/s)",
                "anchors.pg.insert100.c",
                java.util.List.of(Plan.BATCH_CLIENTS));
        anchorRows(
                "Kafka producer acks=all idempotent, sync",
                "anchors.kafka.produce.c",
                o.plan().anchorClients());
        anchorRows(
                "RabbitMQ durable + persistent + confirm",
                "anchors.rabbitmq.publish.c",
                o.plan().anchorClients());
        anchorRows(
                "NATS JetStream file stream, sync publish",
                "anchors.nats.publish.c",
                o.plan().anchorClients());
        line("");
        line("Kafka consumer from the beginning: " + rate(r.number("anchors.kafka.consume.perSecond")) + " records/s ("
                + str("anchors.kafka.consume.records") + " records). Versions: PostgreSQL "
                + str("anchors.pg.version") + ", RabbitMQ " + str("anchors.rabbitmq.version") + ", NATS "
                + str("anchors.nats.version") + ".");
        line("");
    }

    private void anchorRows(String name, String prefix, java.util.List<Integer> clients) {
        for (int c : clients) {
            LoadResult a = r.load(prefix + c);
            if (a != null) {
                line("| " + name + " | " + c + " | " + rate(a) + " | " + ms(a, 50) + " | " + ms(a, 99) + " | "
                        + ms(a, 99.9) + " | " + a.errors() + " |");
            }
        }
    }

    private void delivery() {
        line("## Delivery (webhook receiver in the benchmark's JVM, answers 204 at once)");
        line("");
        line("| Scenario | Publish ev/s | Delivered ev/s | Ratio | Notes |");
        line("|---|---|---|---|---|");
        for (int subs : new int[] {1, 10}) {
            line("| Fan-out, " + subs + " subscription" + (subs > 1 ? "s" : "") + ", 16 clients | "
                    + rate(r.number("bus.fanout.subs" + subs)) + " | "
                    + rate(r.number("bus.fanout.deliveredPerSecond.subs" + subs)) + " (all subscriptions) | | |");
        }
        for (String mode : new String[] {"unordered", "ordered"}) {
            String k = "bus.keepup." + mode;
            line("| Keeps up, " + mode + (mode.equals("ordered") ? " (64 keys)" : "") + ", 16 clients | "
                    + rate(r.number(k + ".publishPerSecond")) + " | " + rate(r.number(k + ".deliveredPerSecond"))
                    + " | " + ratio(r.number(k + ".ratio")) + " | lag at end " + str(k + ".lagAtEnd")
                    + ", drained " + sec(r.number(k + ".drainSecondsAfterEnd")) + " s later |");
        }
        for (String mode : new String[] {"unordered", "ordered"}) {
            String k = "bus.catchup." + mode;
            line("| Catch-up, " + mode + ", " + str("bus.catchup.events") + " events | "
                    + rate(r.number("bus.catchup.publish")) + " (" + str("bus.catchup.publishMode") + ") | "
                    + rate(r.number(k + ".drainPerSecond")) + " | " + ratio(r.number(k + ".ratioToSteady"))
                    + " of steady | drained in " + sec(r.number(k + ".drainSeconds")) + " s |");
        }
        line("| Replay to a pull subscription, " + str("bus.replay.events") + " events | | "
                + rate(r.number("bus.replay.perSecond")) + " | " + ratio(r.number("bus.replay.ratioToKafkaConsumer"))
                + " of raw consumer | read from " + str("bus.replay.readFrom") + ", budget "
                + str("bus.replay.ratePerSecondBudget") + "/s |");
        line("");
    }

    private void latency() {
        line("## Open-loop latency (publish due time → arrival)");
        line("");
        line("| Receiver | Target ev/s | Achieved ev/s | Publish p50 / p99 ms | p50 ms | p99 ms | p99.9 ms | max ms |"
                + " Not delivered ≤ 30 s | Liberty RSS max MiB | Liberty CPU cores |");
        line("|---|---|---|---|---|---|---|---|---|---|---|");
        for (String receiver : new String[] {"webhook", "cdi"}) {
            for (int rate : o.plan().latencyRates()) {
                Map<?, ?> m = map("bus.latency." + receiver + ".r" + rate);
                if (m == null) {
                    continue;
                }
                Map<?, ?> u = (Map<?, ?>) m.get("usage");
                line("| " + receiver + " | " + rate + " | " + rate(d(m.get("acceptedPerSecond"))) + " | "
                        + ms(d(m.get("publishP50Ms"))) + " / " + ms(d(m.get("publishP99Ms"))) + " | "
                        + ms(d(m.get("p50Ms"))) + " | " + ms(d(m.get("p99Ms"))) + " | " + ms(d(m.get("p999Ms"))) + " | "
                        + ms(d(m.get("maxMs"))) + " | " + m.get("notDeliveredWithin30s") + " | "
                        + mib(u == null ? Double.NaN : d(u.get("libertyRssMaxMiB"))) + " | "
                        + cores(u == null ? Double.NaN : d(u.get("libertyCpuCores"))) + " |");
            }
        }
        Object reason = r.get("bus.latency.cdi.reason");
        if (reason != null) {
            line("");
            line("CDI observer latency: not measured (" + reason + ").");
        }
        line("");
    }

    private void cost() {
        line("## Per-event database cost (" + str("bus.cost.subs1.events") + " events per run, delivered everywhere)");
        line("");
        line("| | 1 subscription | 10 subscriptions |");
        line("|---|---|---|");
        line("| transactions / event (idle polling subtracted) | "
                + num(r.number("bus.cost.subs1.transactionsPerEvent")) + " | "
                + num(r.number("bus.cost.subs10.transactionsPerEvent")) + " |");
        line("| transactions / event (raw) | " + num(r.number("bus.cost.subs1.transactionsPerEventRaw")) + " | "
                + num(r.number("bus.cost.subs10.transactionsPerEventRaw")) + " |");
        Map<?, ?> one = map("bus.cost.subs1.rowsPerEvent");
        Map<?, ?> ten = map("bus.cost.subs10.rowsPerEvent");
        java.util.Set<Object> tables = new java.util.TreeSet<>();
        if (one != null) {
            tables.addAll(one.keySet());
        }
        if (ten != null) {
            tables.addAll(ten.keySet());
        }
        for (Object t : tables) {
            line("| rows / event in `" + t + "` (ins / upd / del) | " + rows(one, t) + " | " + rows(ten, t) + " |");
        }
        line("");
        line("Idle: " + num(r.number("bus.cost.idleTransactionsPerSecond")) + " transactions/s with the"
                + " cost scenario's 11 subscriptions and nothing published.");
        line("");
    }

    private static String rows(Map<?, ?> m, Object table) {
        if (m == null || !(m.get(table) instanceof Map<?, ?> t)) {
            return "–";
        }
        return num(d(t.get("inserted"))) + " / " + num(d(t.get("updated"))) + " / " + num(d(t.get("deleted")));
    }

    private void resources() {
        line("## Liberty and the machine per scenario");
        line("");
        line("| Scenario | Liberty RSS max MiB | Liberty CPU cores | Machine busy cores (of " + str("machine.nproc")
                + ") |");
        line("|---|---|---|---|");
        for (int c : o.plan().publishClients()) {
            usageRow("Publish @" + c, usage("bus.publish.c" + c));
        }
        usageRow("Batch @8", usage("bus.batch.c8"));
        usageRow("Fan-out 1 subscription", usage("bus.fanout.subs1"));
        usageRow("Fan-out 10 subscriptions", usage("bus.fanout.subs10"));
        usageRow("Keeps up unordered", usage("bus.keepup.unordered.publish"));
        usageRow("Keeps up ordered", usage("bus.keepup.ordered.publish"));
        for (int rate : o.plan().latencyRates()) {
            Map<?, ?> m = map("bus.latency.webhook.r" + rate);
            usageRow("Latency " + rate + "/s", m == null ? null : (Map<?, ?>) m.get("usage"));
        }
        usageRow("Catch-up drain unordered", usage("bus.catchup.unordered.usage"));
        usageRow("Catch-up drain ordered", usage("bus.catchup.ordered.usage"));
        usageRow("Replay", usage("bus.replay.usage"));
        line("");
        line("Start: cold " + sec(r.number("bus.start.coldMs") / 1000) + " s (`server start --clean`, fresh database),"
                + " warm " + sec(r.number("bus.start.warmMs") / 1000) + " s (restart), each until /health/ready"
                + " answered 200; stop " + sec(r.number("bus.start.stopMs") / 1000) + " s. Idle Liberty RSS "
                + mib(r.number("bus.idle.libertyRssMiB")) + " MiB.");
        line("");
    }

    private Map<?, ?> usage(String key) {
        Object v = r.get(key);
        if (v instanceof LoadResult l) {
            return l.usage() == null ? null : l.usage().toMap();
        }
        if (v instanceof Usage u) {
            return u.toMap();
        }
        return null;
    }

    private void usageRow(String name, Map<?, ?> u) {
        if (u != null) {
            line("| " + name + " | " + mib(d(u.get("libertyRssMaxMiB"))) + " | " + cores(d(u.get("libertyCpuCores")))
                    + " | " + cores(d(u.get("machineBusyCores"))) + " |");
        }
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

    private static String met(double value, double target, boolean atLeast) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "–";
        }
        return (atLeast ? value >= target : value <= target) ? "yes" : "**no**";
    }

    /** @return the value under this key as text, "–" when absent */
    private String str(String key) {
        Object v = r.get(key);
        return v == null ? "–" : v.toString();
    }

    private Map<?, ?> map(String key) {
        return r.get(key) instanceof Map<?, ?> m ? m : null;
    }

    private static double d(Object v) {
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private static double rate(LoadResult a, double b) {
        return a == null ? Double.NaN : a.perSecond() / b;
    }

    private static String rate(LoadResult a) {
        return a == null ? "–" : rate(a.perSecond());
    }

    private static String rate(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "–" : String.format(Locale.ROOT, "%,.0f", v);
    }

    private static String ms(LoadResult a, double percentile) {
        return a == null ? "–" : ms(a.percentileMs(percentile));
    }

    private static String ms(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String sec(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String mib(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.0f", v);
    }

    private static String cores(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String ratio(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "–" : String.format(Locale.ROOT, "%.2f×", v);
    }

    private static String num(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "–" : round(v);
    }

    /** @return {@code d} with at most 4 decimals (1 from 100 on), no exponent */
    static String round(double d) {
        return BigDecimal.valueOf(d)
                .setScale(Math.abs(d) >= 100 ? 1 : 4, RoundingMode.HALF_UP)
                .stripTrailingZeros()
                .toPlainString();
    }

    private void line(String s) {
        md.append(s).append('\n');
    }
}
