package com.idynic.eventbus.subscribers.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.idynic.eventbus.broker.Signal;
import com.idynic.eventbus.subscribers.AddressGuard;
import com.idynic.eventbus.subscribers.InMemorySubscriptions;
import com.idynic.eventbus.subscribers.RecordingDeliveryStore;
import com.idynic.eventbus.subscribers.Subscription;
import com.idynic.eventbus.subscribers.SubscriptionJson;
import com.idynic.eventbus.subscribers.SubscriptionRegistry;
import com.idynic.eventbus.subscribers.spi.ReadPermissions;
import com.idynic.eventbus.testing.SettableClock;
import com.sun.net.httpserver.HttpServer;
import jakarta.json.Json;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The push loop, one pass at a time, with the store, the subscriptions and time in memory. Webhook calls are
 * held by the sender's executor until the test releases them; a released call fails at once (its target,
 * 127.0.0.1, is refused by the address guard), so no connection is ever made.
 */
class WebhookDeliveryTest {
    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    /** Holds every task the sender hands it: a held task is a webhook call in flight. */
    static final class HeldCalls implements Executor {
        final Deque<Runnable> held = new ArrayDeque<>();

        @Override
        public void execute(Runnable task) {
            held.add(task);
        }

        void releaseOne() {
            held.poll().run();
        }

        void releaseAll() {
            while (!held.isEmpty()) {
                releaseOne();
            }
        }
    }

    final SettableClock clock = new SettableClock(START);
    final InMemorySubscriptions subscriptions = new InMemorySubscriptions();
    final RecordingDeliveryStore store = new RecordingDeliveryStore();
    final HeldCalls calls = new HeldCalls();
    final ReadPermissions noSecrets = new ReadPermissions() {
        @Override
        public boolean mayRead(String owner, String eventType) {
            return !eventType.startsWith("secret.");
        }

        @Override
        public boolean mayReadSome(String owner, String selector) {
            return true;
        }
    };
    final SubscriptionRegistry registry =
            new SubscriptionRegistry(subscriptions.store, subscriptions.cache, clock, Duration.ofSeconds(1), noSecrets);
    final WebhookSender sender = new WebhookSender(calls, clock, new AddressGuard(List.of(), host -> {
        throw new UnknownHostException(host);
    }));
    final WebhookDelivery delivery = deliveryThrough(sender);

    /** The push loop over this test's registry, store and clock, calling through {@code sender}. */
    WebhookDelivery deliveryThrough(WebhookSender sender) {
        return new WebhookDelivery(
                registry,
                store,
                store,
                sender,
                new Signal(),
                clock,
                new WebhookDelivery.Settings(
                        Duration.ofMillis(100),
                        Duration.ofSeconds(5),
                        100,
                        Duration.ofSeconds(10),
                        Duration.ofMinutes(5),
                        Duration.ofMinutes(10)));
    }

