package com.idynic.eventbus.it;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The fault suite (issue 21): under a steady publish load, each scenario injects one fault (Liberty killed, Kafka,
 * PostgreSQL or Redis stopped, a failing, slow or flaky subscriber), ends it, waits for the bus to settle and
 * checks the ledger: every event answered 202 reached every matching receiver, none answered with an error did,
 * per key nothing arrived out of order, no 202 while PostgreSQL was down, the dead-letter queue held exactly what
 * the failing subscriber refused. Quick by default (every {@code mvn verify}); {@code -Dfaults.mode=full} is the
 * long run ({@code tests/faults/run.sh}). Verdicts go to {@code target/faults/verdicts.txt}.
 */
class FaultSuiteIT {
    /** How long and how hard: quick (CI) or full. */
    record Mode(
            double rate,
            int keys,
            int cdiEvery,
            Duration baseline,
            Duration before,
            Duration after,
            int kills,
            Duration kafka,
            Duration postgres,
            Duration redis,
            Duration failing,
            Duration slow,
            Duration flaky,
            Duration settle) {
        static Mode of(String name) {
            double rate = Double.parseDouble(System.getProperty("faults.rate", name.equals("full") ? "1000" : "100"));
            int kills = Integer.getInteger("faults.kills", name.equals("full") ? 10 : 1);
            return name.equals("full")
                    ? new Mode(
                            rate, 32, 20, s(30), s(10), s(10), kills, s(60), s(30), s(60), s(120), s(60), s(60), s(600))
                    : new Mode(rate, 8, 10, s(6), s(4), s(4), kills, s(12), s(10), s(10), s(8), s(12), s(10), s(120));
        }

        private static Duration s(long seconds) {
            return Duration.ofSeconds(seconds);
        }
    }

    /** When a fault began and ended, and while publish must not answer 202 (or null). */
    record Window(Instant start, Instant end, Instant[] outage) {}

    interface Fault {
        Window inject() throws Exception;
    }

    static final String MAIN = "main";
    static final String PULL = "pull";
    static final String CDI = "cdi";
    static final Set<String> RECEIVERS = Set.of(MAIN, PULL, CDI, "failing", "slow", "flaky");

    final Mode mode = Mode.of(System.getProperty("faults.mode", "quick"));
    final Set<String> only =
            Set.of(System.getProperty("faults.scenarios", "all").split(","));
    final String run = "r" + UUID.randomUUID().toString().substring(0, 6);
    final String prefix = "faults." + run + ".";
    final List<String> subscriptions = new ArrayList<>();
    final List<FaultVerdict> verdicts = new ArrayList<>();
    FaultLedger ledger;
    FaultLoad load;
    FaultReceivers receivers;

    @Test
    void everyAcceptedEventIsDeliveredInKeyOrderThroughEveryFault() throws Exception {
        assumeTrue(Stack.env().get("DEVSTACK_CONTROL") != null);
        Stack.awaitReady();
        Path dir = Path.of(System.getProperty("faults.dir", "target/faults"));
        ledger = new FaultLedger(dir);
        load = new FaultLoad(ledger, prefix, run + "-k", mode.keys(), mode.rate(), mode.cdiEvery());
        String pull = run + "-pull";
        subscribe(
                pull,
                "{\"eventTypes\":[\"" + prefix + "*\",\"user.created\"],\"target\":{\"type\":\"pull\"},"
                        + "\"ordering\":\"ordered\"}");
        receivers = new FaultReceivers(ledger, pull);
        try {
            subscribe(run + "-main", webhook(prefix + "*\",\"user.created", MAIN, "ordered", 16, 5000, 100));
            scenarios();
        } finally {
            cleanUp();
        }
        String text =
                String.join("\n", verdicts.stream().map(FaultVerdict::line).toList());
        System.out.println(
                "Fault suite (" + System.getProperty("faults.mode", "quick") + ", " + mode.rate() + " ev/s):\n" + text);
        Files.writeString(dir.resolve("verdicts.txt"), text + "\n");
        Files.writeString(
                dir.resolve("verdicts.md"),
                String.join("\n", verdicts.stream().map(FaultVerdict::row).toList()) + "\n");
        for (FaultVerdict v : verdicts) {
            assertTrue(v.passed(), v.line());
        }
    }

