package com.idynic.eventbus.it;

import static com.idynic.eventbus.it.Stack.await;
import static com.idynic.eventbus.it.Stack.count;
import static com.idynic.eventbus.it.Stack.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.idynic.eventbus.sdk.EventBus;
import com.idynic.eventbus.sdk.EventBusException;
import com.idynic.eventbus.sdk.PublishOptions;
import com.idynic.eventbus.sdk.Receipt;
import com.idynic.eventbus.sdk.SubscribeOptions;
import com.idynic.eventbus.sdk.Subscriber;
import com.idynic.eventbus.sdk.WebhookVerifier;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Java SDK ({@code modules/sdk}) as an outside service uses it, against the deployed bus. */
class SdkIT {
    @RegisterExtension
    static final WebhookReceiver RECEIVER = new WebhookReceiver();

    record Done(String step, int n) {}

    /** A fresh service that may publish and read {@code it.sdk.*} as itself. */
    static String service;

    static String apiKey;

    @BeforeAll
    static void ready() {
        Stack.awaitReady();
        service = "it-sdk-" + UUID.randomUUID().toString().substring(0, 8);
        apiKey = AuthIT.service(
                service,
                "{\"roles\":[\"publisher\",\"subscriber\"],\"publish\":[\"it.sdk.*\"],\"subscribe\":[\"it.sdk.*\"],"
                        + "\"rateLimit\":{\"perSecond\":5000,\"burst\":5000}}");
    }

    private static String type() {
        return "it.sdk.t" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void syncAndAsyncPublishesAreStoredWithTheReceiptsTheBusKeeps() {
        String type = type();
        try (EventBus bus = EventBus.connect(Stack.baseUrl(), apiKey)) {
            assertEquals(service, bus.source(), "the key's service is the default source");
            Receipt sync =
                    bus.publish(type, new Done("sync", 1), PublishOptions.none().orderingKey("k1"));
            Receipt async =
                    bus.publishAsync(type, Map.of("step", "async", "n", 2)).join();
            for (Receipt r : List.of(sync, async)) {
                JsonObject stored = json(Stack.get("/v1/events/" + r.eventId()));
                assertEquals(r.receipt(), stored.getString("receipt"));
                assertEquals(service, stored.getJsonObject("event").getString("source"));
                assertFalse(r.duplicate());
            }
            assertEquals(
                    "k1",
                    json(Stack.get("/v1/events/" + sync.eventId()))
                            .getJsonObject("event")
                            .getJsonObject("metadata")
                            .getString("partitionKey"));
            Receipt again = bus.publish(
                    type,
                    new Done("sync", 1),
                    PublishOptions.none().id(sync.eventId()).orderingKey("k1"));
            assertTrue(again.duplicate(), "the same event again is the original receipt");
            assertEquals(sync.receipt(), again.receipt());
        }
    }

    @Test
    void aThousandConcurrentCallsAreAllStoredInFarFewerRequests() throws Exception {
        String type = type();
        try (EventBus bus = EventBus.connect(Stack.baseUrl(), apiKey)) {
            List<CompletableFuture<Receipt>> calls = new CopyOnWriteArrayList<>();
            List<Thread> callers = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                callers.add(new Thread(() -> {
                    for (int i = 0; i < 125; i++) {
                        calls.add(bus.publishAsync(type, new Done("burst-" + thread, i)));
                    }
                }));
            }
            callers.forEach(Thread::start);
            for (Thread t : callers) {
                t.join();
            }
            List<Receipt> receipts = new ArrayList<>();
            for (CompletableFuture<Receipt> c : calls) {
                receipts.add(c.join());
            }
            assertEquals(
                    1000, receipts.stream().map(Receipt::eventId).distinct().count());
            assertEquals(1000, count("select count(*) from eb_event where event_type = ?", type));
            long requests = bus.stats().requests() - bus.stats().retries();
            assertTrue(requests <= 100, "1,000 events in " + requests + " first sends (+ retries) of batches");
            assertEquals(1000, bus.stats().events());
        }
    }

