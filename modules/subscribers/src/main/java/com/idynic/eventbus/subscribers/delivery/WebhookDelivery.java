package com.idynic.eventbus.subscribers.delivery;

import com.idynic.eventbus.broker.AttemptResult;
import com.idynic.eventbus.broker.Decision;
import com.idynic.eventbus.broker.Signal;
import com.idynic.eventbus.broker.spi.AuditLog;
import com.idynic.eventbus.broker.spi.DeliveryQueue;
import com.idynic.eventbus.broker.spi.Leased;
import com.idynic.eventbus.broker.spi.Spans;
import com.idynic.eventbus.subscribers.Subscription;
import com.idynic.eventbus.subscribers.SubscriptionRegistry;
import com.idynic.eventbus.subscribers.SubscriptionState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The push loop for webhook subscriptions. Each pass leases, per active subscription, as many due events
 * as its concurrency limit, rate limit and circuit allow (an ordered one: runs of its keys, up to {@link
 * #RUN_PER_CALL} events per call it may start, sent on {@link KeyLanes}), and sends them asynchronously; each outcome is
 * settled by the subscription's retry policy. Subscriptions never wait for one another: calls are
 * non-blocking and each subscription has its own in-flight limit. The signing secret comes from the
 * store through the registry (never from the shared cache); while it cannot be decrypted, each attempt
 * fails at once with the reason, so the circuit and retry policy apply as for an unreachable receiver.
 *
 * @since 0.2.0
 */
public final class WebhookDelivery implements Runnable {
    private static final Logger LOG = Logger.getLogger(WebhookDelivery.class.getName());

    /**
     * Tuning for the loop and the health monitor.
     *
     * @param tick longest idle wait between passes
     * @param leaseMargin lease length beyond the webhook timeout (redelivery after a crash waits this long)
     * @param failureThreshold failures in a row that open the circuit
     * @param minOpen first open period
     * @param maxOpen longest open period
     * @param disableAfter failing this long without a success disables the subscription
     */
    public record Settings(
            Duration tick,
            Duration leaseMargin,
            int failureThreshold,
            Duration minOpen,
            Duration maxOpen,
            Duration disableAfter) {
        public Settings {
            if (leaseMargin.compareTo(LEASE_SAFETY) <= 0) {
                throw new IllegalArgumentException("eventbus.delivery.lease-margin must be longer than "
                        + LEASE_SAFETY.toMillis() + " ms (an ordered run sends an event only while its lease"
                        + " outlasts the call by that much), got " + leaseMargin);
            }
        }
    }

    private final SubscriptionRegistry registry;
    private final DeliveryQueue queue;
    private final AuditLog audit;
    private final WebhookSender sender;
    private final Signal wake;
    private final Clock clock;
    private final Settings settings;
    private final Map<String, SubscriberHealth> health = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
    private final Set<String> unsigned = ConcurrentHashMap.newKeySet();
    private final SettleBatcher settlements;

    /**
     * Events an ordered subscription leases per call it may start: the runs of its keys (one lane per call), so a
     * key's next event follows without a lease of its own.
     */
    static final int RUN_PER_CALL = 8;

    /** Time an event's lease must outlast its call beyond the webhook timeout before it is sent from a run. */
    static final Duration LEASE_SAFETY = Duration.ofSeconds(1);

    private final Spans spans;
    private volatile boolean running = true;

    public WebhookDelivery(
            SubscriptionRegistry registry,
            DeliveryQueue queue,
            AuditLog audit,
            WebhookSender sender,
            Signal wake,
            Clock clock,
            Settings settings) {
        this(registry, queue, audit, sender, wake, clock, settings, Spans.NONE);
    }

    /**
     * As the other constructor, recording a {@value Spans#DELIVER} span per attempt: a child of the event's trace
     * context, from the call to the settlement; the webhook's {@code traceparent} names it as parent.
     *
     * @param spans where spans go
     * @since 0.20.0
     */
    public WebhookDelivery(
            SubscriptionRegistry registry,
            DeliveryQueue queue,
            AuditLog audit,
            WebhookSender sender,
            Signal wake,
            Clock clock,
            Settings settings,
            Spans spans) {
        this.spans = spans;
        this.registry = registry;
        this.queue = queue;
        this.audit = audit;
        this.sender = sender;
        this.wake = wake;
        this.clock = clock;
        this.settings = settings;
        this.settlements = new SettleBatcher(queue, 500);
    }

    @Override
    public void run() {
        while (running && !Thread.currentThread().isInterrupted()) {
            long seen = wake.generation();
            try {
                if (!pass()) {
                    wake.awaitChange(seen, settings.tick());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "webhook delivery pass failed: " + e);
                sleep(settings.tick().multipliedBy(10));
            }
        }
    }

    /** @return whether anything was sent */
    boolean pass() {
        boolean sent = false;
        for (Subscription s : registry.activePush()) {
            SubscriberHealth h = healthOf(s.id());
            if (h.shouldDisable()) {
                disable(s, h);
                continue;
            }
            AtomicInteger busy = inFlight.computeIfAbsent(s.id(), k -> new AtomicInteger());
            int room = s.maxConcurrency() - busy.get();
            if (room <= 0) {
                continue;
            }
            SubscriberHealth.Gate gate = h.gate();
            if (gate == SubscriberHealth.Gate.BLOCKED) {
                continue;
            }
            boolean runs = gate == SubscriberHealth.Gate.OPEN_FLOW && "ordered".equals(s.ordering());
            int want = gate == SubscriberHealth.Gate.PROBE ? 1 : runs ? room * RUN_PER_CALL : room;
            TokenBucket bucket =
                    buckets.computeIfAbsent(s.id(), k -> new TokenBucket(s.maxRatePerSecond(), System.nanoTime()));
            int n = bucket.take(want, System.nanoTime());
            Duration leaseFor = s.target().timeout().plus(settings.leaseMargin());
            if (runs) {
                int leased = n <= 0 ? 0 : sendRuns(s, h, busy, room, n, leaseFor);
                bucket.giveBack(n - leased);
                sent |= leased > 0;
                continue;
            }
            List<Leased> batch = n <= 0 ? List.of() : queue.lease(s.id(), n, leaseFor);
            BiFunction<Leased, String, CompletableFuture<AttemptResult>> attempt = batch.isEmpty() ? null : attempts(s);
            boolean called = false;
            for (Leased l : batch) {
                if (!registry.mayRead(s, l.event().envelope().eventType())) {
                    String why = PullService.WITHHELD + l.event().envelope().eventType();
                    queue.withhold(l, why);
                    DeliveryLog.withheld(l, why);
                    continue;
                }
                busy.incrementAndGet();
                sent = true;
                called = true;
                Spans.Span span = DeliverySpans.start(spans, l, "webhook");
                attempt.apply(l, span.traceparent())
                        .thenCompose(r -> settle(s, h, l, r, span))
                        .whenComplete((v, ex) -> {
                            busy.decrementAndGet();
                            if (ex != null) {
                                span.end("not settled: " + ex);
                                DeliveryLog.notSettled(l, ex);
                            }
                            wake.raise();
                        });
            }
            if (gate == SubscriberHealth.Gate.PROBE && !called) {
                h.probeUnused();
            }
        }
        return sent;
    }

    /**
     * Leases runs of an ordered subscription's keys and sends them on at most {@code room} lanes ({@link KeyLanes}):
     * a key's consecutive events follow one another without a lease each.
     *
     * @return how many events were leased
     */
    private int sendRuns(Subscription s, SubscriberHealth h, AtomicInteger busy, int room, int max, Duration leaseFor) {
        Instant leasedFrom = clock.instant();
        List<Leased> batch = queue.leaseRuns(s.id(), max, leaseFor);
        if (batch.isEmpty()) {
            return 0;
        }
        BiFunction<Leased, String, CompletableFuture<AttemptResult>> attempt = attempts(s);
        // an event goes only while its lease outlasts the call (a later one in a slow lane is released instead) and
        // while the circuit is closed (a lane stops when failures opened it)
        Instant sendBy = leasedFrom.plus(leaseFor).minus(s.target().timeout()).minus(LEASE_SAFETY);
        for (var lane : KeyLanes.split(batch, room)) {
            busy.incrementAndGet();
            List<CompletableFuture<Boolean>> settling = Collections.synchronizedList(new ArrayList<>());
            KeyLanes.run(
                            lane,
                            l -> sendOne(s, h, l, attempt, settling::add),
                            l -> clock.instant().isBefore(sendBy)
                                    && "closed".equals(h.snapshot().circuit()),
                            queue::release)
                    .thenCompose(v -> CompletableFuture.allOf(settling.toArray(CompletableFuture<?>[]::new)))
                    .whenComplete((v, ex) -> {
                        busy.decrementAndGet();
                        wake.raise();
                    });
        }
        return batch.size();
    }

    /**
     * Sends one event of a run (or withholds it); completes with whether its key may go on. A delivered event lets
     * its key's next event go as soon as the receiver answered, while its settlement is still being written (batched
     * with the lanes' others; {@code settling} gets it, and the lane counts as busy until it is written): waiting for
     * each settlement before the next call bounded an ordered webhook to one event per lane and settle round trip
     * (about 170 events/s for 16 lanes on a loaded 2-core machine). The next event's row stays leased until then, so
     * no other lease takes the key meanwhile. A failed call is settled first (retry, dead letter), then its key stops.
     */
    private CompletableFuture<KeyLanes.Step> sendOne(
            Subscription s,
            SubscriberHealth h,
            Leased l,
            BiFunction<Leased, String, CompletableFuture<AttemptResult>> attempt,
            Consumer<CompletableFuture<Boolean>> settling) {
        if (!registry.mayRead(s, l.event().envelope().eventType())) {
            String why = PullService.WITHHELD + l.event().envelope().eventType();
            queue.withhold(l, why);
            DeliveryLog.withheld(l, why);
            return CompletableFuture.completedFuture(KeyLanes.Step.NEXT);
        }
        Spans.Span span = DeliverySpans.start(spans, l, "webhook");
        CompletableFuture<KeyLanes.Step> step = new CompletableFuture<>();
        attempt.apply(l, span.traceparent()).whenComplete((r, failed) -> {
            if (failed != null) {
                span.end("not settled: " + failed);
                DeliveryLog.notSettled(l, failed);
                step.complete(KeyLanes.Step.STOP_KEY);
                return;
            }
            h.record(r);
            if (r.outcome() != AttemptResult.Outcome.SUCCESS) {
                write(s, l, r, span).whenComplete((ok, ex) -> {
                    if (ex != null) {
                        span.end("not settled: " + ex);
                        DeliveryLog.notSettled(l, ex);
                    }
                    step.complete(KeyLanes.Step.STOP_KEY);
                });
                return;
            }
            // counted before the next event goes (the lane may end with it), written after (the write may block)
            CompletableFuture<Boolean> written = new CompletableFuture<>();
            settling.accept(written);
            step.complete(KeyLanes.Step.NEXT);
            write(s, l, r, span).whenComplete((ok, ex) -> {
                if (ex != null) {
                    span.end("not settled: " + ex);
                    DeliveryLog.notSettled(l, ex);
                    written.complete(false);
                } else {
                    written.complete(ok);
                }
            });
        });
        return step;
    }

    /** @return how to attempt a delivery: signed and sent, or failed at once while the secret cannot be read */
    private BiFunction<Leased, String, CompletableFuture<AttemptResult>> attempts(Subscription s) {
        try {
            Subscription signed = registry.withSecret(s);
            if (unsigned.remove(s.id())) {
                LOG.info("the signing secret of subscription " + s.id() + " can be read again; deliveries resume");
            }
            return (l, traceparent) -> sender.send(signed, l, traceparent);
        } catch (IllegalStateException e) {
            if (unsigned.add(s.id())) {
                LOG.severe("deliveries to subscription " + s.id() + " fail until its signing secret can be read: "
                        + e.getMessage());
            }
            AttemptResult failed = new AttemptResult(
                    AttemptResult.Outcome.FAILURE,
                    clock.instant(),
                    Duration.ZERO,
                    s.target().url(),
                    null,
                    "signing secret cannot be read (" + e.getMessage() + ")",
                    null);
            return (l, traceparent) -> CompletableFuture.completedFuture(failed);
        }
    }

    private CompletableFuture<Boolean> settle(
            Subscription s, SubscriberHealth h, Leased l, AttemptResult r, Spans.Span span) {
        h.record(r);
        return write(s, l, r, span);
    }

    /** Decides by the retry policy and writes the outcome (batched); completes when it is written. */
    private CompletableFuture<Boolean> write(Subscription s, Leased l, AttemptResult r, Spans.Span span) {
        Decision d = Decision.after(
                r,
                s.retryPolicy(),
                l.attempt(),
                l.firstAttemptAt() == null ? r.startedAt() : l.firstAttemptAt(),
                ThreadLocalRandom.current().nextDouble());
        DeliveryQueue.Settlement settlement = new DeliveryQueue.Settlement(l, r, d);
        return settlements.settle(settlement).thenApply(settled -> {
            if (settled) {
                DeliveryLog.settled(settlement);
            }
            DeliverySpans.end(span, r, d);
            return settled;
        });
    }

    private void disable(Subscription s, SubscriberHealth h) {
        SubscriberHealth.Snapshot snap = h.snapshot();
        String reason = "failing since " + snap.failingSince() + " (" + snap.consecutiveFailures()
                + " failures in a row, last: " + snap.lastError() + ")";
        registry.changeState(s.id(), SubscriptionState.DISABLED, reason);
        audit.audit("eventbus", "auto-disable", s.id(), reason);
        LOG.warning("disabled subscription " + s.id() + ": " + reason);
    }

    /** @return this server's health view of the subscription */
    public SubscriberHealth healthOf(String subscriptionId) {
        return health.computeIfAbsent(
                subscriptionId,
                k -> new SubscriberHealth(
                        clock,
                        settings.failureThreshold(),
                        settings.minOpen(),
                        settings.maxOpen(),
                        settings.disableAfter()));
    }

    /**
     * @return the subscription's circuit on this server ({@code closed}, {@code open} or {@code half-open}), or null
     *     when this server has not called its webhook since it started (or since a reset)
     * @since 0.19.0
     */
    public String circuitOf(String subscriptionId) {
        SubscriberHealth h = health.get(subscriptionId);
        return h == null ? null : h.snapshot().circuit();
    }

    /** Forgets health and rate state, e.g. after an operator resumes a subscription. */
    public void reset(String subscriptionId) {
        health.remove(subscriptionId);
        buckets.remove(subscriptionId);
    }

    /** Ends the loop after the current pass. */
    public void stop() {
        running = false;
        wake.raise();
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
