package com.idynic.eventbus.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real HTTP server in the test JVM that plays webhook receivers. Each path has a behaviour that
 * chooses the answer for a request; every request is recorded with its headers, body and arrival time.
 * Register it with {@code @RegisterExtension}: it waits for the bus, starts before the class's tests and
 * stops after them.
 */
final class WebhookReceiver implements BeforeAllCallback, AfterAllCallback {
    /**
     * The receiver's address: loopback, but neither 127.0.0.1 nor ::1 (allowed as in {@code ./eventbus run}), so
     * the tests can show that the rest of 127.0.0.0/8 is refused while this one address is allowed (the test
     * server runs with EVENTBUS_WEBHOOK_ALLOW=127.0.0.1/32,::1/128,127.0.0.5/32).
     */
    static final String HOST = "127.0.0.5";

    /**
     * One received call; {@code traceparent} is its W3C trace context header, or null; {@code headers} holds every
     * request header by its lower-case name (first value).
     */
    record Call(
            String path,
            String id,
            String timestamp,
            String signature,
            String body,
            Instant at,
            int answered,
            boolean replay,
            String traceparent,
            Map<String, String> headers) {}

    /**
     * The answer to give: status, optional Retry-After as seconds ({@code retryAfter}) or as an HTTP date sent as
     * given ({@code retryAfterDate}), and how long to wait before answering.
     */
    record Answer(int status, Integer retryAfter, long delayMs, String retryAfterDate) {
        Answer(int status, Integer retryAfter, long delayMs) {
            this(status, retryAfter, delayMs, null);
        }

        static Answer ok() {
            return new Answer(200, null, 0);
        }

        static Answer status(int status) {
            return new Answer(status, null, 0);
        }
    }

    private HttpServer server;
    private final List<Call> calls = new ArrayList<>();
    private final Map<String, Function<Call, Answer>> behaviours = new ConcurrentHashMap<>();

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        Stack.awaitReady();
        server = HttpServer.create(new InetSocketAddress(HOST, 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(16));
        server.createContext("/", this::handle);
        server.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        server.stop(0);
    }

    String url(String path) {
        return "http://" + HOST + ":" + server.getAddress().getPort() + path;
    }

    void on(String path, Function<Call, Answer> behaviour) {
        behaviours.put(path, behaviour);
    }

    synchronized List<Call> calls(String path) {
        return calls.stream().filter(c -> c.path().equals(path)).toList();
    }

    /** @return calls to {@code path} for event {@code id} */
    synchronized List<Call> calls(String path, String id) {
        return calls.stream()
                .filter(c -> c.path().equals(path) && id.equals(c.id()))
                .toList();
    }

    private static Map<String, String> headers(HttpExchange ex) {
        Map<String, String> h = new java.util.TreeMap<>();
        ex.getRequestHeaders().forEach((k, v) -> h.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0)));
        return h;
    }

    private void handle(HttpExchange ex) throws IOException {
        String body;
        try (InputStream in = ex.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String path = ex.getRequestURI().getPath();
        Call probe = new Call(
                path,
                ex.getRequestHeaders().getFirst("webhook-id"),
                ex.getRequestHeaders().getFirst("webhook-timestamp"),
                ex.getRequestHeaders().getFirst("webhook-signature"),
                body,
                Instant.now(),
                0,
                "true".equals(ex.getRequestHeaders().getFirst("eventbus-replay")),
                ex.getRequestHeaders().getFirst("traceparent"),
                headers(ex));
        Answer a = behaviours.getOrDefault(path, c -> Answer.ok()).apply(probe);
        if (a.delayMs() > 0) {
            try {
                Thread.sleep(a.delayMs());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            calls.add(new Call(
                    path,
                    probe.id(),
                    probe.timestamp(),
                    probe.signature(),
                    body,
                    probe.at(),
                    a.status(),
                    probe.replay(),
                    probe.traceparent(),
                    probe.headers()));
        }
        if (a.retryAfter() != null) {
            ex.getResponseHeaders().add("Retry-After", String.valueOf(a.retryAfter()));
        } else if (a.retryAfterDate() != null) {
            ex.getResponseHeaders().add("Retry-After", a.retryAfterDate());
        }
        ex.sendResponseHeaders(a.status(), -1);
        ex.close();
    }
}
