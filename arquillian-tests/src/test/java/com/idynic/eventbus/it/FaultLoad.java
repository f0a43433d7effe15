package com.idynic.eventbus.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The fault suite's load generator: one publisher thread per ordering key, each sending its key's events one at a
 * time (so per key, the publish order is the answer order) on a fixed schedule that adds up to {@code rate} events
 * a second; every answer goes to the ledger. Every {@code cdiEvery}-th event is a {@code user.created} (the
 * co-deployed example's observer receives those; after {@link #withOrders()} every other one an
 * {@code order.placed}), every {@code slowEvery}-th a slow subscriber's type when one is
 * set, the rest the scenario's own type.
 */
final class FaultLoad implements AutoCloseable {
    /** A client's patience: a publish unanswered after this is recorded as {@link FaultLedger#NO_ANSWER}. */
    static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(30);

    private final FaultLedger ledger;
    private final String typePrefix;
    private final String keyPrefix;
    private final int keys;
    private final double rate;
    private final int cdiEvery;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong counter = new AtomicLong();
    private final java.util.concurrent.atomic.AtomicInteger busy = new java.util.concurrent.atomic.AtomicInteger();
    private volatile String scenario;
    private volatile String slowType;
    private volatile int slowEvery;
    private volatile boolean orders;
    private volatile boolean stopped;
    private volatile String token;
    private volatile long tokenAt;

    FaultLoad(FaultLedger ledger, String typePrefix, String keyPrefix, int keys, double rate, int cdiEvery) {
        this.ledger = ledger;
        this.typePrefix = typePrefix;
        this.keyPrefix = keyPrefix;
        this.keys = keys;
        this.rate = rate;
        this.cdiEvery = cdiEvery;
        for (int k = 0; k < keys; k++) {
            String key = keyPrefix + k;
            Thread t = new Thread(() -> publishLoop(key), "fault-load-" + k);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    /** @return the event type of a scenario's own events */
    String type(String scenario) {
        return typePrefix + scenario.replaceAll("[^a-z0-9]", "");
    }

    /** Publishes for {@code scenario} until {@link #pause()}. */
    void start(String scenario) {
        this.scenario = scenario;
    }

    /** Sends one event in {@code every} as {@code type}; none after {@link #pause()}. */
    void slow(String type, int every) {
        this.slowEvery = every;
        this.slowType = type;
    }

    /** Makes every other one of the co-deployed observer's events an {@code order.placed} (it observes both). */
    void withOrders() {
        this.orders = true;
    }

    /** Stops publishing and waits for the publishes in flight to be answered (and recorded). */
    void pause() {
        scenario = null;
        slowType = null;
        long deadline = System.nanoTime() + PUBLISH_TIMEOUT.plusSeconds(5).toNanos();
        while (busy.get() > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(10_000_000L);
        }
    }

    private void publishLoop(String key) {
        long period = (long) (keys * 1_000_000_000L / rate);
        long next = System.nanoTime() + (long) (Math.random() * period);
        long seq = 0;
        while (!stopped) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
                continue;
            }
            next = Math.max(next + period, System.nanoTime() - period);
            busy.incrementAndGet();
            try {
                String s = scenario;
                if (s == null) {
                    continue;
                }
                long n = counter.incrementAndGet();
                String slow = slowType;
                String type = slow != null && n % slowEvery == 0
                        ? slow
                        : n % cdiEvery != 0
                                ? type(s)
                                : orders && n / cdiEvery % 2 == 1 ? "order.placed" : "user.created";
                publish(s, key, seq++, type);
            } finally {
                busy.decrementAndGet();
            }
        }
    }

    private void publish(String scenario, String key, long seq, String type) {
        String id = Stack.newId("flt");
        String data =
                switch (type) {
                    case "user.created" -> "{\"userId\":\"usr-" + seq
                            + "\",\"email\":\"fault@example.com\",\"name\":\"Fault " + key + "\"}";
                    case "order.placed" -> "{\"orderId\":\"ord-" + key + "-" + seq + "\",\"customerId\":\"" + key
                            + "\",\"totalAmount\":" + seq + "}";
                    default -> "{\"key\":\"" + key + "\",\"seq\":" + seq + "}";
                };
        String body = Stack.event(id, type, data, "{\"partitionKey\":\"" + key + "\"}");
        Instant sentAt = Instant.now();
        int status;
        try {
            HttpResponse<String> r = Stack.HTTP.send(
                    HttpRequest.newBuilder(URI.create(Stack.baseUrl() + "/v1/events"))
                            .timeout(PUBLISH_TIMEOUT)
                            .header("Content-Type", "application/json")
                            .header("Authorization", "Bearer " + token(false))
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            status = r.statusCode();
            if (status == 401) {
                token(true);
            }
        } catch (IOException | RuntimeException e) {
            status = FaultLedger.NO_ANSWER;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = FaultLedger.NO_ANSWER;
        }
        ledger.sent(new FaultLedger.Sent(id, scenario, key, seq, type, sentAt, Instant.now(), status));
    }

    /** A token for the admin key, renewed every five minutes (they live fifteen) and after a 401. */
    String token(boolean renew) {
        if (renew
                || token == null
                || System.nanoTime() - tokenAt > Duration.ofMinutes(5).toNanos()) {
            synchronized (this) {
                if (renew
                        || token == null
                        || System.nanoTime() - tokenAt > Duration.ofMinutes(5).toNanos()) {
                    try {
                        HttpResponse<String> r = Stack.raw(HttpRequest.newBuilder(
                                        URI.create(Stack.baseUrl() + "/v1/auth/token"))
                                .timeout(Duration.ofSeconds(10))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"apiKey\":\"" + Stack.adminKey() + "\"}"))
                                .build());
                        if (r.statusCode() == 200) {
                            token = Stack.parse(r.body()).getString("accessToken");
                            tokenAt = System.nanoTime();
                        }
                    } catch (RuntimeException down) {
                        // the server is down: the publish fails and is recorded as unanswered
                    }
                }
            }
        }
        return token == null ? "none" : token;
    }

    @Override
    public void close() {
        stopped = true;
        threads.forEach(t -> {
            try {
                t.join(PUBLISH_TIMEOUT.plusSeconds(5).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }
}
