package com.idynic.eventbus.bench;

import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bus's REST API as the benchmark uses it (HTTP/1.1, one {@link HttpClient}, 30 s request timeout). The
 * bearer token comes from the admin API key ({@code POST /v1/auth/token}) and is renewed every 4 minutes (it is
 * valid 15).
 */
final class BusClient {
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** A subscription change is seen by every server within a second (their cache is polled every 200 ms). */
    static final long PROPAGATION_MILLIS = 1100;

    private static final long TOKEN_REFRESH_NANOS = Duration.ofMinutes(4).toNanos();

    private final URI base;
    private final String apiKey;
    private final HttpClient http;
    private final Set<String> subscriptions = ConcurrentHashMap.newKeySet();
    private volatile String token;
    private volatile long tokenAt;

    BusClient(URI base, String apiKey) {
        this.base = base;
        this.apiKey = apiKey;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    URI base() {
        return base;
    }

    /** @return the admin API key the client signs in with (also for the console) */
    String apiKey() {
        return apiKey;
    }

    /** @return a bearer token, renewed when older than 4 minutes */
    String token() throws IOException, InterruptedException {
        String t = token;
        if (t != null && System.nanoTime() - tokenAt < TOKEN_REFRESH_NANOS) {
            return t;
        }
        synchronized (this) {
            if (token == null || System.nanoTime() - tokenAt >= TOKEN_REFRESH_NANOS) {
                HttpResponse<String> r = http.send(
                        json(HttpRequest.newBuilder(base.resolve("/v1/auth/token")))
                                .POST(HttpRequest.BodyPublishers.ofString("{\"apiKey\":" + JsonOut.quote(apiKey) + "}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    throw new IOException("POST /v1/auth/token answered " + r.statusCode() + ": " + r.body());
                }
                token = Json.string(Json.object(r.body()), "accessToken")
                        .orElseThrow(() -> new IOException("no accessToken in " + r.body()));
                tokenAt = System.nanoTime();
            }
            return token;
        }
    }

    private static HttpRequest.Builder json(HttpRequest.Builder b) {
        return b.timeout(TIMEOUT).header("Content-Type", "application/json");
    }

    HttpRequest.Builder authorized(String path) throws IOException, InterruptedException {
        return json(HttpRequest.newBuilder(base.resolve(path))).header("Authorization", "Bearer " + token());
    }

    /** @return the status of {@code POST path} with this JSON body; the answer's body is not read */
    int postStatus(String path, String body) throws IOException, InterruptedException {
        return http.send(
                        authorized(path)
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return http.send(
                authorized(path).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> put(String path, String body) throws IOException, InterruptedException {
        return http.send(
                authorized(path).PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(authorized(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> delete(String path) throws IOException, InterruptedException {
        return http.send(authorized(path).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Publishes without waiting: the open loop's sender. */
    CompletableFuture<HttpResponse<Void>> publishAsync(String path, String body)
            throws IOException, InterruptedException {
        return http.sendAsync(
                authorized(path).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.discarding());
    }

    /** @return the status of an unauthenticated {@code GET path} (health), body not read */
    int getOpenStatus(String path) throws IOException, InterruptedException {
        return http.send(
                        HttpRequest.newBuilder(base.resolve(path))
                                .timeout(TIMEOUT)
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    /** @return {@code /health/ready} or {@code /health/live} as JSON (a DOWN answer is 503 with the same body) */
    JsonObject health(String which) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(base.resolve("/health/" + which))
                        .timeout(TIMEOUT)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return Json.object(r.body());
    }

    static HttpResponse<String> expect(HttpResponse<String> r, int... statuses) throws IOException {
        for (int s : statuses) {
            if (r.statusCode() == s) {
                return r;
            }
        }
        throw new IOException(r.request().method() + " " + r.uri().getPath() + " answered " + r.statusCode() + ": "
                + abbreviate(r.body()));
    }

    static String abbreviate(String s) {
        return s == null || s.length() <= 300 ? s : s.substring(0, 300) + "…";
    }

    /** Registers the benchmark's schema for this type unless the type has one. */
    void ensureSchema(String type) throws IOException, InterruptedException {
        if (get("/v1/schemas/" + type + "/versions").statusCode() == 200) {
            return;
        }
        expect(post("/v1/schemas/" + type + "/versions", Payloads.SCHEMA), 201);
    }

    /**
     * Creates a webhook subscription: unordered or ordered, {@code maxConcurrency} 256 (the most the bus takes)
     * and no rate limit ({@code maxRatePerSecond} 0), so the subscription does not throttle the benchmark.
     */
    void webhook(String id, String type, URI url, String ordering) throws IOException, InterruptedException {
        String body = "{\"eventTypes\":[" + JsonOut.quote(type) + "],\"target\":{\"type\":\"webhook\",\"url\":"
                + JsonOut.quote(url.toString()) + ",\"timeoutMillis\":10000},\"ordering\":\"" + ordering
                + "\",\"maxConcurrency\":256,\"maxRatePerSecond\":0}";
        subscriptions.add(id);
        expect(put("/v1/subscriptions/" + id, body), 201, 200);
    }

    /** Creates an unordered pull subscription. */
    void pullSubscription(String id, String type) throws IOException, InterruptedException {
        pullSubscription(id, type, "unordered");
    }

    /** Creates a pull subscription, {@code ordered} or {@code unordered}. */
    void pullSubscription(String id, String type, String ordering) throws IOException, InterruptedException {
        String body = "{\"eventTypes\":[" + JsonOut.quote(type) + "],\"target\":{\"type\":\"pull\"},"
                + "\"ordering\":\"" + ordering + "\"}";
        subscriptions.add(id);
        expect(put("/v1/subscriptions/" + id, body), 201, 200);
    }

    void pause(String id) throws IOException, InterruptedException {
        expect(post("/v1/subscriptions/" + id + "/pause", "{}"), 200);
    }

    void resume(String id) throws IOException, InterruptedException {
        expect(post("/v1/subscriptions/" + id + "/resume", "{}"), 200);
    }

    /** Deletes a subscription; one already gone is fine. */
    void deleteSubscription(String id) throws IOException, InterruptedException {
        HttpResponse<String> r = delete("/v1/subscriptions/" + id);
        if (r.statusCode() != 204 && r.statusCode() != 404) {
            throw new IOException("DELETE subscription " + id + " answered " + r.statusCode());
        }
        subscriptions.remove(id);
    }

    /** Deletes every subscription this run created and has not deleted yet (the end of a failed scenario). */
    List<String> deleteLeftovers() {
        List<String> failed = new ArrayList<>();
        for (String id : List.copyOf(subscriptions)) {
            try {
                deleteSubscription(id);
            } catch (IOException | RuntimeException e) {
                failed.add(id + ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failed.add(id + ": interrupted");
            }
        }
        return failed;
    }
}
