package com.idynic.eventbus.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A running pull subscription: worker threads pull a batch, hand each event to the handler in order, then settle
 * the batch with one {@code ack} request (and a {@code nack} per failed event). Within one pull, once an event of an
 * ordering key fails, the later events of that key are not handled: the nack returns them to the queue in order.
 * {@link #close()} stops pulling, lets the current batch finish and be acked, and returns. An
 * {@link AsyncEventHandler}'s events are settled the same way, each once its stage completed.
 *
 * @since 0.3.0
 */
public final class Subscriber implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Subscriber.class.getName());
    private static final int SETTLE_ATTEMPTS = 3;

    private final Transport transport;
    private final String subscriptionId;
    private final AsyncEventHandler handler;
    private final SubscribeOptions options;
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean closing;
    private volatile EventBusException failure;

    Subscriber(Transport transport, String subscriptionId, AsyncEventHandler handler, SubscribeOptions options) {
        this.transport = transport;
        this.subscriptionId = checkedId(subscriptionId);
        this.handler = handler;
        this.options = options;
        for (int i = 0; i < options.workers(); i++) {
            Thread t = new Thread(this::work, "eventbus-sdk-" + subscriptionId + "-" + i);
            t.setDaemon(true);
            workers.add(t);
        }
        workers.forEach(Thread::start);
    }

    static String checkedId(String subscriptionId) {
        if (!subscriptionId.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw new IllegalArgumentException("not a subscription id: " + subscriptionId);
        }
        return subscriptionId;
    }

    /** @return the subscription this subscriber pulls from */
    public String subscriptionId() {
        return subscriptionId;
    }

    /**
     * @return the error that stopped this subscriber (e.g. {@code 404 NOT_FOUND}: no such subscription, {@code 403
     *     FORBIDDEN}: not the owner), or empty while it runs or after a clean close
     */
    public Optional<EventBusException> failure() {
        return Optional.ofNullable(failure);
    }

    /** @return whether the workers are still pulling */
    public boolean running() {
        return workers.stream().anyMatch(Thread::isAlive);
    }

    /** Stops pulling; events already pulled are handled and settled before this returns. */
    @Override
    public void close() throws InterruptedException {
        closing = true;
        for (Thread t : workers) {
            t.join();
        }
    }

    private String path(String action) {
        return "/v1/subscriptions/" + subscriptionId + "/" + action;
    }

    private void work() {
        ObjectNode pull = transport
                .mapper()
                .createObjectNode()
                .put("maxEvents", options.maxEvents())
                .put("waitMillis", options.waitTime().toMillis())
                .put("ackDeadlineMillis", options.ackDeadline().toMillis());
        byte[] body = bytes(pull);
        int failures = 0;
        while (!closing) {
            Transport.Answer a;
            try {
                a = transport.post(path("pull"), body);
            } catch (IOException | EventBusException e) {
                if (e instanceof EventBusException bus && bus.status() != 0 && bus.status() != 503) {
                    stop(bus);
                    return;
                }
                LOG.log(System.Logger.Level.WARNING, "pull from " + subscriptionId + " failed: " + e);
                pause(Backoff.delay(++failures, null));
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (a.retryable()) {
                pause(Backoff.delay(++failures, a.retryAfter()));
                continue;
            }
            if (!a.ok()) {
                stop(transport.error(a));
                return;
            }
            failures = 0;
            handle(transport.read(a.body()).path("events"));
        }
    }

    private void stop(EventBusException e) {
        failure = e;
        closing = true;
        LOG.log(System.Logger.Level.ERROR, "subscriber of " + subscriptionId + " stopped: " + e.getMessage());
    }

    private void handle(JsonNode leased) {
        List<String> acks = new ArrayList<>();
        List<String> rejects = new ArrayList<>();
        Map<String, String> nacks = new LinkedHashMap<>();
        Set<String> failedKeys = new HashSet<>();
        for (JsonNode item : leased) {
            Event e = new Event(
                    item.path("event"),
                    item.path("attempt").asInt(1),
                    item.path("replay").asBoolean(false),
                    item.path("traceparent").asText(null),
                    transport.mapper());
            String key = e.orderingKey();
            if (key != null && failedKeys.contains(key)) {
                continue;
            }
            Throwable failed = outcome(e);
            if (failed == null) {
                acks.add(e.id());
                continue;
            }
            if (failed instanceof RejectException) {
                rejects.add(e.id());
            }
            nacks.put(e.id(), reason(failed));
            if (key != null) {
                failedKeys.add(key);
            }
        }
        settle("ack", acks, null, false);
        nacks.forEach((id, reason) -> settle("nack", List.of(id), reason, rejects.contains(id)));
    }

    /** @return null when the handler processed the event, else why not */
    private Throwable outcome(Event e) {
        try {
            CompletableFuture<?> done = handler.handle(e).toCompletableFuture();
            done.get(options.ackDeadline().toMillis(), TimeUnit.MILLISECONDS);
            return null;
        } catch (ExecutionException x) {
            Throwable cause = x.getCause();
            return cause instanceof CompletionException && cause.getCause() != null ? cause.getCause() : cause;
        } catch (TimeoutException x) {
            return new TimeoutException("not settled within the ack deadline of " + options.ackDeadline());
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
            return x;
        } catch (Exception | LinkageError x) {
            return x;
        }
    }

    private static String reason(Throwable t) {
        String s = t instanceof RejectException || t.getMessage() == null
                ? String.valueOf(t.getMessage())
                : t.getClass().getSimpleName() + ": " + t.getMessage();
        return s.length() > 500 ? s.substring(0, 500) : s;
    }

    private void settle(String action, List<String> ids, String reason, boolean reject) {
        if (ids.isEmpty()) {
            return;
        }
        ObjectNode o = transport.mapper().createObjectNode();
        ids.forEach(o.putArray("eventIds")::add);
        if (reason != null) {
            o.put("reason", reason).put("reject", reject);
        }
        byte[] body = bytes(o);
        for (int attempt = 1; attempt <= SETTLE_ATTEMPTS; attempt++) {
            try {
                Transport.Answer a = transport.post(path(action), body);
                if (a.ok()) {
                    return;
                }
                if (!a.retryable()) {
                    LOG.log(
                            System.Logger.Level.WARNING,
                            action + " on " + subscriptionId + " refused: "
                                    + transport.error(a).getMessage());
                    return;
                }
                pause(Backoff.delay(attempt, a.retryAfter()));
            } catch (IOException | EventBusException e) {
                pause(Backoff.delay(attempt, null));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        LOG.log(
                System.Logger.Level.WARNING,
                action + " of " + ids.size() + " events on " + subscriptionId
                        + " failed; they come back after the ack deadline");
    }

    private byte[] bytes(JsonNode o) {
        try {
            return transport.mapper().writeValueAsBytes(o);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void pause(Duration d) {
        long end = System.nanoTime() + d.toNanos();
        try {
            while (!closing && System.nanoTime() < end) {
                Thread.sleep(Math.min(50, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
