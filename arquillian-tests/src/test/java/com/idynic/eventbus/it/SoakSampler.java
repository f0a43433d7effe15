package com.idynic.eventbus.it;

import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.management.remote.JMXConnector;

/**
 * The soak test's sampler: every call to {@link #sample} reads the bus's memory, backlog and lags and appends one row
 * to {@code soak.csv}. Heap after GC is the heap in use right after a full collection the sampler asks the server's
 * JVM for (through JMX, attached by pid): a figure that only a leak makes grow, at the cost of one full GC per sample.
 */
final class SoakSampler implements AutoCloseable {
    /** One reading; -1 where the figure could not be read. */
    record Sample(
            double tSeconds,
            long accepted,
            long delivered,
            long cdiDelivered,
            double rssMb,
            double heapAfterGcMb,
            double outboxBacklog,
            double relayLagSeconds,
            double deliveryLagSeconds,
            double cdiLagSeconds,
            double queueDepth,
            long refused429) {
        static final String HEADER = "t_s,accepted_total,delivered_total,cdi_delivered,rss_mb,heap_after_gc_mb,"
                + "outbox_backlog,relay_lag_s,delivery_lag_s,cdi_lag_s,queue_depth,refused_429";

        String csv() {
            return String.format(
                    Locale.ROOT,
                    "%.1f,%d,%d,%d,%.1f,%.1f,%.0f,%.3f,%.0f,%.0f,%.0f,%d",
                    tSeconds,
                    accepted,
                    delivered,
                    cdiDelivered,
                    rssMb,
                    heapAfterGcMb,
                    outboxBacklog,
                    relayLagSeconds,
                    deliveryLagSeconds,
                    cdiLagSeconds,
                    queueDepth,
                    refused429);
        }
    }

    private final Path csv;
    private final FaultLedger ledger;
    private final String webhook;
    private final Supplier<String> token;
    private final long pid;
    private final long startNanos = System.nanoTime();
    private final List<Sample> samples = new ArrayList<>();
    private volatile JMXConnector jmx;
    private int dumps;
    private double lastDump = -60;

    /**
     * A sample slower than this is a stall worth a dump, taken while the sample still waits (a sample is four
     * requests and a full GC: a second or two under load); at most one dump a minute.
     */
    static final Duration STALL = Duration.ofSeconds(5);

