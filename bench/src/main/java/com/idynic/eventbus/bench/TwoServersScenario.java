package com.idynic.eventbus.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * One server against two on the same PostgreSQL, Kafka and Redis, in one run: single publish at
 * {@value #PUBLISH_CLIENTS} clients, batch publish ({@value Plan#BATCH_SIZE} per request, {@value Plan#BATCH_CLIENTS}
 * clients) and publish-to-webhook delivery to one ordered subscription ({@value #DELIVERY_CLIENTS} publishing
 * clients, {@value Plan#KEYS} keys), first against the benchmarked server alone, then with a second server (a copy
 * of the first on other ports, {@link SecondServer}) and the clients spread round-robin over both. Each window
 * also records the CPU of every process by role ({@link CpuMeter}): on a 2-core machine the servers, PostgreSQL,
 * Kafka and the benchmark share the same cores, so a second server adds HTTP capacity only where cores were idle.
 */
final class TwoServersScenario {
    static final String KEY = "bus.two";
    static final String ORDERED_TYPE = "bench.two.ordered";
    static final int PUBLISH_CLIENTS = 32;
    static final int DELIVERY_CLIENTS = 16;
    /** The dispatcher's consumer group (the bus's default {@code eventbus.kafka.dispatcher-group}). */
    static final String DISPATCHER_GROUP = "eventbus-dispatcher";
    /** Advisory-lock class of the relay lanes ({@code RelayLanes}: "EBLN"). */
    private static final long LANE_LOCK_CLASS = 0x45424c4e;

    private final Bench b;
    private final Plan plan;

    TwoServersScenario(Bench b) {
        this.b = b;
        // at least 5 s measured: delivery needs a longer window than a publish to show its rate
        this.plan = b.plan.with(
                Math.max(2, b.plan.warmupSeconds()),
                Math.max(5, b.plan.measureSeconds()),
                b.plan.backlog(),
                b.plan.backlogFixed());
    }

    void run() throws Exception {
        if (b.options.wlp() == null) {
            throw new IllegalStateException("--wlp (the Liberty installation) is needed to start a second server");
        }
        b.bus.ensureSchema(ORDERED_TYPE);
        b.results.put(KEY + ".measureSeconds", plan.measureSeconds());
        b.results.put(KEY + ".warmupSeconds", plan.warmupSeconds());
        b.results.put(KEY + ".batchMeasureSeconds", b.plan.measureSeconds());
        b.results.put(KEY + ".batchWarmupSeconds", b.plan.warmupSeconds());
        long postmaster = b.db.postmasterPid();
        if (postmaster == 0) {
            b.results.note("two servers: PostgreSQL's postmaster pid unknown: its CPU counts as other");
        }
        phase("one", List.of(b.bus), CpuMeter.roots(b.options.libertyPid(), 0, postmaster));
        long t0 = System.nanoTime();
        try (SecondServer second =
                SecondServer.start(b.options.wlp(), b.options.serverName(), b.bus, Duration.ofSeconds(300))) {
            b.results.put(KEY + ".secondServerStartSeconds", (System.nanoTime() - t0) / 1e9);
            b.results.put(KEY + ".two.secondServerPid", second.pid());
            if (second.pid() == 0) {
                b.results.note("two servers: the second server's pid unknown: its CPU counts as other");
            }
            BusClient bus2 = new BusClient(second.url(), b.bus.apiKey());
            bus2.token();
            awaitBothServing();
            double warm = b.plan.measureSeconds() <= 5 ? 20 : 60;
            b.results.put(
                    KEY + ".two.warmupSecondServer.c8",
                    b.loop.run(
                            8,
                            Spread.over(List.of(bus2), publisher(PublishScenarios.TYPE, "twowarm")),
                            202,
                            1,
                            b.plan.with(0, warm, b.plan.backlog(), true)));
            phase("two", List.of(b.bus, bus2), CpuMeter.roots(b.options.libertyPid(), second.pid(), postmaster));
        }
        for (String point : List.of("publish", "batch", "delivered")) {
            b.results.put(KEY + ".ratio." + point, number("two", point) / number("one", point));
        }
    }

    /** @return the roles of the Liberty servers and PostgreSQL by pid (an unknown pid, 0, is left out) */

    /** @return a phase's rate of one point: publish and batch events accepted, delivered events per second */
    private double number(String phase, String point) {
        return switch (point) {
            case "publish" -> b.results.number(KEY + "." + phase + ".publish.c" + PUBLISH_CLIENTS);
            case "batch" -> b.results.number(KEY + "." + phase + ".batch.c" + Plan.BATCH_CLIENTS);
            default -> b.results.number(KEY + "." + phase + ".ordered.deliveredPerSecond");
        };
    }

    private void phase(String name, List<BusClient> servers, Map<Long, String> liberties) throws Exception {
        String key = KEY + "." + name;
        CpuMeter meter = new CpuMeter(liberties, b.options.devstackPid(), b.options.clkTck());
        b.results.put(key + ".servers", servers.size());
        b.results.put(key + ".clientsPerServer.publish", Spread.clientsPerServer(PUBLISH_CLIENTS, servers.size()));

        b.settleOrNote("two servers, " + name + ": publish");
        Cpu cpu = new Cpu(meter);
        b.results.put(
                key + ".publish.c" + PUBLISH_CLIENTS,
                b.loop.run(
                        PUBLISH_CLIENTS,
                        Spread.over(servers, publisher(PublishScenarios.TYPE, "two")),
                        202,
                        1,
                        plan,
                        cpu));
        b.results.put(key + ".publish.cpu", cpu.cores);

        if (b.batchAvailable()) {
            b.settleOrNote("two servers, " + name + ": batch");
            // the plan's own short window, as bus.batch: a longer one reaches the outbox backlog threshold
            // (10,000 events waiting for Kafka) and measures the relay's 429s instead
            Cpu bcpu = new Cpu(meter);
            b.results.put(
                    key + ".batch.c" + Plan.BATCH_CLIENTS,
                    b.loop.run(
                            Plan.BATCH_CLIENTS,
                            Spread.over(
                                    servers,
                                    (bus, i) -> () -> bus.postStatus(
                                            "/v1/events/batch",
                                            b.payloads.batch(PublishScenarios.BATCH_TYPE, "twob", Plan.BATCH_SIZE))),
                            202,
                            Plan.BATCH_SIZE,
                            b.plan,
                            bcpu));
            b.results.put(key + ".batch.cpu", bcpu.cores);
        }
        delivery(key, name, servers, meter);
    }

    /** Publishing to an ordered webhook subscription while it delivers: both rates over the same window. */
    private void delivery(String key, String name, List<BusClient> servers, CpuMeter meter) throws Exception {
        Sink sink = b.receiver.sink("two-" + name);
        String id = b.subscriptionId("two-" + name);
        try {
            // a backlog left by the batch point drains first: the probe must not meet a 429
            if (!b.settle(Duration.ofSeconds(120))) {
                b.results.note("two servers, " + name + ": the outbox had not drained 120 s after the batch point");
            }
            b.bus.webhook(id, ORDERED_TYPE, b.receiver.url(sink), "ordered");
            Thread.sleep(BusClient.PROPAGATION_MILLIS);
            b.probe(ORDERED_TYPE, sink);
            b.settleOrNote("two servers, " + name + ": ordered delivery");
            long base = sink.unique();
            AtomicLong accepted = new AtomicLong();
            ClosedLoop.Factory publisher = Spread.over(servers, (bus, i) -> {
                ClosedLoop.Client c = publisher(ORDERED_TYPE, "two" + name).open(bus, i);
                return () -> {
                    int s = c.call();
                    if (s == 202) {
                        accepted.incrementAndGet();
                    }
                    return s;
                };
            });
            long[] window = new long[4];
            Cpu cpu = new Cpu(meter) {
                @Override
                public void windowStart() {
                    window[0] = sink.unique();
                    super.windowStart();
                }

                @Override
                public void windowEnd() {
                    super.windowEnd();
                    window[1] = sink.unique();
                    window[2] = accepted.get();
                    window[3] = System.nanoTime();
                }
            };
            LoadResult r = b.loop.run(DELIVERY_CLIENTS, publisher, 202, 1, plan, cpu);
            double delivered = (window[1] - window[0]) / r.seconds();
            b.results.put(key + ".ordered.publish", r);
            b.results.put(key + ".ordered.deliveredPerSecond", delivered);
            b.results.put(key + ".ordered.lagAtEnd", Math.max(0, window[2] - (window[1] - base)));
            b.results.put(key + ".ordered.cpu", cpu.cores);
            long total = accepted.get();
            boolean drained = Waits.until(
                    Duration.ofSeconds(b.options.quick() ? 60 : 180),
                    Duration.ofMillis(20),
                    () -> sink.unique() - base >= total);
            if (drained) {
                b.results.put(
                        key + ".ordered.drainSecondsAfterEnd", Math.max(0, (sink.lastArrival() - window[3]) / 1e9));
            } else {
                b.results.note("two servers, " + name + ": " + (total - (sink.unique() - base))
                        + " events still undelivered when the wait ended");
            }
        } finally {
            b.bus.deleteSubscription(id);
            b.receiver.drop(sink);
        }
    }

    /** A single publish of {@code type} to the client's server. */
    private Spread.PerServer<BusClient> publisher(String type, String tag) {
        return (bus, i) -> () -> {
            String id = b.payloads.nextId(tag);
            return bus.postStatus("/v1/events", b.payloads.envelope(type, id, Bench.idNumber(id)));
        };
    }

    /**
     * Waits until the second server relays its share (the 8 relay lanes split 4 and 4) and dispatches (two
     * members in the dispatcher's consumer group); records what it saw and notes a wait that ran out.
     */
    private void awaitBothServing() throws InterruptedException {
        List<Integer> lanes = new ArrayList<>();
        boolean split = Waits.until(Duration.ofSeconds(60), Duration.ofMillis(250), () -> {
            lanes.clear();
            lanes.addAll(laneShares());
            return lanes.equals(List.of(4, 4));
        });
        b.results.put(KEY + ".two.relayLanesPerServer", List.copyOf(lanes));
        if (!split) {
            b.results.note("two servers: the relay lanes were not split 4 and 4 within 60 s (" + lanes + ")");
        }
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, b.env.require("EVENTBUS_KAFKA_BOOTSTRAP"));
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        long[] members = {-1};
        try (Admin admin = Admin.create(p)) {
            boolean joined = Waits.until(Duration.ofSeconds(60), Duration.ofMillis(500), () -> {
                members[0] = admin.describeConsumerGroups(List.of(DISPATCHER_GROUP))
                        .all()
                        .get()
                        .get(DISPATCHER_GROUP)
                        .members()
                        .size();
                return members[0] == 2;
            });
            b.results.put(KEY + ".two.dispatcherMembers", members[0]);
            if (!joined) {
                b.results.note("two servers: the dispatcher group had " + members[0] + " members after 60 s, not 2");
            }
        } catch (org.apache.kafka.common.KafkaException e) {
            b.results.note("two servers: the dispatcher group could not be read (" + e + "; " + e.getCause() + ")");
        }
    }

    /** @return how many relay lanes each PostgreSQL session holds, fewest first */
    private List<Integer> laneShares() throws Exception {
        try (Connection c = b.db.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select count(*) from pg_locks where locktype = 'advisory' and granted"
                        + " and objsubid = 2 and classid::bigint = " + LANE_LOCK_CLASS + " group by pid order by 1")) {
            List<Integer> shares = new ArrayList<>();
            while (rs.next()) {
                shares.add(rs.getInt(1));
            }
            return shares;
        }
    }

    /** Hooks that measure every role's CPU over the loop's window. */
    private static class Cpu implements ClosedLoop.Hooks {
        private final CpuMeter meter;
        private CpuMeter.Window window;
        Map<String, Double> cores = Map.of();

        Cpu(CpuMeter meter) {
            this.meter = meter;
        }

        @Override
        public void windowStart() {
            window = meter.start();
        }

        @Override
        public void windowEnd() {
            cores = window.stop();
        }
    }
}
