package com.idynic.eventbus.client.internal;

import com.idynic.eventbus.api.CachedJson;
import com.idynic.eventbus.api.EnvelopeParser;
import com.idynic.eventbus.api.EventEnvelope;
import com.idynic.eventbus.api.TraceContext;
import com.idynic.eventbus.client.BusEvent;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The bus's subscription and pull API: over HTTP, or, for pull, ack and nack, through the bus's in-process endpoint
 * when the app runs on the bus's server ({@link InProcessEndpoint}; same answers, no request).
 */
public final class PullClient {
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final Clock clock;
    private final String apiKey;
    private final boolean inProcessWanted;
    private volatile InProcessEndpoint local;
    private String token;
    private long tokenValidUntil;

    /**
     * @param baseUrl e.g. {@code http://127.0.0.1:9080}
     * @param apiKey the service's API key, exchanged for bearer tokens as they expire
     * @param clock the caller's clock (the program's one clock), for token renewal
     */
    public PullClient(String baseUrl, String apiKey, Clock clock) {
        this(baseUrl, apiKey, false, clock);
    }

    /**
     * @param inProcess whether pull, ack and nack go through the bus's in-process endpoint when it is in this JVM
     */
    PullClient(String baseUrl, String apiKey, boolean inProcess, Clock clock) {
        this.clock = clock;
        this.base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.apiKey = apiKey;
        this.inProcessWanted = inProcess;
    }

    /**
     * @return whether pull, ack and nack go through the bus's in-process endpoint (looked for until found: the bus
     *     may start after the app)
     */
    boolean inProcess() {
        if (inProcessWanted && local == null) {
            local = InProcessEndpoint.find(apiKey).orElse(null);
        }
        return local != null;
    }

    /** A token from {@code POST /v1/auth/token}, renewed a minute before it expires. */
    private synchronized String bearer() throws IOException {
        if (token == null || clock.millis() > tokenValidUntil) {
            JsonObject body =
                    CachedJson.createObjectBuilder().add("apiKey", apiKey).build();
            JsonObject t = exchange("POST", "/v1/auth/token", body, Duration.ofSeconds(10), null);
            token = t.getString("accessToken");
            tokenValidUntil = clock.millis() + Math.max(10, t.getInt("expiresIn") - 60) * 1000L;
        }
        return token;
    }

    /** Creates or replaces a pull subscription. */
    public void subscribe(String id, String owner, Collection<String> selectors) throws IOException {
        JsonArrayBuilder types = CachedJson.createArrayBuilder();
        selectors.forEach(types::add);
        JsonObject body = CachedJson.createObjectBuilder()
                .add("owner", owner)
                .add("eventTypes", types)
                .add("target", CachedJson.createObjectBuilder().add("type", "cdi"))
                .add("ordering", "ordered")
                .build();
        send("PUT", "/v1/subscriptions/" + id, body, Duration.ofSeconds(10));
    }

    /** Leases up to {@code max} events, waiting up to {@code wait} for the first. */
    public List<BusEvent> pull(String id, int max, Duration wait, Duration ackDeadline) throws IOException {
        JsonObject body = CachedJson.createObjectBuilder()
                .add("maxEvents", max)
                .add("waitMillis", wait.toMillis())
                .add("ackDeadlineMillis", ackDeadline.toMillis())
                .build();
        JsonObject res = call("pull", id, body, wait.plusSeconds(10));
        List<BusEvent> out = new ArrayList<>();
        for (JsonValue v : res.getJsonArray("events")) {
            JsonObject d = v.asJsonObject();
            JsonObject e = d.getJsonObject("event");
            EventEnvelope env = EnvelopeParser.stored(e, "");
            out.add(new BusEvent(
                    env,
                    d.getInt("attempt"),
                    d.getString(
                            TraceContext.HEADER, TraceContext.forDelivery(env).traceparent())));
        }
        return out;
    }

    /** Acknowledges delivered events, all in one request. */
    public void ack(String id, Collection<String> eventIds) throws IOException {
        JsonArrayBuilder ids = CachedJson.createArrayBuilder();
        eventIds.forEach(ids::add);
        call("ack", id, CachedJson.createObjectBuilder().add("eventIds", ids).build(), Duration.ofSeconds(10));
    }

    /**
     * Negatively acknowledges one event: retried later by the subscription's policy (the later events of its key
     * that the same pull handed out come again after it), or with {@code reject} sent to the dead-letter queue.
     */
    public void nack(String id, String eventId, String reason, boolean reject) throws IOException {
        JsonObject body = CachedJson.createObjectBuilder()
                .add("eventIds", CachedJson.createArrayBuilder().add(eventId))
                .add("reason", reason == null ? "" : reason)
                .add("reject", reject)
                .build();
        call("nack", id, body, Duration.ofSeconds(10));
    }

    /** A pull API call: in-process when the bus is in this JVM, else {@code POST /v1/subscriptions/{id}/{op}}. */
    private JsonObject call(String operation, String id, JsonObject body, Duration timeout) throws IOException {
        return inProcess()
                ? local.call(operation, id, body)
                : send("POST", "/v1/subscriptions/" + id + "/" + operation, body, timeout);
    }

    private JsonObject send(String method, String path, JsonObject body, Duration timeout) throws IOException {
        try {
            return exchange(method, path, body, timeout, bearer());
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().contains("answered 401")) {
                synchronized (this) {
                    token = null;
                }
            }
            throw e;
        }
    }

    private JsonObject exchange(String method, String path, JsonObject body, Duration timeout, String bearer)
            throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        HttpRequest req = b.build();
        try {
            HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString());
            if (res.statusCode() / 100 != 2) {
                throw new IOException(method + " " + path + " answered " + res.statusCode() + ": " + res.body());
            }
            try (JsonReader r = CachedJson.createReader(new StringReader(res.body()))) {
                return r.readObject();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