    private static final java.util.concurrent.ScheduledExecutorService WATCHDOG =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "soak-stall-watchdog");
                t.setDaemon(true);
                return t;
            });

    static final int MAX_DUMPS = 20;

    /** A delivery lag this long after the start-up minutes is a stall worth a dump too (at most one a minute). */
    static final Duration LAG_DUMP = Duration.ofSeconds(15);

    static final Duration LAG_DUMP_AFTER = Duration.ofMinutes(5);

    SoakSampler(Path dir, FaultLedger ledger, String webhook, Supplier<String> token) {
        this.csv = dir.resolve("soak.csv");
        this.ledger = ledger;
        this.webhook = webhook;
        this.token = token;
        this.pid = KillAndRestartIT.liberty()
                .orElseThrow(() -> new AssertionError("Liberty process not found"))
                .pid();
        try {
            Files.createDirectories(dir);
            Files.writeString(csv, Sample.HEADER + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads every figure once and appends the row. */
    synchronized Sample sample() {
        long began = System.nanoTime();
        // a sample still running after STALL means the server is stuck: dump what it does while it is
        java.util.concurrent.ScheduledFuture<?> watchdog =
                WATCHDOG.schedule(() -> stallDump((began - startNanos) / 1e9), STALL.toSeconds(), TimeUnit.SECONDS);
        try {
            return sampleNow(began);
        } finally {
            watchdog.cancel(false);
        }
    }

    private Sample sampleNow(long began) {
        JsonObject main = lagOf(webhook);
        JsonObject cdi = lagOf("profile-service");
        Sample s = new Sample(
                (System.nanoTime() - startNanos) / 1e9,
                ledger.answered(202),
                ledger.cleanDeliveries(FaultSuiteIT.MAIN),
                cdiTotal(),
                rssMb(),
                heapAfterGcMb(),
                metric("eventbus_outbox_backlog"),
                metric("eventbus_relay_lag_seconds"),
                age(main),
                age(cdi),
                main == null || cdi == null ? -1 : depth(main) + depth(cdi),
                ledger.answered(429));
        samples.add(s);
        if (s.tSeconds() >= LAG_DUMP_AFTER.toSeconds()
                && Math.max(s.deliveryLagSeconds(), s.cdiLagSeconds()) >= LAG_DUMP.toSeconds()) {
            // delivery stopped while the server still answers (no stuck sample): dump what it does meanwhile
            WATCHDOG.execute(() -> stallDump(s.tSeconds()));
        }
        try {
            Files.writeString(csv, s.csv() + "\n", StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return s;
    }

    /**
     * When the server stops answering the sampler, writes what it and PostgreSQL are doing into
     * {@code stall-<t>.txt}: the JVM's threads (through the JMX connection) and PostgreSQL's busy sessions and
     * waiting locks. At most {@link #MAX_DUMPS} per run.
     */
    private void stallDump(double t) {
        synchronized (WATCHDOG) {
            if (dumps >= MAX_DUMPS || t - lastDump < 60) {
                return;
            }
            dumps++;
            lastDump = t;
        }
        StringBuilder out = new StringBuilder("stall at t=" + t + " s\n");
        try (java.sql.Connection c = Stack.db();
                java.sql.Statement st = c.createStatement()) {
            st.setQueryTimeout(10);
            for (String[] q : List.of(
                    new String[] {
                        "PostgreSQL sessions not idle",
                        "select pid, state, wait_event_type, wait_event, now() - xact_start as xact_age,"
                                + " now() - query_start as query_age, left(query, 300) as query from pg_stat_activity"
                                + " where state <> 'idle' and pid <> pg_backend_pid() order by xact_start"
                    },
                    new String[] {
                        "waiting locks",
                        "select l.pid, l.locktype, l.mode, l.relation::regclass as relation, l.granted,"
                                + " pg_blocking_pids(l.pid) as blocked_by from pg_locks l where not l.granted"
                    })) {
                out.append("\n== ").append(q[0]).append(" ==\n");
                try (java.sql.ResultSet r = st.executeQuery(q[1])) {
                    int n = r.getMetaData().getColumnCount();
                    while (r.next()) {
                        for (int i = 1; i <= n; i++) {
                            out.append(i == 1 ? "" : " | ").append(r.getString(i));
                        }
                        out.append('\n');
                    }
                }
            }
        } catch (java.sql.SQLException | RuntimeException e) {
            out.append("not read: ").append(e).append('\n');
        }
        out.append("\n== Liberty threads ==\n");
        try {
            if (jmx != null) {
                java.lang.management.ThreadMXBean threads = ManagementFactory.newPlatformMXBeanProxy(
                        jmx.getMBeanServerConnection(),
                        ManagementFactory.THREAD_MXBEAN_NAME,
                        java.lang.management.ThreadMXBean.class);
                for (java.lang.management.ThreadInfo info : threads.dumpAllThreads(true, true)) {
                    out.append(info.getThreadName())
                            .append(' ')
                            .append(info.getThreadState())
                            .append(info.getLockName() == null ? "" : " on " + info.getLockName())
                            .append('\n');
                    for (StackTraceElement e : info.getStackTrace()) {
                        out.append("    at ").append(e).append('\n');
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            out.append("not read: ").append(e).append('\n');
        }
        try {
            Files.writeString(csv.resolveSibling(String.format(java.util.Locale.ROOT, "stall-%.0f.txt", t)), out);
        } catch (IOException e) {
            System.out.println("soak: stall dump not written: " + e);
        }
    }

    synchronized List<Sample> samples() {
        return List.copyOf(samples);
    }

    private double rssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException gone) {
            return -1;
        }
        return -1;
    }

    private double heapAfterGcMb() {
        try {
            if (jmx == null) {
                jmx = ConnectionPoolIT.jmx(pid);
            }
            MemoryMXBean memory = ManagementFactory.newPlatformMXBeanProxy(
                    jmx.getMBeanServerConnection(), ManagementFactory.MEMORY_MXBEAN_NAME, MemoryMXBean.class);
            memory.gc();
            return memory.getHeapMemoryUsage().getUsed() / (1024.0 * 1024.0);
        } catch (Exception notAttached) {
            System.out.println("soak: heap not read: " + notAttached);
            return -1;
        }
    }

    private long cdiTotal() {
        try {
            return get("/profile-service/api/received").getJsonNumber("total").longValue();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** @return a subscription's {@code lag} view ({@code queueDepth}, {@code oldestPendingAgeSeconds}), or null */
    private JsonObject lagOf(String subscription) {
        try {
            return get("/v1/subscriptions/" + subscription).getJsonObject("lag");
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static double age(JsonObject lag) {
        if (lag == null) {
            return -1;
        }
        return lag.isNull("oldestPendingAgeSeconds")
                ? 0
                : lag.getJsonNumber("oldestPendingAgeSeconds").doubleValue();
    }

    private static double depth(JsonObject lag) {
        return lag.getJsonNumber("queueDepth").doubleValue();
    }

    private JsonObject get(String path) {
        return Stack.parse(Stack.raw(HttpRequest.newBuilder(URI.create(Stack.baseUrl() + path))
                        .timeout(Duration.ofSeconds(10))
                        .header("Authorization", "Bearer " + token.get())
                        .build())
                .body());
    }

    /** @return the value of an unlabelled gauge in {@code /metrics}, or -1 */
    private double metric(String name) {
        try {
            String body = Stack.raw(HttpRequest.newBuilder(URI.create(Stack.baseUrl() + "/metrics?scope=application"))
                            .timeout(Duration.ofSeconds(10))
                            .header("Accept", "text/plain")
                            .build())
                    .body();
            for (String line : body.split("\n")) {
                if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
        } catch (RuntimeException e) {
            return -1;
        }
        return -1;
    }

    @Override
    public void close() throws IOException {
        if (jmx != null) {
            jmx.close();
        }
    }
}
