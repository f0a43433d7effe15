package com.idynic.eventbus.bench;

import static com.idynic.eventbus.bench.Format.cores;
import static com.idynic.eventbus.bench.Format.d;
import static com.idynic.eventbus.bench.Format.mib;
import static com.idynic.eventbus.bench.Format.ms;
import static com.idynic.eventbus.bench.Format.rate;
import static com.idynic.eventbus.bench.Format.ratio;
import static com.idynic.eventbus.bench.Format.sec;

import java.util.Map;

/** The tables of throughput and latency: publish, the anchors, delivery and open-loop latency. */
final class ThroughputTables extends ReportPart {
    ThroughputTables(Results r, Options o, StringBuilder md) {
        super(r, o, md);
    }

    void publish() {
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
        LoadResult file = r.load("bus.ceiling.staticFile");
        if (file != null) {
            line("Reference at 16 clients: a static file (`GET " + PublishScenarios.STATIC_FILE + "`) " + rate(file)
                    + "/s (p99 " + ms(file, 99) + " ms).");
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

    void anchors() {
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

    void anchorRows(String name, String prefix, java.util.List<Integer> clients) {
        for (int c : clients) {
            LoadResult a = r.load(prefix + c);
            if (a != null) {
                line("| " + name + " | " + c + " | " + rate(a) + " | " + ms(a, 50) + " | " + ms(a, 99) + " | "
                        + ms(a, 99.9) + " | " + a.errors() + " |");
            }
        }
    }

    void delivery() {
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

    void latency() {
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
}