    void scenarios() throws Exception {
        if (wanted("s0")) {
            scenario("s0-baseline", mode.baseline(), null, Duration.ZERO, "");
        }
        for (int i = 1; i <= mode.kills() && wanted("s1"); i++) {
            scenario("s1-kill-liberty#" + i, mode.before(), this::killLiberty, mode.after(), "");
        }
        if (wanted("s2")) {
            scenario("s2a-kafka-sigterm", mode.before(), () -> kafka("stop"), mode.after(), "");
            scenario("s2b-kafka-kill", mode.before(), () -> kafka("kill"), mode.after(), "");
        }
        if (wanted("s3")) {
            scenario(
                    "s3-postgres-stopped", mode.before(), () -> stopped("postgres", mode.postgres()), mode.after(), "");
        }
        if (wanted("s4")) {
            scenario("s4-redis-stopped", mode.before(), () -> stopped("redis", mode.redis()), mode.after(), "");
        }
        if (wanted("s5")) {
            failingSubscriber();
        }
        if (wanted("s6")) {
            slowSubscriber();
        }
        if (wanted("s7")) {
            String name = "s7-network-trouble";
            subscribe(run + "-flaky", webhook(load.type(name), "flaky", "ordered", 16, 1000, 100));
            scenario(
                    name,
                    mode.before(),
                    () -> window(() -> receivers.flaky = true, mode.flaky(), () -> {
                        receivers.flaky = false;
                    }),
                    mode.after(),
                    "");
        }
    }

    boolean wanted(String id) {
        return only.contains("all") || only.contains(id);
    }

    /** Runs the load, injects the fault, lets the bus settle and records the verdict. */
    FaultVerdict scenario(String name, Duration before, Fault fault, Duration after, String info) throws Exception {
        load.start(name);
        Thread.sleep(before.toMillis());
        restarted = null;
        Window w = fault == null ? null : fault.inject();
        Thread.sleep(after.toMillis());
        load.pause();
        settle(name, Set.of());
        String measured = restarted == null
                ? info
                : (info.isEmpty() ? "" : info + " ")
                        + String.format(Locale.ROOT, "restart-to-ready=%.1fs", restarted.toMillis() / 1000.0);
        return verdict(name, w, "", measured);
    }

    /** How long the last {@link #killLiberty} took from the kill to {@code /health/ready} answering 200. */
    private Duration restarted;

    FaultVerdict verdict(String name, Window w, String problem, String info) {
        FaultVerdict v = FaultVerdict.of(
                ledger,
                name,
                this::receiversOf,
                RECEIVERS,
                w == null ? null : w.start(),
                w == null ? null : w.end(),
                w == null ? null : w.outage(),
                cdiCalls(),
                problem,
                info);
        ledger.write(name, RECEIVERS);
        System.out.println(v.line());
        verdicts.add(v);
        return v;
    }

    Set<String> receiversOf(String type) {
        if (type.equals("user.created")) {
            return Set.of(MAIN, PULL, CDI);
        }
        if (type.equals(load.type("s5-failing-subscriber"))) {
            return Set.of(MAIN, PULL, "failing");
        }
        if (type.equals(slowType())) {
            return Set.of(MAIN, PULL, "slow");
        }
        if (type.equals(load.type("s7-network-trouble"))) {
            return Set.of(MAIN, PULL, "flaky");
        }
        return Set.of(MAIN, PULL);
    }

    String slowType() {
        return prefix + "slow";
    }

    Window killLiberty() throws Exception {
        ProcessHandle server =
                KillAndRestartIT.liberty().orElseThrow(() -> new AssertionError("Liberty process not found"));
        Instant start = Instant.now();
        server.destroyForcibly();
        server.onExit().get();
        KillAndRestartIT.restart();
        Instant ready = Instant.now();
        restarted = Duration.between(start, ready);
        return new Window(start, ready, null);
    }

    Window kafka(String how) throws Exception {
        Instant start = Instant.now();
        Stack.control("kafka", how);
        Thread.sleep(mode.kafka().toMillis());
        startAgain("kafka");
        return new Window(start, Instant.now(), null);
    }

    Window stopped(String service, Duration hold) throws Exception {
        Stack.control(service, "stop");
        Instant start = Instant.now();
        Thread.sleep(hold.toMillis());
        Instant outageEnd = Instant.now();
        startAgain(service);
        return new Window(start, Instant.now(), service.equals("postgres") ? new Instant[] {start, outageEnd} : null);
    }

