package com.idynic.eventbus.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs the benchmark against a running bus ({@code bench/run.sh} starts one) and writes
 * {@code <out>/<run id>.json} and {@code <out>/<run id>.md}, then prints the markdown. A scenario that fails is
 * recorded and the run goes on; the exit status is 0 when the results were written.
 */
public final class BenchMain {
    private static final List<String> BENCH_TYPES = List.of(
            PublishScenarios.TYPE,
            PublishScenarios.BATCH_TYPE,
            "bench.fanout1",
            "bench.fanout10",
            "bench.keepup.unordered",
            "bench.keepup.ordered",
            LatencyScenario.TYPE,
            CatchUpScenario.TYPE,
            "bench.cost1",
            "bench.cost10",
            PullDrainScenario.TYPE,
            TwoServersScenario.ORDERED_TYPE);

    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        EnvFile env = EnvFile.read(o.envFile());
        Results results = new Results();
        Machine.describe(o).forEach((k, v) -> results.put("machine." + k, v));
        results.put("run.id", o.runId());
        results.put("run.mode", o.quick() ? "quick" : "full");
        results.put("run.plan", planMap(o.plan()));
        results.put("run.url", o.url().toString());
        if (o.starts() != null && Files.exists(o.starts())) {
            EnvFile starts = EnvFile.read(o.starts());
            for (String k : List.of("coldMs", "warmMs", "stopMs")) {
                String v = starts.get(k, "");
                if (!v.isEmpty()) {
                    results.put("bus.start." + k, Long.parseLong(v));
                }
            }
        }
        BusClient bus = new BusClient(o.url(), env.require("EVENTBUS_AUTH_ADMIN_KEY"));
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            Bench b = new Bench(o, env, bus, receiver, results);
            if (!b.sampler.knowsLiberty()) {
                results.note("Liberty's pid unknown (--liberty-pid): no RSS or CPU figures for Liberty");
            }
            results.put("bus.idle.libertyRssMiB", b.sampler.rssMiB());
            b.section("setup", () -> {
                bus.token();
                // from here on every measured window also reads PostgreSQL's, Kafka's and this program's CPU
                b.sampler.roles(new CpuMeter(
                        CpuMeter.roots(b.options.libertyPid(), 0, b.db.postmasterPid()),
                        b.options.devstackPid(),
                        b.options.clkTck()));
                for (String type : BENCH_TYPES) {
                    bus.ensureSchema(type);
                }
            });
            b.section("anchors.pg", () -> new PostgresAnchor(b).run());
            b.section("anchors.kafka", () -> new KafkaAnchor(b).run());
            b.section("anchors.rabbitmq", () -> new RabbitAnchor(b).run());
            b.section("anchors.nats", () -> new NatsAnchor(b).run());
            PublishScenarios publish = new PublishScenarios(b);
            b.section("bus.warmup", publish::warmUp);
            b.section("bus.publish", publish::durable);
            b.section("bus.batch", publish::batch);
            b.section("bus.sdk", () -> new SdkPublishScenario(b).run());
            b.section("bus.ceiling", publish::ceilings);
            b.section("bus.fanout", () -> new FanOutScenario(b).run());
            b.section("bus.keepup", () -> new KeepUpScenario(b).run());
            b.section("bus.latency.webhook", () -> new LatencyScenario(b).run());
            b.section("bus.latency.cdi", () -> new CdiLatencyScenario(b).run());
            b.section("bus.catchup", () -> new CatchUpScenario(b).run());
            b.section("bus.replay", () -> new ReplayScenario(b).run());
            b.section("bus.cdi.keepup", () -> new CdiKeepUpScenario(b).run());
            b.section("bus.cdi.drain", () -> new CdiDrainScenario(b).run());
            b.section("bus.cdi.publish", () -> new CdiPublishScenario(b).run());
            b.section("bus.pull", () -> new PullDrainScenario(b).run());
            b.section("bus.cost", () -> new CostScenario(b).run());
            b.section("bus.search", () -> new SearchScenario(b).run());
            if (o.only().contains("bus.twoservers")) {
                // starts a second Liberty server: only when asked for by name
                b.section("bus.twoservers", () -> new TwoServersScenario(b).run());
            }
            if (receiver.unknownCalls() > 0) {
                results.note(receiver.unknownCalls() + " webhook calls reached the receiver for no current sink"
                        + " (late deliveries of deleted subscriptions)");
            }
        }
        write(o, results);
        System.exit(0);
    }

    private static java.util.Map<String, Object> planMap(Plan p) {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("warmupSeconds", p.warmupSeconds());
        m.put("measureSeconds", p.measureSeconds());
        m.put("publishClients", p.publishClients());
        m.put("anchorClients", p.anchorClients());
        m.put("pgClients", p.pgClients());
        m.put("latencyRates", p.latencyRates());
        m.put("backlogMax", p.backlog());
        m.put("backlogFixed", p.backlogFixed());
        m.put("backlogSeconds", p.backlogSeconds());
        m.put("costEventsMax", p.costEvents());
        m.put("costSeconds", p.costSeconds());
        m.put("idleSeconds", p.idleSeconds());
        m.put("cdiKeepUpSeconds", p.cdiKeepUpSeconds());
        m.put("cdiPublishClients", CdiPublishScenario.CLIENTS);
        m.put("pullBacklog", p.pullBacklog());
        m.put("pullClients", PullDrainScenario.CLIENTS);
        m.put("pullMaxEvents", PullDrainScenario.MAX_EVENTS);
        m.put("fanOutClients", Plan.FAN_CLIENTS);
        m.put("batchClients", Plan.BATCH_CLIENTS);
        m.put("batchSize", Plan.BATCH_SIZE);
        m.put("keys", Plan.KEYS);
        m.put("dataBytes", Payloads.DATA_BYTES);
        m.put("twoServersPublishClients", TwoServersScenario.PUBLISH_CLIENTS);
        m.put("twoServersDeliveryClients", TwoServersScenario.DELIVERY_CLIENTS);
        return m;
    }

    private static void write(Options o, Results results) throws Exception {
        Files.createDirectories(o.outDir());
        Path json = o.outDir().resolve(o.runId() + ".json");
        Path md = o.outDir().resolve(o.runId() + ".md");
        Files.writeString(json, JsonOut.write(results.tree()), StandardCharsets.UTF_8);
        String markdown = Report.markdown(results, o);
        Files.writeString(md, markdown, StandardCharsets.UTF_8);
        System.out.println(markdown);
        System.err.println("bench: wrote " + json + " and " + md);
    }
}