    @Test
    void aLeaseMarginNoLongerThanTheRunsSafetyIsRefusedAtStart() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new WebhookDelivery.Settings(
                        Duration.ofMillis(100),
                        Duration.ofSeconds(1),
                        3,
                        Duration.ofSeconds(10),
                        Duration.ofMinutes(5),
                        Duration.ofMinutes(10)));
        assertEquals(
                "eventbus.delivery.lease-margin must be longer than 1000 ms (an ordered run sends an event only while"
                        + " its lease outlasts the call by that much), got PT1S",
                e.getMessage());
    }

    String webhook(int maxConcurrency, double maxRatePerSecond) {
        return webhook(maxConcurrency, maxRatePerSecond, "unordered");
    }

    String webhook(int maxConcurrency, double maxRatePerSecond, String ordering) {
        Subscription s = SubscriptionJson.read(
                "hook",
                Json.createObjectBuilder()
                        .add(
                                "eventTypes",
                                Json.createArrayBuilder().add("user.*").add("secret.*"))
                        .add(
                                "target",
                                Json.createObjectBuilder()
                                        .add("type", "webhook")
                                        .add("url", "http://127.0.0.1/hook"))
                        .add("maxConcurrency", maxConcurrency)
                        .add("maxRatePerSecond", maxRatePerSecond)
                        .add("ordering", ordering)
                        .build());
        subscriptions.rows.put(s.id(), s);
        return s.id();
    }

    void queue(String subscription, int n) {
        for (int i = 0; i < n; i++) {
            store.queue(subscription, "user.created");
        }
    }

    @Test
    void neverHasMoreCallsInFlightThanTheSubscriptionsConcurrencyLimit() {
        String hook = webhook(3, 0);
        queue(hook, 10);

        delivery.pass();
        assertEquals(3, calls.held.size());
        delivery.pass();
        assertEquals(3, calls.held.size(), "no room: nothing more is leased");
        calls.releaseOne();
        delivery.pass();

        assertEquals(3, calls.held.size());
        assertEquals(List.of(3, 1), store.leaseRequests);
        assertEquals(List.of("evt-1"), store.settledIds());
    }

    @Test
    void anOrderedWebhookLeasesRunsAndSendsEachLanesNextEventWithoutAnotherLease() {
        String hook = webhook(2, 0, "ordered");
        queue(hook, 5);

        delivery.pass();
        assertEquals(List.of(2 * WebhookDelivery.RUN_PER_CALL), store.leaseRequests, "one lease for both calls' runs");
        assertEquals(2, calls.held.size(), "one call per lane");

        calls.releaseOne();
        assertEquals(2, calls.held.size(), "the lane's next event went at once");
        delivery.pass();
        assertEquals(1, store.leaseRequests.size(), "both lanes busy: no lease");

        calls.releaseAll();
        assertEquals(
                List.of("evt-1", "evt-2", "evt-3", "evt-4", "evt-5"),
                store.settledIds().stream().sorted().toList());
        assertEquals(1, store.leaseRequests.size(), "five events, one lease");
    }

    @Test
    void anOrderedWebhookSendsAKeysNextEventOnceTheReceiverAnsweredWithoutWaitingForTheSettlement() throws Exception {
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        AtomicInteger received = new AtomicInteger();
        receiver.createContext("/hook", exchange -> {
            exchange.getRequestBody().readAllBytes();
            received.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        ExecutorService threads = Executors.newCachedThreadPool();
        CountDownLatch settlementsHeld = new CountDownLatch(1);
        store.beforeSettle = () -> {
            try {
                settlementsHeld.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        try {
            WebhookDelivery live = deliveryThrough(
                    new WebhookSender(threads, clock, new AddressGuard(AddressGuard.parse("127.0.0.1/32"), host ->
                            new InetAddress[] {InetAddress.getByName(host)})));
            Subscription s = SubscriptionJson.read(
                    "live-hook",
                    Json.createObjectBuilder()
                            .add("eventTypes", Json.createArrayBuilder().add("user.*"))
                            .add(
                                    "target",
                                    Json.createObjectBuilder()
                                            .add("type", "webhook")
                                            .add(
                                                    "url",
                                                    "http://127.0.0.1:"
                                                            + receiver.getAddress()
                                                                    .getPort() + "/hook"))
                            .add("maxConcurrency", 1)
                            .add("ordering", "ordered")
                            .build());
            subscriptions.rows.put(s.id(), s);
            queue(s.id(), 3);

            live.pass();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (received.get() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(3, received.get(), "the lane's events went one after another while no settlement was written");
            assertEquals(List.of(), store.settledIds());

            settlementsHeld.countDown();
            while (store.settledIds().size() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(
                    List.of("evt-1", "evt-2", "evt-3"),
                    store.settledIds().stream().sorted().toList());
            assertEquals(List.of(), store.released);
        } finally {
            settlementsHeld.countDown();
            threads.shutdownNow();
            receiver.stop(0);
        }
    }

    @Test
    void anOrderedWebhooksLaneStopsAndReleasesItsRestWhenFailuresOpenTheCircuit() {
        WebhookDelivery tripping = new WebhookDelivery(
                registry,
                store,
                store,
                sender,
                new Signal(),
                clock,
                new WebhookDelivery.Settings(
                        Duration.ofMillis(100),
                        Duration.ofSeconds(5),
                        1,
                        Duration.ofSeconds(10),
                        Duration.ofMinutes(5),
                        Duration.ofMinutes(10)));
        String hook = webhook(1, 0, "ordered");
        queue(hook, 3);

        tripping.pass();
        assertEquals(1, calls.held.size());
        calls.releaseOne();

        assertEquals(0, calls.held.size(), "the circuit opened: no further call");
        assertEquals(List.of("evt-1"), store.settledIds());
        assertEquals(List.of("evt-2", "evt-3"), store.released);
    }

    @Test
    void anOrderedWebhookGivesBackTheRateTokensItsLeaseDidNotUse() {
        String hook = webhook(4, 5, "ordered");
        queue(hook, 2);

        delivery.pass();
        calls.releaseAll();
        queue(hook, 5);
        delivery.pass();

        assertEquals(2, store.leaseRequests.size());
        assertEquals(3, store.leaseRequests.get(1), "five tokens, two used by the first lease");
    }

    @Test
    void startsNoMoreCallsThanTheRateLimitAllows() {
        String hook = webhook(100, 2);
        queue(hook, 10);

        long start = System.nanoTime();
        for (int i = 0; i < 5; i++) {
            delivery.pass();
            calls.releaseAll();
        }
        double seconds = (System.nanoTime() - start) / 1e9;

        assertEquals(2, store.leaseRequests.get(0), "a burst of one second's worth");
        int started = store.settled.size();
        assertTrue(started >= 2 && started <= 2 + 2 * seconds, started + " calls in " + seconds + " s at 2/s");
    }

    @Test
    void withholdsEventsOfTypesTheOwnerMayNoLongerReadAndCallsForTheRest() {
        String hook = webhook(10, 0);
        String allowed = store.queue(hook, "user.created");
        String secret = store.queue(hook, "secret.salary");
        String later = store.queue(hook, "user.updated");

        delivery.pass();
        calls.releaseAll();

        assertEquals(List.of(secret + ": " + PullService.WITHHELD + "secret.salary"), store.withheld);
        assertEquals(List.of(allowed, later), store.settledIds());
    }

    @Test
    void disablesASubscriptionThatFailedWithoutASuccessForTheDisablePeriod() {
        String hook = webhook(10, 0);
        queue(hook, 1);
        delivery.pass();
        calls.releaseAll();

        clock.advance(Duration.ofMinutes(10).minusSeconds(1));
        delivery.pass();
        assertEquals("active", subscriptions.rows.get(hook).state());

        clock.advance(Duration.ofSeconds(1));
        delivery.pass();

        Subscription disabled = subscriptions.rows.get(hook);
        String reason = "failing since 2026-01-01T00:00:00Z (1 failures in a row, last: connection failed)";
        assertEquals("disabled", disabled.state());
        assertEquals(reason, disabled.disabledReason());
        assertEquals(List.of(new RecordingDeliveryStore.Audit("eventbus", "auto-disable", hook, reason)), store.audits);
        queue(hook, 1);
        int leases = store.leaseRequests.size();
        delivery.pass();
        assertEquals(leases, store.leaseRequests.size(), "a disabled subscription is not leased from");
    }

    @Test
    void withSpansEachAttemptIsADeliverSpanEndedWithItsOutcomeAndDecision() {
        FakeSpans spans = new FakeSpans();
        WebhookDelivery traced = new WebhookDelivery(
                registry,
                store,
                store,
                sender,
                new Signal(),
                clock,
                new WebhookDelivery.Settings(
                        Duration.ofMillis(100),
                        Duration.ofSeconds(5),
                        100,
                        Duration.ofSeconds(10),
                        Duration.ofMinutes(5),
                        Duration.ofMinutes(10)),
                spans);
        String hook = webhook(10, 0);
        String id = store.queue(hook, "user.created");

        traced.pass();
        assertEquals(1, spans.spans.size());
        assertEquals(false, spans.spans.get(0).ended, "open while the call is in flight");
        calls.releaseAll();

        FakeSpans.Recorded deliver = spans.spans.get(0);
        assertEquals("deliver", deliver.name);
        assertEquals(com.idynic.eventbus.broker.spi.Spans.Kind.CLIENT, deliver.kind);
        assertEquals(
                java.util.Map.of(
                        "eventbus.event.id", id,
                        "eventbus.event.type", "user.created",
                        "eventbus.subscription", hook,
                        "eventbus.attempt", 1L,
                        "eventbus.target", "webhook",
                        "eventbus.outcome", "failure",
                        "eventbus.decision", "retry"),
                deliver.attributes);
        assertTrue(deliver.ended);
        assertEquals(WebhookSender.CONNECTION_FAILED, deliver.error);
    }

    @Test
    void withSpansEachPullSettlementIsADeliverSpanFromTheLease() {
        FakeSpans spans = new FakeSpans();
        PullService pulls = new PullService(store, clock, spans);
        String id = store.queue("puller", "user.created");
        assertEquals(
                1, pulls.lease("puller", 10, Duration.ofSeconds(30), t -> true).size());
        assertEquals(0, spans.spans.size(), "a lease is no attempt yet");

        assertEquals(1, pulls.ack("puller", List.of(id), "pull"));
        assertEquals(1, spans.spans.size());
        FakeSpans.Recorded deliver = spans.spans.get(0);
        assertEquals(Instant.EPOCH, deliver.startedAt, "the attempt started with the lease");
        assertEquals("pull", deliver.attributes.get("eventbus.target"));
        assertEquals("success", deliver.attributes.get("eventbus.outcome"));
        assertEquals("delivered", deliver.attributes.get("eventbus.decision"));
        assertEquals("puller", deliver.attributes.get("eventbus.subscription"));
        assertEquals(null, deliver.error);
    }
}
