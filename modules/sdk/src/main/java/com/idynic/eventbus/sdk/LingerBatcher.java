package com.idynic.eventbus.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Kafka-producer style batching: the first waiting event opens a batch, the events that arrive within the linger
 * (or until the batch is full) join it, and the batch goes out as one {@code POST /v1/events/batch}. Each event's
 * future completes with its own result. A batch is retried whole, with the same bodies and so the same event ids,
 * after a network error, 401, 429 or 503 until the delivery timeout; the bus answers events that had landed as
 * duplicates with their original receipts. One event the bus refuses by index (400/403) fails alone; the rest is
 * sent again.
 */
final class LingerBatcher {
    /** One event waiting for its result. */
    record Pending(String id, byte[] json, CompletableFuture<Receipt> result, long deadlineNanos) {}

    private static final byte[] OPEN = {'['};
    private static final byte[] COMMA = {','};
    private static final byte[] CLOSE = {']'};

    private final Transport transport;
    private final Duration linger;
    private final int maxEvents;
    private final int maxBytes;
    private final Semaphore inFlight;
    private final ScheduledExecutorService timer;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread sender;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private volatile boolean closing;

    LingerBatcher(
            Transport transport,
            Duration linger,
            int maxEvents,
            int maxBytes,
            int maxInFlight,
            ScheduledExecutorService timer) {
        this.transport = transport;
        this.linger = linger;
        this.maxEvents = maxEvents;
        this.maxBytes = maxBytes;
        this.inFlight = new Semaphore(maxInFlight);
        this.timer = timer;
        this.sender = new Thread(this::run, "eventbus-sdk-sender");
        this.sender.setDaemon(true);
        this.sender.start();
    }

    void add(Pending p) {
        if (closing) {
            p.result().completeExceptionally(new IllegalStateException("the EventBus is closed"));
            return;
        }
        queue.add(p);
    }

    PublishStats stats() {
        return new PublishStats(requests.get(), events.get(), retries.get());
    }