    @Test
    void aRefusedEventFailsOnlyItsOwnCall() {
        String type = type();
        try (EventBus bus = EventBus.builder(Stack.baseUrl(), apiKey)
                .linger(Duration.ofMillis(500))
                .connect()) {
            String taken = Stack.newId("evt-sdk-taken");
            bus.publish(type, Map.of("v", 1), PublishOptions.none().id(taken));
            CompletableFuture<Receipt> before = bus.publishAsync(type, Map.of("v", 2));
            CompletableFuture<Receipt> forbidden = bus.publishAsync("order.placed", Map.of("v", 3));
            CompletableFuture<Receipt> reused =
                    bus.publishAsync(type, Map.of("v", 4), PublishOptions.none().id(taken));
            CompletableFuture<Receipt> after = bus.publishAsync(type, Map.of("v", 5));

            EventBusException refused = (EventBusException)
                    assertThrows(CompletionException.class, forbidden::join).getCause();
            assertEquals(403, refused.status());
            assertEquals("FORBIDDEN", refused.errorCode());
            EventBusException duplicate = (EventBusException)
                    assertThrows(CompletionException.class, reused::join).getCause();
            assertEquals("DUPLICATE_EVENT_ID", duplicate.errorCode());
            for (CompletableFuture<Receipt> ok : List.of(before, after)) {
                assertEquals(200, Stack.get("/v1/events/" + ok.join().eventId()).statusCode());
            }
            assertEquals(3, count("select count(*) from eb_event where event_type = ?", type));
        }
    }

    @Test
    void aSubscriberReceivesRetriesAfterAThrowAndAcks() throws Exception {
        String type = type();
        String sub = "sdk-" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> created = AuthIT.call(
                "PUT",
                "/v1/subscriptions/" + sub,
                Stack.token(apiKey),
                "{\"eventTypes\":[\"" + type + "\"],\"target\":{\"type\":\"pull\"},\"ordering\":\"unordered\","
                        + "\"retryPolicy\":{\"initialDelayMillis\":200,\"multiplier\":2,\"maxDelayMillis\":1000,"
                        + "\"maxAttempts\":5}}");
        assertEquals(201, created.statusCode(), created.body());
        Map<String, Integer> attempts = new ConcurrentHashMap<>();
        List<Done> handled = new CopyOnWriteArrayList<>();
        try (EventBus bus = EventBus.connect(Stack.baseUrl(), apiKey)) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                ids.add(bus.publish(type, new Done("pull", i)).eventId());
            }
            Subscriber s = bus.subscribe(
                    sub,
                    e -> {
                        attempts.merge(e.id(), e.attempt(), Math::max);
                        Done d = e.data(Done.class);
                        if (d.n() == 1 && e.attempt() == 1) {
                            throw new IllegalStateException("first attempt fails");
                        }
                        handled.add(d);
                    },
                    SubscribeOptions.defaults().maxEvents(10).wait(Duration.ofSeconds(1)));
            await(Duration.ofSeconds(30), "all three delivered", () -> ids.stream()
                    .allMatch(id -> Subscriptions.state(id, sub).equals("DELIVERED")));
            s.close();
            assertFalse(s.running());
            assertEquals(2, attempts.get(ids.get(1)), "the thrown event came back as attempt 2");
            assertEquals(1, attempts.get(ids.get(0)));
            assertEquals(3, handled.size());
            assertTrue(s.failure().isEmpty());
        }
    }

    @Test
    void theVerifierAcceptsARealWebhookDeliveryAndRefusesItReserialised() {
        String type = type();
        String sub = "sdk-hook-" + UUID.randomUUID().toString().substring(0, 8);
        JsonObject created = Subscriptions.webhook(sub, type, RECEIVER.url("/" + sub), "unordered", 3);
        String secret = created.getJsonObject("target").getString("secret");
        String id;
        try (EventBus bus = EventBus.connect(Stack.baseUrl(), apiKey)) {
            id = bus.publish(type, Map.of("note", "caf\u00e9 \u2713", "n", 1)).eventId();
        }
        await(Duration.ofSeconds(30), "webhook called", () -> !RECEIVER.calls("/" + sub, id)
                .isEmpty());
        WebhookReceiver.Call c = RECEIVER.calls("/" + sub, id).get(0);
        WebhookVerifier verifier = new WebhookVerifier(secret);
        byte[] raw = c.body().getBytes(StandardCharsets.UTF_8);
        verifier.verify(c.id(), c.timestamp(), c.signature(), raw);
        String reserialised = "{ " + c.body().substring(1);
        assertFalse(
                verifier.isValid(c.id(), c.timestamp(), c.signature(), reserialised.getBytes(StandardCharsets.UTF_8)));
        assertFalse(new WebhookVerifier("whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[24]))
                .isValid(c.id(), c.timestamp(), c.signature(), raw));
    }
}
