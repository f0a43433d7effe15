package com.idynic.eventbus.it;

import static com.idynic.eventbus.it.Stack.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two Liberty servers on one PostgreSQL, Kafka and Redis, as in production behind a proxy: a copy of the test
 * server ({@code eventbus2}, its own ports) is started beside it. The relay's 8 lanes split between their relay
 * members ({@code eventbus.relay.threads}, 2 per server: 2 lanes each, by PostgreSQL advisory locks); events
 * published to both, alternately and per key in sequence, reach an ordered webhook subscription in each key's order;
 * then the second server is killed ({@code kill -9}) while a client publishes to it: the first server's two members
 * take all 8 lanes (4 each) at their next passes, and every event either server answered 202 arrives.
 */
class TwoServersIT {
    static final String SECOND = "eventbus2";
    static final int KEYS = 10;

    @RegisterExtension
    static final WebhookReceiver receiver = new WebhookReceiver();

    static Path secondDir;
    static int secondPort;

    @BeforeAll
    static void startASecondServer() throws Exception {
        Stack.awaitReady();
        Path servers = Path.of(System.getProperty("wlpHome"), "usr", "servers");
        Path first = servers.resolve("eventbus");
        secondDir = servers.resolve(SECOND);
        secondPort = freePort();
        copyServer(first, secondDir);
        Path env = secondDir.resolve("server.env");
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(env)) {
            if (!line.startsWith("EVENTBUS_HTTP_PORT=") && !line.startsWith("EVENTBUS_HTTPS_PORT=")) {
                lines.add(line);
            }
        }
        lines.add("EVENTBUS_HTTP_PORT=" + secondPort);
        lines.add("EVENTBUS_HTTPS_PORT=" + freePort());
        Files.write(env, lines);
        Process start = new ProcessBuilder(System.getProperty("wlpHome") + "/bin/server", "start", SECOND)
                .inheritIO()
                .start();
        assertEquals(0, start.waitFor());
        await(Duration.ofSeconds(180), "the second server ready", () -> {
            try {
                return Stack.raw(HttpRequest.newBuilder(URI.create(second("/health/ready")))
                                        .build())
                                .statusCode()
                        == 200;
            } catch (RuntimeException notYet) {
                return false;
            }
        });
    }

    @AfterAll
    static void stopTheSecondServer() throws Exception {
        secondServer().ifPresent(ProcessHandle::destroyForcibly);
    }

    static String second(String path) {
        return "http://127.0.0.1:" + secondPort + path;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Copies the server's configuration and apps, not its logs, work area or transaction log. */
    static void copyServer(Path from, Path to) throws IOException {
        Set<String> skipped = Set.of("logs", "workarea", "tranlog");
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path rel = from.relativize(p);
                if (rel.getNameCount() > 0 && skipped.contains(rel.getName(0).toString())) {
                    continue;
                }
                Path target = to.resolve(rel.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    static Optional<ProcessHandle> secondServer() {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").contains("ws-server.jar"))
                .filter(p -> p.info().commandLine().orElse("").contains(" " + SECOND))
                .findFirst();
    }

    /** @return the relay lanes each PostgreSQL session holds, by session */
    static Map<Integer, List<Integer>> lanesBySession() {
        try (Connection c = Stack.db();
                PreparedStatement ps = c.prepareStatement(
                        "select pid, objid::int from pg_locks where locktype = 'advisory' and granted and objsubid = 2"
                                + " and classid::bigint = " + 0x45424c4e + " order by pid, objid")) {
            Map<Integer, List<Integer>> lanes = new TreeMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    lanes.computeIfAbsent(rs.getInt(1), k -> new ArrayList<>()).add(rs.getInt(2));
                }
            }
            return lanes;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return how many lanes each session holds, fewest first (relay lanes: class 0x45424c4e, RelayLanes) */
    static List<Integer> shares() {
        return lanesBySession().values().stream().map(List::size).sorted().toList();
    }

    /** Publishes to the given server (its base URL); the status, 0 when the server did not answer. */
    static int publish(String base, String id, String type, String key, int n) {
        String body = Stack.event(id, type, "{\"n\":" + n + "}", "{\"partitionKey\":\"" + key + "\"}");
        try {
            HttpResponse<String> r = Stack.send(HttpRequest.newBuilder(URI.create(base + "/v1/events"))
                    .header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofString(body)));
            return r.statusCode();
        } catch (RuntimeException | AssertionError refused) {
            return 0;
        }
    }

    /** @return the ids that arrived, in order of first arrival */
    static List<String> arrived(String path) {
        return new ArrayList<>(receiver.calls(path).stream()
                .map(WebhookReceiver.Call::id)
                .collect(Collectors.toCollection(LinkedHashSet::new)));
    }

    @Test
    void twoServersShareTheRelayLanesKeepEachKeysOrderAndTheSurvivorTakesOverWithNothingLost() throws Exception {
        await(
                Duration.ofSeconds(30),
                "the relay lanes split 2, 2, 2 and 2 (two members per server)",
                () -> shares().equals(List.of(2, 2, 2, 2)));

        String type = WebhookIT.unique("it.two.t");
        String sub = WebhookIT.unique("two-");
        receiver.on("/" + sub, c -> WebhookReceiver.Answer.ok());
        Subscriptions.webhook(sub, type, receiver.url("/" + sub), "ordered", 100);

        // each key's events in sequence, alternately through the two servers
        Map<String, List<String>> publishedByKey = new LinkedHashMap<>();
        List<String> servers = List.of(Stack.baseUrl(), second(""));
        for (int i = 0; i < 200; i++) {
            String key = "k" + (i % KEYS);
            String id = Stack.newId("two");
            assertEquals(202, publish(servers.get(i % 2), id, type, key, i));
            publishedByKey.computeIfAbsent(key, k -> new ArrayList<>()).add(id);
        }
        Set<String> all =
                publishedByKey.values().stream().flatMap(Collection::stream).collect(Collectors.toSet());
        await(Duration.ofSeconds(60), "200 events delivered", () -> arrived("/" + sub)
                .containsAll(all));
        List<String> order = arrived("/" + sub);
        for (Map.Entry<String, List<String>> e : publishedByKey.entrySet()) {
            List<String> seen = order.stream().filter(e.getValue()::contains).toList();
            assertEquals(e.getValue(), seen, "key " + e.getKey() + " in publish order across both servers");
        }

        // kill -9 the second server while a client publishes to it, then publish through the first alone
        Set<String> accepted = ConcurrentHashMap.newKeySet();
        AtomicBoolean publishing = new AtomicBoolean(true);
        Thread client = new Thread(() -> {
            int n = 0;
            while (publishing.get()) {
                String id = Stack.newId("two-kill");
                if (publish(second(""), id, type, "k" + (n % KEYS), n) == 202) {
                    accepted.add(id);
                }
                n++;
            }
        });
        client.start();
        await(Duration.ofSeconds(30), "50 events accepted by the second server", () -> accepted.size() >= 50);
        ProcessHandle killed = secondServer().orElseThrow(() -> new AssertionError("second server not found"));
        assertTrue(killed.destroyForcibly(), "kill -9");
        killed.onExit().get();
        publishing.set(false);
        client.join();
        for (int i = 0; i < 50; i++) {
            String id = Stack.newId("two-after");
            assertEquals(202, publish(Stack.baseUrl(), id, type, "k" + (i % KEYS), i));
            accepted.add(id);
        }

        await(Duration.ofSeconds(30), "the surviving server's two members relay all 8 lanes", () -> shares().equals(
                        List.of(4, 4)));
        await(Duration.ofSeconds(90), accepted.size() + " events accepted around the kill delivered", () -> arrived(
                        "/" + sub)
                .containsAll(accepted));
        // the tests after this one find one dispatcher: the dead server left the consumer group
        try (org.apache.kafka.clients.admin.Admin admin = Stack.kafkaAdmin()) {
            await(Duration.ofSeconds(60), "the dead server gone from the dispatcher's consumer group", () -> {
                try {
                    return admin.describeConsumerGroups(List.of("eventbus-dispatcher"))
                                    .all()
                                    .get()
                                    .get("eventbus-dispatcher")
                                    .members()
                                    .size()
                            == 1;
                } catch (Exception notYet) {
                    return false;
                }
            });
        }
    }
}
