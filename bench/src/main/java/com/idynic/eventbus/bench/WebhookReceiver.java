package com.idynic.eventbus.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The webhook receiver: an in-process HTTP server on 127.0.0.1 that answers 204 at once and records, per sink
 * ({@code /s/<name>}), when each event id ({@code webhook-id}) first arrived ({@link System#nanoTime()}, the
 * same clock the publishers use).
 */
final class WebhookReceiver implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService pool;
    private final Map<String, Sink> sinks = new ConcurrentHashMap<>();
    private final AtomicInteger unknown = new AtomicInteger();

    WebhookReceiver() throws IOException {
        // read once, when the first server is made: answers without Nagle's delay, and room for every connection
        // the bus's webhook client keeps open (10 subscriptions x 256 calls in flight)
        System.setProperty("sun.net.httpserver.nodelay", "true");
        System.setProperty("sun.net.httpserver.maxIdleConnections", "4096");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        AtomicInteger n = new AtomicInteger();
        pool = Executors.newFixedThreadPool(64, r -> {
            Thread t = new Thread(r, "webhook-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
    }

    private void handle(HttpExchange ex) throws IOException {
        long now = System.nanoTime();
        try (InputStream in = ex.getRequestBody()) {
            in.readAllBytes();
        }
        String path = ex.getRequestURI().getPath();
        Sink sink = path.startsWith("/s/") ? sinks.get(path.substring(3)) : null;
        String id = ex.getRequestHeaders().getFirst("webhook-id");
        if (sink == null || id == null) {
            unknown.incrementAndGet();
        } else {
            sink.arrived(id, now);
        }
        ex.sendResponseHeaders(204, -1);
        ex.close();
    }

    /** @return a new sink and the URL the bus should POST to */
    Sink sink(String name) {
        Sink s = new Sink(name);
        sinks.put(name, s);
        return s;
    }

    URI url(Sink s) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/s/" + s.name());
    }

    /** Stops recording for a sink (its subscription is gone). */
    void drop(Sink s) {
        sinks.remove(s.name());
    }

    int unknownCalls() {
        return unknown.get();
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
