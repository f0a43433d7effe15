package com.idynic.eventbus.it;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import jakarta.json.JsonValue;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The soak test (issue 21): a steady publish load for {@code soak.minutes} at {@code soak.rate} events a second to an
 * ordered webhook and the co-deployed example's CDI observers, sampled every 10 s into {@code target/soak/soak.csv}
 * and {@code soak.png}. Runs only when {@code -Dsoak.minutes} is given ({@code tests/soak/run.sh}), never in a plain
 * {@code mvn verify}. Passes when memory, backlog and lags stay flat ({@link SoakVerdict}) and the ledger lost
 * nothing and saw nothing out of order.
 */
class SoakIT {
    static final String SCENARIO = "soak";
    static final Set<String> CDI_TYPES = Set.of("user.created", "order.placed");

    @Test
    void memoryBacklogAndLagStayFlatUnderASteadyLoad() throws Exception {
        String minutesProperty = System.getProperty("soak.minutes", "");
        assumeTrue(!minutesProperty.isBlank() && Stack.env().get("DEVSTACK_CONTROL") != null);
        double minutes = Double.parseDouble(minutesProperty);
        double rate = Double.parseDouble(System.getProperty("soak.rate", "500"));
        Stack.awaitReady();
        Path dir = Path.of(System.getProperty("soak.dir", "target/soak"));
        String run = "s" + UUID.randomUUID().toString().substring(0, 6);
        String prefix = "soak." + run + ".";
        FaultLedger ledger = new FaultLedger(dir);
        FaultLoad load = new FaultLoad(ledger, prefix, run + "-k", 64, rate, 10);
        load.withOrders();
        FaultReceivers receivers = new FaultReceivers(ledger, null);
        String webhook = run + "-main";
        ScheduledExecutorService every = Executors.newSingleThreadScheduledExecutor();
        SoakVerdict verdict;
        List<SoakSampler.Sample> all;
        double loadEnd;
        try (SoakSampler sampler = new SoakSampler(dir, ledger, webhook, () -> load.token(false))) {
            HttpResponse<String> created =
                    api(load, "PUT", "/v1/subscriptions/" + webhook, subscription(prefix, receivers));
            assertTrue(created.statusCode() == 201, created.body());
            try {
                load.start(SCENARIO);
                every.scheduleAtFixedRate(() -> sample(sampler), 0, 10, TimeUnit.SECONDS);
                Thread.sleep((long) (minutes * 60_000));
                load.pause();
                loadEnd = sampler.samples().get(sampler.samples().size() - 1).tSeconds();
                settle(ledger, Duration.ofMinutes(10));
                ledger.write(SCENARIO, List.of(FaultSuiteIT.MAIN, FaultSuiteIT.CDI));
                every.shutdown();
                every.awaitTermination(30, TimeUnit.SECONDS);
                sampler.sample();
                all = sampler.samples();
            } finally {
                every.shutdownNow();
                load.close();
                api(load, "DELETE", "/v1/subscriptions/" + webhook, null);
                receivers.close();
            }
        }
        List<SoakSampler.Sample> during =
                all.stream().filter(s -> s.tSeconds() <= loadEnd).toList();
        FaultVerdict ledgerVerdict = FaultVerdict.of(
                ledger,
                SCENARIO,
                type -> CDI_TYPES.contains(type)
                        ? Set.of(FaultSuiteIT.MAIN, FaultSuiteIT.CDI)
                        : Set.of(FaultSuiteIT.MAIN),
                Set.of(FaultSuiteIT.MAIN, FaultSuiteIT.CDI),
                null,
                null,
                null,
                cdiCalls(load),
                "",
                "CDI order checked over the observer's last " + 10_000 + " calls");
        verdict = SoakVerdict.of(minutes, rate, during, ledgerVerdict);
        SoakPlot.write(
                dir.resolve("soak.png"),
                String.format(
                        java.util.Locale.ROOT,
                        "idynic-event-bus soak: %.0f min at %.0f ev/s, webhook (ordered) + CDI observer — %s",
                        minutes,
                        rate,
                        verdict.passed() ? "PASS" : "FAIL"),
                all,
                loadEnd);
        System.out.println(verdict.line());
        Files.writeString(dir.resolve("verdict.txt"), verdict.line() + "\n");
        keepServerLogs(dir);
        assertTrue(verdict.passed(), verdict.line());
    }

    /** Copies the server's messages.log (and its rolled files) next to the figures, for a failed run's analysis. */
    static void keepServerLogs(Path dir) {
        try (java.util.stream.Stream<Path> logs = Files.list(ServerLogs.logs())) {
            for (Path log : logs.filter(l -> l.getFileName().toString().startsWith("messages"))
                    .toList()) {
                Files.copy(log, dir.resolve("server-" + log.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (java.io.IOException | RuntimeException e) {
            System.out.println("soak: server logs not kept: " + e);
        }
    }

    /** Samples, and keeps the schedule going when a sample fails (a scheduled task that throws is not run again). */
    static void sample(SoakSampler sampler) {
        try {
            sampler.sample();
        } catch (RuntimeException e) {
            System.out.println("soak: sample failed: " + e);
        }
    }

    /**
     * Waits until every accepted event reached the webhook and, for the observed types, the CDI observers (read from
     * the delivery table each round, so that what they took is in the ledger even when the webhook never catches up).
     */
    static void settle(FaultLedger ledger, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            FaultSuiteIT.pollCdi(ledger, SCENARIO, CDI_TYPES);
            List<FaultLedger.Sent> accepted = ledger.sent(SCENARIO, true);
            Set<String> main = ledger.delivered(FaultSuiteIT.MAIN, SCENARIO);
            Set<String> cdi = ledger.delivered(FaultSuiteIT.CDI, SCENARIO);
            if (accepted.stream()
                    .allMatch(s -> main.contains(s.id()) && (!CDI_TYPES.contains(s.type()) || cdi.contains(s.id())))) {
                return;
            }
            Thread.sleep(5000);
        }
    }

    static String subscription(String prefix, FaultReceivers receivers) {
        return "{\"eventTypes\":[\"" + prefix + "*\",\"user.created\",\"order.placed\"],\"target\":{\"type\":"
                + "\"webhook\",\"url\":\"" + receivers.url("/" + FaultSuiteIT.MAIN) + "\",\"timeoutMillis\":5000},"
                + "\"ordering\":\"ordered\",\"maxConcurrency\":16,\"retryPolicy\":{\"initialDelayMillis\":200,"
                + "\"multiplier\":2,\"maxDelayMillis\":2000,\"maxAttempts\":100}}";
    }

    static List<String> cdiCalls(FaultLoad load) {
        return Stack.parse(
                        api(load, "GET", "/profile-service/api/received", null).body())
                .getJsonArray("calls")
                .stream()
                .map(JsonValue::asJsonObject)
                .filter(c -> !c.getBoolean("failed"))
                .map(c -> c.getString("eventId"))
                .toList();
    }

    static HttpResponse<String> api(FaultLoad load, String method, String path, String body) {
        return Stack.raw(HttpRequest.newBuilder(URI.create(Stack.baseUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + load.token(false))
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build());
    }
}
