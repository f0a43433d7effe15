package com.idynic.eventbus.it;

import com.idynic.eventbus.client.BusEvent;
import com.idynic.eventbus.client.internal.PullClient;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The fault suite's receivers, each recording what it got in the ledger: webhook paths on one HTTP server
 * ({@code /main} always answers 200, {@code /failing} 500 while {@link #failing} is set, {@code /slow} takes 5 s,
 * {@code /flaky} while {@link #flaky} is set drops a third of the connections mid-response and answers a third
 * after the subscription's timeout), and a pull client leasing and acknowledging in batches.
 */
final class FaultReceivers implements AutoCloseable {
    static final long SLOW_MILLIS = 5_000;

    volatile boolean failing;
    volatile boolean flaky;
    volatile long flakyLateMillis = 1_500;

    private final FaultLedger ledger;
    private final HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(96);
    private final AtomicLong flakyCalls = new AtomicLong();
    private final Thread puller;
    private volatile boolean closed;

    /** @param pullSubscription the ordered pull subscription to read, or null for none */
    FaultReceivers(FaultLedger ledger, String pullSubscription) throws IOException {
        this.ledger = ledger;
        server = HttpServer.create(new InetSocketAddress(WebhookReceiver.HOST, 0), 0);
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
        if (pullSubscription == null) {
            puller = null;
            return;
        }
        PullClient client = new PullClient(Stack.baseUrl(), Stack.adminKey(), java.time.Clock.systemUTC());
        puller = new Thread(() -> pullLoop(client, pullSubscription), "fault-pull");
        puller.setDaemon(true);
        puller.start();
    }

    String url(String path) {
        return "http://" + WebhookReceiver.HOST + ":" + server.getAddress().getPort() + path;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            in.readAllBytes();
        }
        String path = ex.getRequestURI().getPath();
        String receiver = path.substring(1);
        String id = ex.getRequestHeaders().getFirst("webhook-id");
        int status = 200;
        switch (receiver) {
            case "failing" -> status = failing ? 500 : 200;
            case "slow" -> sleep(SLOW_MILLIS);
            case "flaky" -> {
                if (flaky) {
                    long n = flakyCalls.incrementAndGet() % 3;
                    if (n == 0) {
                        ledger.got(receiver, id, true);
                        dropMidResponse(ex);
                        return;
                    }
                    if (n == 1) {
                        sleep(flakyLateMillis);
                    }
                }
            }
            default -> {}
        }
        ledger.got(receiver, id, status == 200);
        ex.sendResponseHeaders(status, -1);
        ex.close();
    }

    /** Promises a body, sends part of it and closes the connection. */
    private static void dropMidResponse(HttpExchange ex) {
        try {
            ex.sendResponseHeaders(200, 64);
            OutputStream out = ex.getResponseBody();
            out.write("{\"received\":".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException ignored) {
            // the bus may already have given up
        } finally {
            try {
                ex.close();
            } catch (RuntimeException ignored) {
                // closing a fixed-length body early is what we want
            }
        }
    }

    private void pullLoop(PullClient client, String subscription) {
        while (!closed) {
            try {
                List<BusEvent> events = client.pull(subscription, 200, Duration.ofSeconds(1), Duration.ofSeconds(30));
                if (!events.isEmpty()) {
                    events.forEach(e -> ledger.got("pull", e.id(), true));
                    client.ack(subscription, events.stream().map(BusEvent::id).toList());
                }
            } catch (IOException | RuntimeException e) {
                sleep(500);
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        server.stop(0);
        pool.shutdownNow();
        if (puller != null) {
            puller.join(15_000);
        }
    }
}
