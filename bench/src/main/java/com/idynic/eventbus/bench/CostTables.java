package com.idynic.eventbus.bench;

import static com.idynic.eventbus.bench.Format.cores;
import static com.idynic.eventbus.bench.Format.d;
import static com.idynic.eventbus.bench.Format.mib;
import static com.idynic.eventbus.bench.Format.num;
import static com.idynic.eventbus.bench.Format.rate;
import static com.idynic.eventbus.bench.Format.sec;

import java.util.Map;

/** The tables of what the bus costs: database work per event, and Liberty's and the machine's use per scenario. */
final class CostTables extends ReportPart {
    CostTables(Results r, Options o, StringBuilder md) {
        super(r, o, md);
    }

    void cost() {
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

    static String rows(Map<?, ?> m, Object table) {
        if (m == null || !(m.get(table) instanceof Map<?, ?> t)) {
            return "–";
        }
        return num(d(t.get("inserted"))) + " / " + num(d(t.get("updated"))) + " / " + num(d(t.get("deleted")));
    }

    void resources() {
        line("## Liberty and the machine per scenario");
        line("");
        line("| Scenario | Liberty RSS max MiB | Liberty CPU cores | PostgreSQL CPU cores | Kafka CPU cores"
                + " | Benchmark CPU cores | Machine busy cores (of " + str("machine.nproc") + ") |");
        line("|---|---|---|---|---|---|---|");
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
        usageRow("CDI keep-up, batch publish", usage("bus.cdi.keepup.publish"));
        usageRow("CDI drain", usage("bus.cdi.drain.usage"));
        usageRow("Publish @32, CDI active", usage("bus.cdi.publish.active"));
        usageRow("Publish @32, CDI paused", usage("bus.cdi.publish.paused"));
        usageRow("Pull drain unordered", usage("bus.pull.unordered.usage"));
        usageRow("Pull drain ordered", usage("bus.pull.ordered.usage"));
        line("");
        line("Start: cold " + sec(r.number("bus.start.coldMs") / 1000) + " s (`server start --clean`, fresh database),"
                + " warm " + sec(r.number("bus.start.warmMs") / 1000) + " s (restart), each until /health/ready"
                + " answered 200; stop " + sec(r.number("bus.start.stopMs") / 1000) + " s. Idle Liberty RSS "
                + mib(r.number("bus.idle.libertyRssMiB")) + " MiB.");
        line("");
    }

    Map<?, ?> usage(String key) {
        Object v = r.get(key);
        if (v instanceof LoadResult l) {
            return l.usage() == null ? null : l.usage().toMap();
        }
        if (v instanceof Usage u) {
            return u.toMap();
        }
        return null;
    }

    void usageRow(String name, Map<?, ?> u) {
        if (u != null) {
            line("| " + name + " | " + mib(d(u.get("libertyRssMaxMiB"))) + " | " + cores(d(u.get("libertyCpuCores")))
                    + " | " + cores(d(u.get("postgresCores"))) + " | " + cores(d(u.get("kafkaCores"))) + " | "
                    + cores(d(u.get("benchCores"))) + " | "
                    + cores(d(u.get("machineBusyCores"))) + " |");
        }
    }
}
