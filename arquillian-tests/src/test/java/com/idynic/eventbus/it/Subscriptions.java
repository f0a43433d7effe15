package com.idynic.eventbus.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

/** Helpers for the subscription, delivery and dead-letter APIs. */
final class Subscriptions {
    private Subscriptions() {}

    /** Creates a subscription; returns the creation response (which holds a webhook's secret). */
    static JsonObject create(String id, String json) {
        HttpResponse<String> r =
                Stack.send(HttpRequest.newBuilder(URI.create(Stack.baseUrl() + "/v1/subscriptions/" + id))
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(json)));
        assertEquals(201, r.statusCode(), r.body());
        return Stack.json(r);
    }

    /** A webhook subscription with fast retries (for tests): types, url, ordering, attempts. */
    static JsonObject webhook(String id, String type, String url, String ordering, int maxAttempts) {
        return create(
                id,
                "{\"owner\":\"it\",\"eventTypes\":[\"" + type + "\"],\"target\":{\"type\":\"webhook\",\"url\":\"" + url
                        + "\",\"timeoutMillis\":3000},\"ordering\":\"" + ordering + "\",\"retryPolicy\":"
                        + "{\"initialDelayMillis\":300,\"multiplier\":2,\"maxDelayMillis\":5000,\"maxAttempts\":"
                        + maxAttempts + "}}");
    }

    static List<JsonObject> attempts(String eventId, String subscriptionId) {
        return Stack.json(Stack.get("/v1/events/" + eventId + "/deliveries")).getJsonArray("attempts").stream()
                .map(JsonValue::asJsonObject)
                .filter(a -> a.getString("subscriptionId").equals(subscriptionId))
                .toList();
    }

    static String state(String eventId, String subscriptionId) {
        return Stack.json(Stack.get("/v1/events/" + eventId + "/deliveries")).getJsonArray("deliveries").stream()
                .map(JsonValue::asJsonObject)
                .filter(d -> d.getString("subscriptionId").equals(subscriptionId))
                .map(d -> d.getString("state"))
                .findFirst()
                .orElse("NONE");
    }

    static List<String> deadLetterIds(String subscriptionId) {
        return Stack.json(Stack.get("/v1/subscriptions/" + subscriptionId + "/dead-letters"))
                .getJsonArray("deadLetters")
                .stream()
                .map(JsonValue::asJsonObject)
                .map(d -> d.getString("eventId"))
                .toList();
    }

    /**
     * Publishes one event and expects 202; like any client, waits out a {@code 429 OVERLOADED} (the test server's
     * outbox threshold is small, and an earlier test's burst may still be relaying) for up to a minute.
     */
    static String publish(String type, String key, String data) {
        String id = Stack.newId("evt");
        String meta = key == null ? "{}" : "{\"partitionKey\":\"" + key + "\"}";
        String body = Stack.event(id, type, data, meta);
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
        HttpResponse<String> r = Stack.postJson("/v1/events", body);
        while (r.statusCode() == 429 && r.body().contains("\"OVERLOADED\"") && System.nanoTime() < deadline) {
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            r = Stack.postJson("/v1/events", body);
        }
        assertEquals(202, r.statusCode(), r.body());
        return id;
    }
}
