package com.idynic.eventbus.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Publishing through the SDK against a fake bus: batching, per-event outcomes, retries with the same ids, tokens. */
class PublishTest {
    record Order(String orderId, int totalAmount) {}

    FakeBus fake;
    EventBus bus;

    @BeforeEach
    void start() throws Exception {
        fake = new FakeBus();
    }

    @AfterEach
    void stop() {
        if (bus != null) {
            bus.close();
        }
        fake.close();
    }

    private EventBus connect(Duration linger) {
        return EventBus.builder(fake.url(), FakeBus.KEY).linger(linger).connect();
    }

    @Test
    void callsWithinTheLingerGoOutAsOneRequestAndEachGetsItsOwnReceipt() {
        bus = connect(Duration.ofSeconds(2));
        List<CompletableFuture<Receipt>> calls = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            calls.add(bus.publishAsync("order.placed", new Order("ord-" + i, i)));
        }
        for (CompletableFuture<Receipt> c : calls) {
            Receipt r = c.join();
            assertEquals("rcpt-" + r.eventId(), r.receipt());
            assertFalse(r.duplicate());
        }
        assertEquals(1, fake.batchBodies.size(), "one request");
        assertEquals(50, fake.stored.size());
        assertEquals(new PublishStats(1, 50, 0), bus.stats());
    }

    @Test
    void aBatchClosesAtMaxBatchSize() {
        bus = EventBus.builder(fake.url(), FakeBus.KEY)
                .linger(Duration.ofSeconds(5))
                .maxBatchSize(100)
                .maxInFlight(1)
                .connect();
        List<CompletableFuture<Receipt>> calls = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            calls.add(bus.publishAsync("order.placed", new Order("ord-" + i, i)));
        }
        calls.forEach(CompletableFuture::join);
        assertEquals(2, fake.batchBodies.size());
        assertEquals(200, fake.stored.size());
    }

    @Test
    void theEnvelopeCarriesTheOptionsAndTheKeysServiceAsDefaultSource() throws Exception {
        bus = connect(Duration.ZERO);
        Receipt r = bus.publish(
                "order.placed",
                Map.of("orderId", "ord-1"),
                PublishOptions.none()
                        .id("ord-1")
                        .orderingKey("cus-7")
                        .correlationId("corr-1")
                        .timestamp(Instant.parse("2026-12-07T01:00:00Z"))
                        .metadata("tenant", "eu"));
        assertEquals("ord-1", r.eventId());
        assertEquals(Instant.parse("2026-12-07T02:00:00Z"), r.acceptedAt());
        JsonNode e = fake.stored.get("ord-1");
        assertEquals(
                FakeBus.JSON.readTree("{\"id\":\"ord-1\",\"eventType\":\"order.placed\",\"source\":\"test-service\","
                        + "\"data\":{\"orderId\":\"ord-1\"},\"timestamp\":\"2026-12-07T01:00:00Z\",\"metadata\":"
                        + "{\"tenant\":\"eu\",\"partitionKey\":\"cus-7\",\"correlationId\":\"corr-1\"}}"),
                e);
        bus.publish("order.placed", Map.of(), PublishOptions.none().id("ord-2").source("shop"));
        assertEquals("shop", fake.stored.get("ord-2").path("source").asText());
    }

    record Shipped(String orderId, Instant shippedAt, List<Instant> scans) {}

    @Test
    void aRecordIsDataAndItsTimesAreWrittenAsIsoTextAsJsonSchemaWantsThem() throws Exception {
        bus = connect(Duration.ZERO);

        bus.publish(
                "order.shipped",
                new Shipped(
                        "ord-1",
                        Instant.parse("2023-05-20T14:30:40Z"),
                        List.of(Instant.parse("2023-05-20T15:00:00.5Z"))),
                PublishOptions.none().id("shp-1"));

        assertEquals(
                "{\"orderId\":\"ord-1\",\"shippedAt\":\"2023-05-20T14:30:40Z\",\"scans\":[\"2023-05-20T15:00:00.500Z\"]}",
                fake.stored.get("shp-1").path("data").toString());
    }

    @Test
    void anEventTheBusRefusesByIndexFailsAloneAndTheOthersAreStored() {
        bus = connect(Duration.ofSeconds(2));
        CompletableFuture<Receipt> a = bus.publishAsync("order.placed", Map.of("n", 1));
        CompletableFuture<Receipt> bad = bus.publishAsync("order.placed", Map.of("bad", true));
        CompletableFuture<Receipt> c = bus.publishAsync("order.placed", Map.of("n", 3));
        assertEquals("rcpt-" + a.join().eventId(), a.join().receipt());
        assertEquals("rcpt-" + c.join().eventId(), c.join().receipt());
        EventBusException e = (EventBusException)
                assertThrows(CompletionException.class, bad::join).getCause();
        assertEquals("SCHEMA_VALIDATION_ERROR", e.errorCode());
        assertEquals(400, e.status());
        assertEquals(2, fake.stored.size());
        assertEquals(2, fake.batchBodies.size(), "the rest went again without the refused event");
    }

    @Test
    void anIdTakenByAnotherEventFailsOnlyItsOwnCall() {
        bus = connect(Duration.ZERO);
        bus.publish("order.placed", Map.of("v", 1), PublishOptions.none().id("taken"));
        EventBusException e = assertThrows(
                EventBusException.class,
                () -> bus.publish(
                        "order.placed", Map.of("v", 2), PublishOptions.none().id("taken")));
        assertEquals("DUPLICATE_EVENT_ID", e.errorCode());
        assertTrue(
                bus.publish(
                                "order.placed",
                                Map.of("v", 1),
                                PublishOptions.none().id("taken"))
                        .duplicate(),
                "the same event again is its original receipt");
    }

    @Test
    void a503IsRetriedWithTheSameIdsAndAnEventThatHadLandedComesBackAsDuplicate() {
        bus = connect(Duration.ZERO);
        fake.faults.add(new FakeBus.Fault(true, 503, "0", 0));
        Receipt r = bus.publish("order.placed", Map.of("n", 1));
        assertTrue(r.duplicate());
        assertEquals(1, fake.stored.size());
        assertEquals(2, fake.batchBodies.size());
        assertEquals(fake.batchBodies.get(0), fake.batchBodies.get(1), "the same body, so the same event id");
        assertEquals(1, bus.stats().retries());
    }

    @Test
    void aTimedOutRequestThatLandedIsNotStoredTwice() {
        bus = EventBus.builder(fake.url(), FakeBus.KEY)
                .linger(Duration.ZERO)
                .requestTimeout(Duration.ofMillis(300))
                .connect();
        fake.faults.add(new FakeBus.Fault(true, 202, null, 1500));
        Receipt r = bus.publish("order.placed", Map.of("n", 1));
        assertTrue(r.duplicate());
        assertEquals(1, fake.stored.size());
        assertEquals(fake.batchBodies.get(0), fake.batchBodies.get(1));
    }

    @Test
    void a429WaitsForRetryAfterAndThenSucceeds() {
        bus = connect(Duration.ZERO);
        fake.faults.add(new FakeBus.Fault(false, 429, "1", 0));
        Receipt r = bus.publish("order.placed", Map.of("n", 1));
        assertFalse(r.duplicate());
        assertEquals(2, fake.batchBodies.size());
    }

    @Test
    void retryAfterIsReadAsSecondsOrAnHttpDate() {
        Instant now = Instant.parse("2015-10-21T07:27:50Z");
        assertEquals(Duration.ofSeconds(3), Transport.retryAfter("3", now));
        assertEquals(Duration.ofSeconds(10), Transport.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT", now));
        assertEquals(Duration.ZERO, Transport.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT", now.plusSeconds(60)));
        assertEquals(null, Transport.retryAfter("soon", now));
    }

    @Test
    void retriesStopAtTheDeliveryTimeoutWithTheLastError() {
        bus = EventBus.builder(fake.url(), FakeBus.KEY)
                .linger(Duration.ZERO)
                .deliveryTimeout(Duration.ofMillis(500))
                .connect();
        for (int i = 0; i < 20; i++) {
            fake.faults.add(new FakeBus.Fault(false, 503, "1", 0));
        }
        EventBusException e = assertThrows(EventBusException.class, () -> bus.publish("order.placed", Map.of()));
        assertEquals("STORAGE_UNAVAILABLE", e.errorCode());
        assertEquals(503, e.status());
        assertEquals(0, fake.stored.size());
    }

    @Test
    void theTokenIsRenewedBeforeItExpiresAndAfterA401() {
        MutableClock clock = new MutableClock();
        bus = EventBus.builder(fake.url(), FakeBus.KEY)
                .linger(Duration.ZERO)
                .clock(clock)
                .connect();
        bus.publish("order.placed", Map.of());
        assertEquals(1, fake.exchanges.get());
        clock.now = clock.now.plusSeconds(600);
        bus.publish("order.placed", Map.of());
        assertEquals(1, fake.exchanges.get(), "two thirds of its life: still the same token");
        clock.now = clock.now.plusSeconds(121);
        bus.publish("order.placed", Map.of());
        assertEquals(2, fake.exchanges.get(), "within a fifth of its life of expiry: renewed");
        fake.refuseToken = fake.tokensSeen.get(fake.tokensSeen.size() - 1).substring("Bearer ".length());
        bus.publish("order.placed", Map.of());
        assertEquals(3, fake.exchanges.get(), "refused with 401: exchanged again");
        assertEquals(4, fake.stored.size());
    }

    @Test
    void aBadKeyFailsAtConnect() {
        EventBusException e =
                assertThrows(EventBusException.class, () -> EventBus.connect(fake.url(), "ebk_wrong_key"));
        assertEquals("UNAUTHORIZED", e.errorCode());
        assertEquals(401, e.status());
    }

    @Test
    void dataThatIsNotAJsonObjectFailsTheCallWithoutARequest() {
        bus = connect(Duration.ZERO);
        assertThrows(IllegalArgumentException.class, () -> bus.publish("order.placed", List.of(1, 2)));
        assertEquals(0, fake.batchBodies.size());
    }

    @Test
    void closeSendsWhatIsQueuedAndLaterCallsFail() {
        bus = connect(Duration.ofSeconds(30));
        CompletableFuture<Receipt> queued = bus.publishAsync("order.placed", Map.of("n", 1));
        bus.close();
        assertEquals("rcpt-" + queued.join().eventId(), queued.join().receipt());
        assertThrows(CompletionException.class, () -> bus.publishAsync("order.placed", Map.of())
                .join());
    }

    static final class MutableClock extends Clock {
        volatile Instant now = Instant.parse("2026-12-07T00:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
