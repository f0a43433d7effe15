package com.idynic.eventbus.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * {@link Bus} over the REST API with {@code java.net.http}: exchanges the API key for a bearer token on the
 * first call that needs one and again a minute before it expires (long {@code listen} and {@code monitor} runs).
 */
final class HttpBus implements Bus {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Settings settings;
    private final Clock clock;
    private final HttpClient http;
    private String token;
    private Instant tokenRenewAt = Instant.MIN;

    HttpBus(Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    @Override
    public JsonNode publish(ObjectNode envelope) {
        return call("POST", "/v1/events", envelope);
    }

    @Override
    public JsonNode schemas() {
        return call("GET", "/v1/schemas", null);
    }

    @Override
    public JsonNode schema(String eventType, String version) {
        return call("GET", "/v1/schemas/" + segment(eventType) + "/versions/" + segment(version), null);
    }

    @Override
    public JsonNode putSubscription(String id, ObjectNode subscription) {
        return call("PUT", "/v1/subscriptions/" + segment(id), subscription);
    }

    @Override
    public void deleteSubscription(String id) {
        call("DELETE", "/v1/subscriptions/" + segment(id), null);
    }

    @Override
    public JsonNode pull(String subscription, int maxEvents, long waitMillis) {
        ObjectNode body = JSON.createObjectNode().put("maxEvents", maxEvents).put("waitMillis", waitMillis);
        return call("POST", "/v1/subscriptions/" + segment(subscription) + "/pull", body);
    }

    @Override
    public int ack(String subscription, List<String> eventIds) {
        ObjectNode body = JSON.createObjectNode();
        ids(body, eventIds);
        return call("POST", "/v1/subscriptions/" + segment(subscription) + "/ack", body)
                .path("settled")
                .asInt();
    }

    @Override
    public int nack(String subscription, List<String> eventIds, String reason) {
        ObjectNode body = JSON.createObjectNode();
        ids(body, eventIds);
        body.put("reason", reason);
        return call("POST", "/v1/subscriptions/" + segment(subscription) + "/nack", body)
                .path("settled")
                .asInt();
    }

    @Override
    public JsonNode deadLetters(String subscription, int limit) {
        return call("GET", "/v1/subscriptions/" + segment(subscription) + "/dead-letters?limit=" + limit, null);
    }

    @Override
    public JsonNode redrive(String subscription, List<String> eventIds) {
        ObjectNode body = JSON.createObjectNode();
        if (eventIds.isEmpty()) {
            body.put("all", true);
        } else {
            ids(body, eventIds);
        }
        return call("POST", "/v1/subscriptions/" + segment(subscription) + "/dead-letters/redrive", body);
    }

    @Override
    public JsonNode startReplay(String subscription, ObjectNode request) {
        return call("POST", "/v1/subscriptions/" + segment(subscription) + "/replays", request);
    }

    @Override
    public JsonNode replay(String subscription, String replayId) {
        return call("GET", "/v1/subscriptions/" + segment(subscription) + "/replays/" + segment(replayId), null);
    }

    @Override
    public String metrics() {
        HttpResponse<String> r = send(HttpRequest.newBuilder(settings.url().resolve("/metrics"))
                .header("Accept", "text/plain")
                .GET());
        if (r.statusCode() != 200) {
            throw error(r);
        }
        return r.body();
    }

    private static void ids(ObjectNode body, List<String> eventIds) {
        ArrayNode a = body.putArray("eventIds");
        eventIds.forEach(a::add);
    }

    private JsonNode call(String method, String path, JsonNode body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(settings.url().resolve(path))
                .header("Authorization", "Bearer " + token())
                .header("Accept", "application/json");
        if (body != null) {
            b.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> r = send(b);
        if (r.statusCode() / 100 != 2) {
            throw error(r);
        }
        return r.body().isBlank() ? JSON.createObjectNode() : parse(r.body());
    }

    private synchronized String token() {
        if (token == null || !clock.instant().isBefore(tokenRenewAt)) {
            ObjectNode body =
                    JSON.createObjectNode().put("apiKey", settings.apiKey().get());
            HttpResponse<String> r = send(HttpRequest.newBuilder(settings.url().resolve("/v1/auth/token"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
            if (r.statusCode() != 200) {
                throw error(r);
            }
            JsonNode answer = parse(r.body());
            token = answer.path("accessToken").asText();
            tokenRenewAt = clock.instant()
                    .plusSeconds(Math.max(0, answer.path("expiresIn").asLong(900) - 60));
        }
        return token;
    }

    private HttpResponse<String> send(HttpRequest.Builder b) {
        try {
            return http.send(b.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw BusError.unreachable(settings.url().toString(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw BusError.unreachable(settings.url().toString(), e);
        }
    }

    private static BusError error(HttpResponse<String> r) {
        JsonNode body = null;
        try {
            body = JSON.readTree(r.body());
        } catch (IOException | RuntimeException e) {
            // not JSON: the raw text is shown
        }
        return new BusError(r.statusCode(), body != null && body.isObject() ? body : null, r.body());
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new BusError(200, null, "the bus answered something that is not JSON: " + body);
        }
    }

    private static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
