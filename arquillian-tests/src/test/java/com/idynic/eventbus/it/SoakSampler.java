package com.idynic.eventbus.it;

import com.sun.tools.attach.VirtualMachine;
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
import java.util.function.Supplier;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

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
    private JMXConnector jmx;

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
        try {
            Files.writeString(csv, s.csv() + "\n", StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return s;
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
                VirtualMachine vm = VirtualMachine.attach(String.valueOf(pid));
                try {
                    jmx = JMXConnectorFactory.connect(new JMXServiceURL(vm.startLocalManagementAgent()));
                } finally {
                    vm.detach();
                }
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
