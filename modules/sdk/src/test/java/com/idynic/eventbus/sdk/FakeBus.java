package com.idynic.eventbus.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bus's HTTP surface as the SDK uses it, in the test JVM: token exchange, batch publish with the bus's
 * per-event results and by-index refusals, subscription PUT, pull, ack and nack. Scripted faults: answers to give first, and
 * events with {@code "data": {"bad": true}} refused by index.
 */
final class FakeBus implements AutoCloseable {
    static final String KEY = "ebk_test_secret";
    static final ObjectMapper JSON = new ObjectMapper();

    /** A scripted answer to the next batch request: store the events first or not, then answer this (after a delay). */
    record Fault(boolean storeFirst, int status, String retryAfter, long delayMillis) {}

    final HttpServer server;
    final List<String> batchBodies = Collections.synchronizedList(new ArrayList<>());
    final Map<String, JsonNode> stored = Collections.synchronizedMap(new LinkedHashMap<>());
    final ConcurrentLinkedQueue<Fault> faults = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<JsonNode> toPull = new ConcurrentLinkedQueue<>();
    final List<JsonNode> acks = Collections.synchronizedList(new ArrayList<>());
    final List<JsonNode> nacks = Collections.synchronizedList(new ArrayList<>());
    final Map<String, JsonNode> subscriptions = Collections.synchronizedMap(new LinkedHashMap<>());
    final AtomicInteger exchanges = new AtomicInteger();
    final List<String> tokensSeen = Collections.synchronizedList(new ArrayList<>());
    volatile long expiresIn = 900;
    volatile int pullStatus = 200;
    volatile String refuseToken;

    FakeBus() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            byte[] in = x.getRequestBody().readAllBytes();
            String path = x.getRequestURI().getPath();
            if (path.equals("/v1/auth/token")) {
                token(x, JSON.readTree(in));
                return;
            }
            String auth = x.getRequestHeaders().getFirst("Authorization");
            tokensSeen.add(auth);
            if (auth == null || auth.equals("Bearer " + refuseToken)) {
                answer(x, 401, error("UNAUTHORIZED", "expired", null), null);
                return;
            }
            if (x.getRequestMethod().equals("PUT") && path.startsWith("/v1/subscriptions/")) {
                subscriptions.put(path.substring("/v1/subscriptions/".length()), JSON.readTree(in));
                answer(x, 201, "{}", null);
            } else if (path.equals("/v1/events/batch")) {
                batch(x, new String(in, StandardCharsets.UTF_8));
            } else if (path.endsWith("/pull")) {
                pull(x, JSON.readTree(in));
            } else if (path.endsWith("/ack")) {
                acks.add(JSON.readTree(in));
                answer(x, 200, "{\"settled\":1}", null);
            } else if (path.endsWith("/nack")) {
                nacks.add(JSON.readTree(in));
                answer(x, 200, "{\"settled\":1}", null);
            } else {
                answer(x, 404, error("NOT_FOUND", "no route", null), null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void token(HttpExchange x, JsonNode body) throws IOException {
        if (!KEY.equals(body.path("apiKey").asText())) {
            answer(x, 401, error("UNAUTHORIZED", "bad key", null), null);
            return;
        }
        int n = exchanges.incrementAndGet();
        String claims = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString("{\"sub\":\"test-service\"}".getBytes(StandardCharsets.UTF_8));
        answer(
                x,
                200,
                "{\"accessToken\":\"h." + claims + ".sig" + n + "\",\"tokenType\":\"Bearer\",\"expiresIn\":" + expiresIn
                        + "}",
                null);
    }

    private void batch(HttpExchange x, String body) throws IOException, InterruptedException {
        batchBodies.add(body);
        JsonNode events = JSON.readTree(body);
        Fault fault = faults.poll();
        if (fault != null && !fault.storeFirst()) {
            answer(
                    x,
                    fault.status(),
                    error(fault.status() == 429 ? "RATE_LIMITED" : "STORAGE_UNAVAILABLE", "busy", null),
                    fault.retryAfter());
            return;
        }
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).path("data").path("bad").asBoolean(false)) {
                ObjectNode details = JSON.createObjectNode().put("index", i).put("field", "[" + i + "].data.bad");
                answer(x, 400, error("SCHEMA_VALIDATION_ERROR", "bad is not allowed", details), null);
                return;
            }
        }
        ArrayNode receipts = JSON.createArrayNode();
        int accepted = 0;
        for (JsonNode e : events) {
            String id = e.path("id").asText();
            ObjectNode r = receipts.addObject().put("eventId", id);
            JsonNode before = stored.putIfAbsent(id, e);
            if (before == null) {
                accepted++;
                r.put("status", "accepted")
                        .put("timestamp", "2026-12-07T02:00:00.000Z")
                        .put("receipt", "rcpt-" + id);
            } else if (before.equals(e)) {
                r.put("status", "duplicate")
                        .put("timestamp", "2026-12-07T02:00:00.000Z")
                        .put("receipt", "rcpt-" + id);
            } else {
                r.put("status", "rejected")
                        .put("errorCode", "DUPLICATE_EVENT_ID")
                        .put("message", "id taken");
            }
        }
        if (fault != null) {
            Thread.sleep(fault.delayMillis());
            answer(x, fault.status(), error("STORAGE_UNAVAILABLE", "lost", null), fault.retryAfter());
            return;
        }
        ObjectNode o = JSON.createObjectNode().put("status", "accepted").put("accepted", accepted);
        o.set("receipts", receipts);
        answer(x, 202, o.toString(), null);
    }

    private void pull(HttpExchange x, JsonNode body) throws IOException, InterruptedException {
        if (pullStatus != 200) {
            answer(x, pullStatus, error("NOT_FOUND", "no subscription", null), null);
            return;
        }
        ArrayNode events = JSON.createArrayNode();
        int max = body.path("maxEvents").asInt(10);
        for (JsonNode e; events.size() < max && (e = toPull.poll()) != null; ) {
            events.addObject().put("attempt", 1).put("replay", false).set("event", e);
        }
        if (events.isEmpty()) {
            Thread.sleep(Math.min(50, body.path("waitMillis").asLong()));
        }
        answer(x, 200, JSON.createObjectNode().set("events", events).toString(), null);
    }

    static String error(String code, String message, JsonNode details) {
        ObjectNode o = JSON.createObjectNode()
                .put("status", "error")
                .put("errorCode", code)
                .put("message", message);
        if (details != null) {
            o.set("details", details);
        }
        return o.toString();
    }

    private static void answer(HttpExchange x, int status, String body, String retryAfter) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "application/json");
        if (retryAfter != null) {
            x.getResponseHeaders().set("Retry-After", retryAfter);
        }
        x.sendResponseHeaders(status, b.length);
        x.getResponseBody().write(b);
    }

    /** @return a stored-event envelope for the pull queue */
    static ObjectNode event(String id, String key, String data) throws IOException {
        ObjectNode e = JSON.createObjectNode()
                .put("id", id)
                .put("eventType", "order.placed")
                .put("source", "shop");
        e.set("data", JSON.readTree(data));
        if (key != null) {
            e.putObject("metadata").put("partitionKey", key);
        }
        return e;
    }
}
