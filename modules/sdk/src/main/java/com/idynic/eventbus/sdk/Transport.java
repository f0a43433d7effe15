package com.idynic.eventbus.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;

/** HTTP to the bus: the bearer token (exchanged from the API key, renewed before it expires) and the error JSON. */
final class Transport {
    /** One answer: status, body, and the {@code Retry-After} it named (null when none). */
    record Answer(int status, byte[] body, Duration retryAfter) {
        boolean ok() {
            return status >= 200 && status < 300;
        }

        /** @return whether the same request may be sent again: the bus is busy or briefly unavailable */
        boolean retryable() {
            return status == 429 || status == 502 || status == 503 || status == 504;
        }
    }

    private record Token(String jwt, Instant renewAt, String service) {}

    private final URI base;
    private final String apiKey;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final Clock clock;
    private final ObjectMapper mapper;
    private volatile Token token;

    Transport(URI base, String apiKey, HttpClient http, Duration requestTimeout, Clock clock, ObjectMapper mapper) {
        this.base = base;
        this.apiKey = apiKey;
        this.http = http;
        this.requestTimeout = requestTimeout;
        this.clock = clock;
        this.mapper = mapper;
    }

    ObjectMapper mapper() {
        return mapper;
    }

    /** @return the service the API key belongs to (the token's {@code sub}) */
    String service() {
        return current().service();
    }

    /** @return a valid bearer token: the current one, or a new one when it is within a fifth of its life of expiry */
    String token() {
        return current().jwt();
    }

    /** Forgets {@code jwt} after the bus refused it (401), so the next call exchanges the key again. */
    synchronized void refused(String jwt) {
        if (token != null && token.jwt().equals(jwt)) {
            token = null;
        }
    }

    private Token current() {
        Token t = token;
        if (t != null && clock.instant().isBefore(t.renewAt())) {
            return t;
        }
        synchronized (this) {
            if (token == null || !clock.instant().isBefore(token.renewAt())) {
                token = exchange();
            }
            return token;
        }
    }

    private Token exchange() {
        byte[] body;
        try {
            body = mapper.writeValueAsBytes(mapper.createObjectNode().put("apiKey", apiKey));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Answer a;
        try {
            a = send(HttpRequest.newBuilder(base.resolve("/v1/auth/token")), "POST", body);
        } catch (IOException e) {
            throw unreachable("POST /v1/auth/token", e);
        }
        if (!a.ok()) {
            throw error(a);
        }
        JsonNode o = read(a.body());
        String jwt = o.path("accessToken").asText();
        long lifetime = o.path("expiresIn").asLong(900);
        return new Token(jwt, clock.instant().plusSeconds(lifetime * 4 / 5), subject(jwt));
    }

    private String subject(String jwt) {
        String[] parts = jwt.split("\\.");
        if (parts.length < 2) {
            return null;
        }
        return read(Base64.getUrlDecoder().decode(parts[1])).path("sub").asText(null);
    }

    /** Sends {@code POST path} with a JSON body and the bearer token; completes with any answer, or an IOException. */
    CompletableFuture<Answer> postAsync(String path, byte[] json, String jwt) {
        HttpRequest r = request(path, jwt)
                .timeout(requestTimeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json))
                .build();
        return http.sendAsync(r, HttpResponse.BodyHandlers.ofByteArray()).thenApply(this::answer);
    }

    /** Sends {@code POST path} with the bearer token; a 401 exchanges the key again and sends once more. */
    Answer post(String path, byte[] json) throws IOException, InterruptedException {
        return call("POST", path, json);
    }

    /** Sends {@code PUT path} as {@link #post(String, byte[])} does. */
    Answer put(String path, byte[] json) throws IOException, InterruptedException {
        return call("PUT", path, json);
    }

    private Answer call(String method, String path, byte[] json) throws IOException {
        String jwt = token();
        Answer a = send(request(path, jwt), method, json);
        if (a.status() == 401) {
            refused(jwt);
            a = send(request(path, token()), method, json);
        }
        return a;
    }

    private HttpRequest.Builder request(String path, String jwt) {
        return HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + jwt);
    }

    private Answer send(HttpRequest.Builder b, String method, byte[] json) throws IOException {
        try {
            return answer(http.send(
                    b.timeout(requestTimeout)
                            .header("Content-Type", "application/json")
                            .method(method, HttpRequest.BodyPublishers.ofByteArray(json))
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private Answer answer(HttpResponse<byte[]> r) {
        return new Answer(
                r.statusCode(),
                r.body(),
                r.headers()
                        .firstValue("Retry-After")
                        .map(v -> retryAfter(v, clock.instant()))
                        .orElse(null));
    }

    /** @return {@code Retry-After} as a duration: seconds, or an HTTP date; null when unreadable */
    static Duration retryAfter(String value, Instant now) {
        String v = value.strip();
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(v)));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toInstant();
                Duration d = Duration.between(now, at);
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException notDate) {
                return null;
            }
        }
    }

    JsonNode read(byte[] body) {
        try {
            return mapper.readTree(body);
        } catch (IOException e) {
            throw new EventBusException(0, "MALFORMED_ANSWER", "the bus answered with no JSON: " + text(body), null, e);
        }
    }

    /** @return the bus's error JSON as an exception */
    EventBusException error(Answer a) {
        JsonNode o;
        try {
            o = mapper.readTree(a.body());
        } catch (IOException e) {
            o = null;
        }
        if (o == null || !o.hasNonNull("errorCode")) {
            return new EventBusException(a.status(), "HTTP_" + a.status(), text(a.body()), null, null);
        }
        return new EventBusException(
                a.status(), o.path("errorCode").asText(), o.path("message").asText(), o.get("details"), null);
    }

    static EventBusException unreachable(String what, Throwable cause) {
        return new EventBusException(0, EventBusException.UNAVAILABLE, what + " got no answer: " + cause, null, cause);
    }

    private static String text(byte[] body) {
        String s = body == null ? "" : new String(body, StandardCharsets.UTF_8);
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }
}
