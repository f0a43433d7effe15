package com.idynic.eventbus.it;

import static com.idynic.eventbus.it.Stack.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Liveness, startup and readiness; readiness names each of its four checks and reports their data; liveness
 * names every background loop.
 */
class HealthIT {
    @BeforeAll
    static void ready() {
        Stack.awaitReady();
    }

    static JsonValue value(JsonObject data, String key) {
        assertTrue(data.containsKey(key), "readiness data has " + key + ": " + data);
        return data.get(key);
    }

    static String string(JsonObject data, String key) {
        JsonValue v = value(data, key);
        assertEquals(JsonValue.ValueType.STRING, v.getValueType(), key + " in " + data);
        return ((JsonString) v).getString();
    }

    static long number(JsonObject data, String key) {
        JsonValue v = value(data, key);
        assertEquals(JsonValue.ValueType.NUMBER, v.getValueType(), key + " in " + data);
        return ((JsonNumber) v).longValue();
    }

    static String kafkaClusterId() throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, Stack.kafkaBootstrap());
        try (Admin admin = Admin.create(p)) {
            return admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS);
        }
    }

    static final List<String> LOOPS = List.of(
            "alerts",
            "dispatch",
            "history",
            "publish-writer-0",
            "publish-writer-1",
            "redrives",
            "relay",
            "relay-2",
            "replays",
            "retention",
            "webhooks");

    /** @return the liveness check with this name, or null */
    static JsonObject livenessCheck(String name) {
        HttpResponse<String> live = Stack.get("/health/live");
        return json(live).getJsonArray("checks").stream()
                .map(JsonValue::asJsonObject)
                .filter(c -> c.getString("name").equals(name))
                .findFirst()
                .orElse(null);
    }

    static boolean running(JsonObject check, String key) {
        JsonObject data = check == null ? null : check.getJsonObject("data");
        return data != null && data.containsKey(key) && data.getString(key).startsWith("RUNNING");
    }

    @Test
    void livenessNamesEveryBackgroundLoopAndTheCoDeployedBridgeAndEachRuns() {
        // the publish writers start with the first publish (run alone, this test would otherwise find none)
        Subscriptions.publish(WebhookIT.unique("it.health.t"), null, "{}");
        Stack.await(Duration.ofSeconds(30), "every loop RUNNING in the liveness check 'loops'", () -> {
            JsonObject loops = livenessCheck("loops");
            return LOOPS.stream().allMatch(name -> running(loops, name));
        });
        JsonObject loops = livenessCheck("loops");
        assertEquals("UP", loops.getString("status"), loops.toString());
        assertFalse(loops.getJsonObject("data").containsKey("down"), loops.toString());

        Stack.await(Duration.ofSeconds(30), "the example app's bridge RUNNING in 'eventbus-client'", () -> {
            JsonObject bridge = livenessCheck("eventbus-client");
            return bridge != null && running(bridge, "state");
        });
        JsonObject bridge = livenessCheck("eventbus-client");
        assertEquals("UP", bridge.getString("status"), bridge.toString());
        assertEquals(
                "eventbus-client-profile-service", bridge.getJsonObject("data").getString("loop"));
        assertEquals(
                "in-process",
                bridge.getJsonObject("data").getString("transport"),
                "the co-deployed bridge leases and acks through the bus's in-process endpoint, not HTTP: " + bridge);
    }

    @Test
    void liveStartedAndReadyAreUpAndReadinessReportsPostgresqlKafkaRedisAndBackpressureWithTheirData()
            throws Exception {
        HttpResponse<String> live = Stack.get("/health/live");
        assertEquals(200, live.statusCode(), live.body());
        JsonObject dispatcher = json(live).getJsonArray("checks").stream()
                .map(JsonValue::asJsonObject)
                .filter(c -> c.getString("name").equals("dispatcher"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no dispatcher liveness check: " + live.body()));
        assertEquals("UP", dispatcher.getString("status"), dispatcher.toString());
        assertTrue(number(dispatcher.getJsonObject("data"), "consumerLag") >= 0, dispatcher.toString());
        assertEquals(200, Stack.get("/health/started").statusCode());
        HttpResponse<String> r = Stack.get("/health/ready");
        assertEquals(200, r.statusCode(), r.body());
        JsonObject ready = json(r);
        assertEquals("UP", ready.getString("status"));
        Map<String, JsonObject> checks = ready.getJsonArray("checks").stream()
                .map(JsonValue::asJsonObject)
                .collect(Collectors.toMap(c -> c.getString("name"), Function.identity()));
        assertEquals(Set.of("postgresql", "kafka", "redis", "backpressure"), checks.keySet(), r.body());
        checks.values().forEach(c -> assertEquals("UP", c.getString("status"), c.toString()));

        JsonObject postgres = checks.get("postgresql").getJsonObject("data");
        assertTrue(number(postgres, "outboxBacklog") >= 0, postgres.toString());
        string(postgres, "fsync");
        string(postgres, "synchronousCommit");

        JsonObject kafka = checks.get("kafka").getJsonObject("data");
        assertEquals(kafkaClusterId(), string(kafka, "clusterId"));

        JsonObject redis = checks.get("redis").getJsonObject("data");
        assertEquals(
                "PONG, " + RedisOutageIT.cached().size() + " subscriptions cached",
                string(redis, "cache"),
                "in sync, no resync pending");

        JsonObject backpressure = checks.get("backpressure").getJsonObject("data");
        assertTrue(number(backpressure, "outboxBacklog") >= 0, backpressure.toString());
        assertEquals(OverloadIT.THRESHOLD, number(backpressure, "outboxThreshold"));
        assertTrue(number(backpressure, "relayLagMillis") >= 0, backpressure.toString());
        assertEquals(60_000, number(backpressure, "maxRelayLagMillis"));
        assertEquals(JsonValue.FALSE, value(backpressure, "publishRefused"));
        assertEquals("shared", string(backpressure, "rateLimits"));
    }
}