    /** Sends what is queued, waits for every batch's outcome (at most {@code timeout}), then stops. */
    void close(Duration timeout, int maxInFlight) throws InterruptedException {
        closing = true;
        sender.interrupt();
        sender.join(timeout.toMillis());
        if (inFlight.tryAcquire(maxInFlight, timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            inFlight.release(maxInFlight);
        }
    }

    private void run() {
        List<Pending> batch = new ArrayList<>();
        while (!closing || !queue.isEmpty()) {
            try {
                Pending first = closing ? queue.poll() : queue.take();
                if (first == null) {
                    continue;
                }
                batch.add(first);
                int bytes = first.json().length;
                long end = System.nanoTime() + linger.toNanos();
                while (batch.size() < maxEvents) {
                    long left = end - System.nanoTime();
                    Pending next = left > 0 && !closing ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                    bytes += next.json().length + 1;
                    if (bytes >= maxBytes) {
                        break;
                    }
                }
                inFlight.acquire();
                while (batch.size() < maxEvents && bytes < maxBytes && queue.peek() != null) {
                    Pending next = queue.poll();
                    batch.add(next);
                    bytes += next.json().length + 1;
                }
                send(List.copyOf(batch), 1, false);
                batch.clear();
            } catch (InterruptedException e) {
                if (!closing) {
                    Thread.currentThread().interrupt();
                    return;
                }
                if (!batch.isEmpty()) {
                    inFlight.acquireUninterruptibly();
                    send(List.copyOf(batch), 1, false);
                    batch.clear();
                }
            }
        }
    }

    /** Sends {@code batch} (holding one in-flight permit until every event of it has its outcome). */
    private void send(List<Pending> batch, int attempt, boolean renewedToken) {
        String jwt;
        try {
            jwt = transport.token();
        } catch (EventBusException e) {
            if (e.status() == 0 || e.status() == 429 || e.status() == 503) {
                retryOrFail(batch, attempt, null, e, renewedToken);
            } else {
                finish(batch, e);
            }
            return;
        }
        requests.incrementAndGet();
        transport.postAsync("/v1/events/batch", body(batch), jwt).whenComplete((answer, err) -> {
            try {
                if (err != null) {
                    Throwable cause = err instanceof CompletionException ? err.getCause() : err;
                    retryOrFail(
                            batch, attempt, null, Transport.unreachable("POST /v1/events/batch", cause), renewedToken);
                } else {
                    outcome(batch, attempt, answer, jwt, renewedToken);
                }
            } catch (RuntimeException e) {
                finish(batch, e);
            }
        });
    }

    private void outcome(List<Pending> batch, int attempt, Transport.Answer a, String jwt, boolean renewedToken) {
        if (a.status() == 202) {
            results(batch, transport.read(a.body()).path("receipts"));
            return;
        }
        if (a.status() == 401 && !renewedToken) {
            transport.refused(jwt);
            retries.incrementAndGet();
            send(batch, attempt, true);
            return;
        }
        EventBusException error = transport.error(a);
        if (a.retryable()) {
            retryOrFail(batch, attempt, a.retryAfter(), error, renewedToken);
            return;
        }
        JsonNode index = error.details().get("index");
        if (index != null && index.canConvertToInt() && index.asInt() >= 0 && index.asInt() < batch.size()) {
            int i = index.asInt();
            batch.get(i).result().completeExceptionally(error);
            List<Pending> rest = new ArrayList<>(batch);
            rest.remove(i);
            if (rest.isEmpty()) {
                inFlight.release();
            } else {
                send(List.copyOf(rest), 1, false);
            }
            return;
        }
        finish(batch, error);
    }

    private void results(List<Pending> batch, JsonNode receipts) {
        if (!receipts.isArray() || receipts.size() != batch.size()) {
            finish(
                    batch,
                    new EventBusException(
                            202,
                            "MALFORMED_ANSWER",
                            "the bus answered " + receipts.size() + " results for " + batch.size() + " events",
                            null,
                            null));
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            JsonNode r = receipts.get(i);
            Pending p = batch.get(i);
            String status = r.path("status").asText();
            if (status.equals("accepted") || status.equals("duplicate")) {
                events.incrementAndGet();
                p.result()
                        .complete(new Receipt(
                                r.path("eventId").asText(p.id()),
                                r.path("receipt").asText(),
                                r.hasNonNull("timestamp")
                                        ? Instant.parse(r.path("timestamp").asText())
                                        : null,
                                status.equals("duplicate")));
            } else {
                p.result()
                        .completeExceptionally(new EventBusException(
                                409,
                                r.path("errorCode").asText("REJECTED"),
                                r.path("message").asText(status),
                                r,
                                null));
            }
        }
        inFlight.release();
    }

    private void retryOrFail(
            List<Pending> batch, int attempt, Duration retryAfter, EventBusException error, boolean renewedToken) {
        Duration wait = Backoff.delay(attempt, retryAfter);
        long due = System.nanoTime() + wait.toNanos();
        List<Pending> alive = new ArrayList<>();
        for (Pending p : batch) {
            if (due - p.deadlineNanos() > 0) {
                p.result().completeExceptionally(error);
            } else {
                alive.add(p);
            }
        }
        if (alive.isEmpty()) {
            inFlight.release();
            return;
        }
        retries.incrementAndGet();
        timer.schedule(() -> send(List.copyOf(alive), attempt + 1, false), wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void finish(List<Pending> batch, RuntimeException error) {
        for (Pending p : batch) {
            p.result().completeExceptionally(error);
        }
        inFlight.release();
    }

    private static byte[] body(List<Pending> batch) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(OPEN);
        for (int i = 0; i < batch.size(); i++) {
            if (i > 0) {
                out.writeBytes(COMMA);
            }
            out.writeBytes(batch.get(i).json());
        }
        out.writeBytes(CLOSE);
        return out.toByteArray();
    }
}