    /** Starts a dependency, retrying while it refuses (Kafka after a kill -9 does for a few seconds). */
    static void startAgain(String service) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            try {
                Stack.control(service, "start");
                return;
            } catch (AssertionError | RuntimeException notYet) {
                if (System.nanoTime() > deadline) {
                    throw notYet;
                }
                Thread.sleep(1000);
            }
        }
    }

    Window window(Runnable begin, Duration hold, Runnable end) throws InterruptedException {
        Instant start = Instant.now();
        begin.run();
        Thread.sleep(hold.toMillis());
        end.run();
        return new Window(start, Instant.now(), null);
    }

    /**
     * A webhook subscriber answers 500 to everything for a while (3 attempts, then the dead-letter queue): once it
     * recovers, what it had refused is exactly the dead-letter queue, and the redrive delivers all of it.
     */
    void failingSubscriber() throws Exception {
        String name = "s5-failing-subscriber";
        String sub = run + "-failing";
        subscribe(sub, webhook(load.type(name), "failing", "unordered", 16, 3000, 3));
        load.start(name);
        Thread.sleep(mode.before().toMillis());
        Window w = window(() -> receivers.failing = true, mode.failing(), () -> receivers.failing = false);
        Thread.sleep(mode.after().toMillis());
        load.pause();
        settle(name, Set.of("failing"));
        List<String> accepted = ledger.sent(name, true).stream()
                .filter(s -> receiversOf(s.type()).contains("failing"))
                .map(FaultLedger.Sent::id)
                .toList();
        Set<String> dead = new HashSet<>();
        Set<String> took = new HashSet<>();
        long deadline = System.nanoTime() + mode.settle().toNanos();
        int resumed = 0;
        do {
            Thread.sleep(500);
            if (Stack.parse(api("GET", "/v1/subscriptions/" + sub, null).body())
                    .getString("state")
                    .equals("disabled")) {
                api("POST", "/v1/subscriptions/" + sub + "/resume", null);
                resumed++;
            }
            dead = deadLetters(sub);
            took = ledger.delivered("failing", name);
        } while (!covered(accepted, dead, took) && System.nanoTime() < deadline);
        String note = "";
        Set<String> both = new HashSet<>(dead);
        both.retainAll(took);
        if (!covered(accepted, dead, took) || !both.isEmpty() || !accepted.containsAll(dead)) {
            note = "dead letters do not match the refused events: " + dead.size() + " dead, " + took.size() + " taken, "
                    + both.size() + " both, of " + accepted.size();
        }
        int forced = dead.size();
        api("POST", "/v1/subscriptions/" + sub + "/dead-letters/redrive", "{\"all\":true}");
        settle(name, Set.of());
        int left = deadLetters(sub).size();
        if (left > 0 && note.isEmpty()) {
            note = left + " dead letters left after the redrive";
        }
        verdict(
                name,
                w,
                note,
                "dead-lettered, then redriven: " + forced
                        + (resumed > 0 ? "; auto-disabled by the bus and resumed " + resumed + "x" : ""));
    }

    static boolean covered(List<String> accepted, Set<String> dead, Set<String> took) {
        return accepted.stream().allMatch(id -> dead.contains(id) || took.contains(id));
    }

    /**
     * A subscriber taking 5 s per event beside the fast one: the fast one's latency is reported against the scenario
     * before (the server as warm, the slow one absent).
     */
    void slowSubscriber() throws Exception {
        String name = "s6-slow-subscriber";
        subscribe(run + "-slow", webhook(slowType(), "slow", "unordered", 16, 10_000, 100));
        load.slow(slowType(), (int) Math.max(1, mode.rate() / 2));
        FaultVerdict base = verdicts.isEmpty() ? null : verdicts.get(verdicts.size() - 1);
        scenario(
                name,
                Duration.ZERO,
                () -> window(() -> {}, mode.slow(), () -> {}),
                Duration.ZERO,
                "2 events/s to a 5 s subscriber; the fast one's p50/p99 in the scenario before: "
                        + (base == null ? "not measured" : base.p50Millis() + "/" + base.p99Millis() + " ms"));
    }

    /** Waits until every accepted event of the scenario reached every matching receiver (but {@code skip}). */
    void settle(String scenario, Set<String> skip) throws InterruptedException {
        long deadline = System.nanoTime() + mode.settle().toNanos();
        while (System.nanoTime() < deadline) {
            pollCdi(scenario);
            boolean all = true;
            for (String r : RECEIVERS) {
                if (skip.contains(r)) {
                    continue;
                }
                Set<String> took = ledger.delivered(r, scenario);
                for (FaultLedger.Sent s : ledger.sent(scenario, true)) {
                    if (receiversOf(s.type()).contains(r) && !took.contains(s.id())) {
                        all = false;
                        break;
                    }
                }
            }
            if (all) {
                Thread.sleep(1000);
                return;
            }
            Thread.sleep(500);
        }
    }

    /** Reads which of the scenario's user.created events the co-deployed observer's subscription settled. */
    void pollCdi(String scenario) {
        pollCdi(ledger, scenario, Set.of("user.created"));
    }

    /** Reads which of the scenario's events of {@code types} the co-deployed observer's subscription settled. */
    static void pollCdi(FaultLedger ledger, String scenario, Set<String> types) {
        Set<String> took = ledger.delivered(CDI, scenario);
        List<String> pending = ledger.sent(scenario, true).stream()
                .filter(s -> types.contains(s.type()) && !took.contains(s.id()))
                .map(FaultLedger.Sent::id)
                .toList();
        for (int i = 0; i < pending.size(); i += 5000) {
            List<String> chunk = pending.subList(i, Math.min(pending.size(), i + 5000));
            try (Connection c = Stack.db();
                    PreparedStatement ps = c.prepareStatement("select distinct event_id from " + Stack.DELIVERIES
                            + " where subscription_id = 'profile-service' and state = 'DELIVERED'"
                            + " and event_id = any(?)")) {
                ps.setArray(1, c.createArrayOf("text", chunk.toArray()));
                Instant now = Instant.now();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ledger.gotAt(CDI, rs.getString(1), now);
                    }
                }
            } catch (java.sql.SQLException notNow) {
                return;
            }
        }
    }

    /** @return the ids of the co-deployed observer's successful calls since its last start, in order */
    List<String> cdiCalls() {
        try {
            HttpResponse<String> r = api("GET", "/profile-service/api/received", null);
            return Stack.parse(r.body()).getJsonArray("calls").stream()
                    .map(JsonValue::asJsonObject)
                    .filter(c -> !c.getBoolean("failed"))
                    .map(c -> c.getString("eventId"))
                    .toList();
        } catch (RuntimeException e) {
            return null;
        }
    }

    Set<String> deadLetters(String sub) {
        Set<String> ids = new HashSet<>();
        String after = "0";
        while (after != null) {
            JsonObject page =
                    Stack.parse(api("GET", "/v1/subscriptions/" + sub + "/dead-letters?limit=500&after=" + after, null)
                            .body());
            page.getJsonArray("deadLetters")
                    .forEach(d -> ids.add(d.asJsonObject().getString("eventId")));
            after = page.containsKey("next") ? page.get("next").toString().replace("\"", "") : null;
        }
        return ids;
    }

    String webhook(String types, String path, String ordering, int concurrency, int timeoutMillis, int attempts) {
        return "{\"eventTypes\":[\"" + types + "\"],\"target\":{\"type\":\"webhook\",\"url\":\""
                + receivers.url("/" + path) + "\",\"timeoutMillis\":" + timeoutMillis + "},\"ordering\":\"" + ordering
                + "\",\"maxConcurrency\":" + concurrency + ",\"retryPolicy\":{\"initialDelayMillis\":200,"
                + "\"multiplier\":2,\"maxDelayMillis\":2000,\"maxAttempts\":" + attempts + "}}";
    }

    void subscribe(String id, String json) {
        HttpResponse<String> r = api("PUT", "/v1/subscriptions/" + id, json);
        assertTrue(r.statusCode() == 201, r.body());
        subscriptions.add(id);
    }

    HttpResponse<String> api(String method, String path, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(Stack.baseUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + load.token(false))
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return Stack.raw(b.build());
    }

    /** Leaves the stack as the other tests expect it: everything running, this suite's subscriptions gone. */
    void cleanUp() throws Exception {
        load.close();
        for (String service : List.of("postgres", "kafka", "redis")) {
            startAgain(service);
        }
        if (KillAndRestartIT.liberty().isEmpty()) {
            KillAndRestartIT.restart();
        }
        for (String id : subscriptions) {
            try {
                api("DELETE", "/v1/subscriptions/" + id, null);
            } catch (RuntimeException ignored) {
                // reported by the verdicts already
            }
        }
        if (receivers != null) {
            receivers.close();
        }
        Stack.await(
                Duration.ofSeconds(60),
                "example app subscribed again",
                () -> api("GET", "/v1/subscriptions/profile-service", null).statusCode() == 200);
    }
}
