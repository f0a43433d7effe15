package com.idynic.eventbus.it;

import static org.junit.jupiter.api.Assertions.fail;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * The running stack under test: the Liberty server with the EAR and the example app, and the real
 * PostgreSQL, Kafka and Redis that devstack started; all addresses come from the env file the build
 * wrote ({@code -Deventbus.env}).
 */
final class Stack {
    static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static Map<String, String> env;
    private static boolean ready;
    private static boolean neverReady;

    private Stack() {}

    static synchronized Map<String, String> env() {
        if (env == null) {
            Path file =
                    Path.of(System.getProperty("eventbus.env", "target/liberty/wlp/usr/servers/eventbus/server.env"));
            Map<String, String> m = new HashMap<>();
            try {
                for (String line : Files.readAllLines(file)) {
                    int eq = line.indexOf('=');
                    if (eq > 0) {
                        m.put(
                                line.substring(0, eq).trim(),
                                line.substring(eq + 1).trim());
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("stack settings not found; run through 'mvn verify'", e);
            }
            env = m;
        }
        return env;
    }

    static String baseUrl() {
        return "http://127.0.0.1:" + env().get("EVENTBUS_HTTP_PORT");
    }

    static String kafkaBootstrap() {
        return env().get("EVENTBUS_KAFKA_BOOTSTRAP");
    }

    /** Waits (once per run) until the bus is ready and the example app has subscribed. */
    static synchronized void awaitReady() {
        if (ready) {
            return;
        }
        if (neverReady) {
            fail("the bus did not become ready (see the earlier failure and the server's messages.log)");
        }
        neverReady = true;
        await(Duration.ofSeconds(180), "bus ready and example subscribed", () -> {
            try {
                HttpRequest health = HttpRequest.newBuilder(URI.create(baseUrl() + "/health/ready"))
                        .build();
                return raw(health).statusCode() == 200
                        && get("/v1/subscriptions/profile-service").statusCode() == 200;
            } catch (RuntimeException | AssertionError notYet) {
                // the token exchange fails (503, then 401) until start-up has migrated and created the admin key
                return false;
            }
        });
        ready = true;
        neverReady = false;
    }

    static HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).GET());
    }

    static HttpResponse<String> post(String path, String contentType, String body) {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(baseUrl() + path)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return send(b);
    }

    static HttpResponse<String> postJson(String path, String body) {
        return post(path, "application/json", body);
    }

    /**
     * Posts JSON as a well-behaved publisher does: a {@code 429} (rate limit or a full outbox left by an earlier
     * test's load) is retried after its {@code Retry-After}, for up to two minutes; any other answer is returned.
     */
    static HttpResponse<String> postJsonPatiently(String path, String body) {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (true) {
            HttpResponse<String> r = postJson(path, body);
            if (r.statusCode() != 429 || System.nanoTime() > deadline) {
                return r;
            }
            long seconds =
                    r.headers().firstValue("Retry-After").map(Long::parseLong).orElse(1L);
            try {
                Thread.sleep(Math.max(100, Math.min(5_000, seconds * 1000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return r;
            }
        }
    }

    /** Sends with the dev admin's token unless the request carries its own Authorization. */
    static HttpResponse<String> send(HttpRequest.Builder b) {
        HttpRequest r = b.timeout(Duration.ofSeconds(60)).build();
        if (r.headers().firstValue("Authorization").isEmpty()) {
            r = HttpRequest.newBuilder(r, (n, v) -> true)
                    .header("Authorization", "Bearer " + token(adminKey()))
                    .build();
        }
        return raw(r);
    }

    /** @return the bootstrap admin key devstack generated */
    static String adminKey() {
        return env().get("EVENTBUS_AUTH_ADMIN_KEY");
    }

    /** @return the key devstack generated for the co-deployed example's own service ({@code profile-service}) */
    static String clientKey() {
        return env().get("EVENTBUS_CLIENT_API_KEY");
    }

    private record Token(String value, long renewAfterNanos) {}

    private static final Map<String, Token> TOKENS = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @return a bearer token for the API key, cached until two minutes before it expires (tokens live 15 minutes; a
     *     run's integration tests take longer than that)
     */
    static String token(String apiKey) {
        return TOKENS.compute(apiKey, (k, held) -> {
                    if (held != null && System.nanoTime() < held.renewAfterNanos()) {
                        return held;
                    }
                    HttpResponse<String> r = raw(HttpRequest.newBuilder(URI.create(baseUrl() + "/v1/auth/token"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"apiKey\":\"" + k + "\"}"))
                            .build());
                    if (r.statusCode() != 200) {
                        // not fail(): awaitReady retries on runtime exceptions while the bus is still starting
                        throw new IllegalStateException("token exchange answered " + r.statusCode() + ": " + r.body());
                    }
                    jakarta.json.JsonObject t = parse(r.body());
                    long lifetime = Math.max(30, t.getInt("expiresIn", 900) - 120);
                    return new Token(
                            t.getString("accessToken"),
                            System.nanoTime() + Duration.ofSeconds(lifetime).toNanos());
                })
                .value();
    }

    /** Sends exactly this request (no token added). */
    static HttpResponse<String> raw(HttpRequest r) {
        return raw(HTTP, r);
    }

    /** @return the answer of this client (e.g. one keeping cookies, as a browser) to the request, as it came */
    static HttpResponse<String> raw(HttpClient client, HttpRequest r) {
        try {
            return client.send(r, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonObject json(HttpResponse<String> r) {
        try {
            return parse(r.body());
        } catch (RuntimeException e) {
            throw new AssertionError("not a JSON object (" + r.statusCode() + "): " + r.body(), e);
        }
    }

    static JsonObject parse(String body) {
        try (JsonReader reader = Json.createReader(new StringReader(body))) {
            return reader.readObject();
        }
    }

    /**
     * Stops Kafka once the dispatcher has committed every record it read, so that tests stopping Kafka for other
     * reasons do not also interrupt an offset commit (OutageIT does that on purpose).
     */
    static void stopKafka() {
        try (org.apache.kafka.clients.admin.Admin admin = kafkaAdmin()) {
            await(
                    Duration.ofSeconds(30),
                    "the dispatcher committed every record it read",
                    () -> dispatcherCaughtUp(admin));
        }
        control("kafka", "stop");
    }

    static org.apache.kafka.clients.admin.Admin kafkaAdmin() {
        return org.apache.kafka.clients.admin.Admin.create(
                Map.<String, Object>of("bootstrap.servers", kafkaBootstrap()));
    }

    /**
     * @return whether the dispatcher's consumer group has committed an offset at the end of every non-empty
     *     partition of the events topic (false while Kafka cannot say)
     */
    static boolean dispatcherCaughtUp(org.apache.kafka.clients.admin.Admin admin) {
        String topic = "idynic.events";
        try {
            var committed = admin.listConsumerGroupOffsets("eventbus-dispatcher")
                    .partitionsToOffsetAndMetadata()
                    .get();
            var partitions = admin.describeTopics(java.util.List.of(topic))
                    .allTopicNames()
                    .get()
                    .get(topic)
                    .partitions();
            Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest =
                    new HashMap<>();
            partitions.forEach(p -> latest.put(
                    new org.apache.kafka.common.TopicPartition(topic, p.partition()),
                    org.apache.kafka.clients.admin.OffsetSpec.latest()));
            var ends = admin.listOffsets(latest).all().get();
            for (var e : ends.entrySet()) {
                var c = committed.get(e.getKey());
                if (e.getValue().offset() > 0
                        && (c == null || c.offset() < e.getValue().offset())) {
                    return false;
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception notYet) {
            return false;
        }
    }

    /** Stops or starts an embedded dependency: {@code control("kafka", "stop")}. */
    static String control(String service, String action) {
        HttpResponse<String> r =
                send(HttpRequest.newBuilder(URI.create(env().get("DEVSTACK_CONTROL") + "/" + service + "/" + action))
                        .header("Authorization", "Bearer " + env().get("DEVSTACK_CONTROL_TOKEN"))
                        .POST(HttpRequest.BodyPublishers.noBody()));
        if (r.statusCode() != 200) {
            fail("devstack " + service + "/" + action + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    static Connection db() throws SQLException {
        Map<String, String> e = env();
        return DriverManager.getConnection(
                "jdbc:postgresql://" + e.get("EVENTBUS_DB_HOST") + ":" + e.get("EVENTBUS_DB_PORT") + "/"
                        + e.get("EVENTBUS_DB_NAME"),
                e.get("EVENTBUS_DB_USER"),
                e.get("EVENTBUS_DB_PASSWORD"));
    }

    /**
     * Every delivery row as a table {@code d} ({@code id, subscription_id, event_id, state, attempts}): those in the
     * delivery queue and those moved to the history once finished and older than the server's history window
     * ({@code EVENTBUS_DELIVERY_HISTORY_WINDOW} in arquillian-tests/pom.xml). Count finished deliveries here.
     */
    static final String DELIVERIES = "(select id, subscription_id, event_id, state, attempts from eb_delivery"
            + " union all select id, subscription_id, event_id, state, attempts from eb_delivery_history) d";

    static long count(String sql, String param) {
        try (Connection c = db();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, param);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the first column of every row, in the query's order */
    static java.util.List<String> strings(String sql, String param) {
        try (Connection c = db();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, param);
            java.util.List<String> out = new java.util.ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs one SQL statement with positional parameters (test set-up the API cannot express). */
    static void sql(String sql, Object... params) {
        try (Connection c = db();
                PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            ps.execute();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Polls {@code condition} every 100 ms until it holds or {@code timeout} passes (then fails). */
    static void await(Duration timeout, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out after " + timeout.toSeconds() + " s waiting for: " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
    }

    static String newId(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    static String event(String id, String type, String data, String metadata) {
        return "{\"eventType\":\"" + type + "\",\"source\":\"user-service\",\"id\":\"" + id
                + "\",\"timestamp\":\"2023-05-20T13:45:30Z\",\"data\":" + data + ",\"metadata\":" + metadata + "}";
    }

    /** The seed's user.created example with a fresh id. */
    static String userCreated(String id) {
        return event(
                id,
                "user.created",
                "{\"userId\":\"usr-789012\",\"email\":\"user@example.com\",\"name\":\"John Doe\"}",
                "{\"correlationId\":\"corr-" + id + "\"}");
    }
}
