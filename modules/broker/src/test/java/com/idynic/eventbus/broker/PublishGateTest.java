package com.idynic.eventbus.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.ErrorCode;
import com.idynic.eventbus.api.EventEnvelope;
import com.idynic.eventbus.api.InvalidFieldException;
import com.idynic.eventbus.api.PublishReceipt;
import com.idynic.eventbus.api.TraceContext;
import com.idynic.eventbus.broker.spi.EventStore;
import com.idynic.eventbus.broker.spi.IdempotencyRecord;
import com.idynic.eventbus.broker.spi.StoredEvent;
import com.idynic.eventbus.security.RateLimit;
import com.idynic.eventbus.security.RateLimiter;
import com.idynic.eventbus.security.Role;
import com.idynic.eventbus.security.ServiceAccount;
import com.idynic.eventbus.security.spi.RateLimitBucket;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PublishGateTest {
    static final RateLimit DEFAULT = new RateLimit(10, 20);
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-06T10:00:00Z"), ZoneOffset.UTC);

    final Map<String, StoredEvent> rows = new LinkedHashMap<>();
    final Map<List<String>, IdempotencyRecord> keys = new LinkedHashMap<>();
    final List<String> tokens = new ArrayList<>();
    final List<String> refusals = new ArrayList<>();
    Duration wait = Duration.ZERO;
    long backlog;

    final EventStore store = new EventStore() {
        @Override
        public boolean append(EventEnvelope e, PublishReceipt r) {
            return rows.putIfAbsent(e.id(), new StoredEvent(e, r, false)) == null;
        }

        @Override
        public boolean append(EventEnvelope e, PublishReceipt r, String service, String key, Duration window) {
            keys.put(List.of(service, key), new IdempotencyRecord(e.contentHash(), e.id()));
            return append(e, r);
        }

        @Override
        public Optional<IdempotencyRecord> idempotencyKey(String service, String key, Duration window) {
            return Optional.ofNullable(keys.get(List.of(service, key)));
        }

        @Override
        public Optional<StoredEvent> find(String id) {
            return Optional.ofNullable(rows.get(id));
        }
    };

    final RateLimitBucket bucket = new RateLimitBucket() {
        @Override
        public Duration take(String key, RateLimit limit) {
            return take(key, limit, 1);
        }

        @Override
        public Duration take(String key, RateLimit limit, int count) {
            tokens.add(key + " " + count + " of " + limit.perSecond() + "/" + limit.burst());
            return wait;
        }
    };

    final PublishGate gate = new PublishGate(
            new PublishService(store, e -> {}, () -> {}, CLOCK),
            new RateLimiter(bucket, CLOCK),
            DEFAULT,
            new Backpressure(() -> backlog, () -> 0, 5, Duration.ofMinutes(1), Duration.ofSeconds(3), CLOCK),
            Duration.ofHours(1),
            refusals::add);

    static ServiceAccount orders(RateLimit limit) {
        return new ServiceAccount(
                "orders", Set.of(Role.PUBLISHER), List.of("order.*"), List.of(), List.of(), limit, null);
    }

    static EventEnvelope event(String id, String type) {
        return EventEnvelope.of(
                id, type, "orders", Json.createObjectBuilder().add("n", 1).build());
    }

    static JsonObject json(String id, String type) {
        return event(id, type).toJson();
    }

    @Test
    void aForbiddenTypeIsRefusedBeforeARateLimitTokenIsTaken() {
        BusException e = assertThrows(
                BusException.class, () -> gate.publish(orders(null), event("evt-1", "user.created"), null));
        assertEquals(ErrorCode.FORBIDDEN, e.errorCode());
        assertEquals(List.of(), tokens);
        assertEquals(Map.of(), rows);
    }

    @Test
    void anAdmittedEventTakesOneTokenOfTheDefaultLimitAndIsStoredUnderTheServicesKey() {
        PublishReceipt r = gate.publish(orders(null), event("evt-1", "order.placed"), "key-1");
        assertEquals("evt-1", r.eventId());
        assertEquals(List.of("orders 1 of 10.0/20"), tokens);
        assertEquals(List.of("evt-1"), List.copyOf(rows.keySet()));
        assertEquals(List.of(List.of("orders", "key-1")), List.copyOf(keys.keySet()));
        assertEquals(List.of(), refusals);
    }

    @Test
    void aServiceOverItsRateIsRefusedWithRetryAfterSecondsAndNothingIsStored() {
        wait = Duration.ofMillis(1500);
        BusException e = assertThrows(
                BusException.class,
                () -> gate.publish(orders(new RateLimit(2, 4)), event("evt-1", "order.placed"), null));
        assertEquals(ErrorCode.RATE_LIMITED, e.errorCode());
        assertEquals("Service 'orders' is over its publish rate of 2.0/s", e.getMessage());
        assertEquals(Map.of("service", "orders", "perSecond", 2.0, "burst", 4, "retryAfterSeconds", 2L), e.details());
        assertEquals(List.of(PublishGate.RATE_LIMITED), refusals);
        assertEquals(Map.of(), rows);
    }

    @Test
    void anOverloadedBusRefusesWithBackpressuresErrorAndTellsTheListener() {
        backlog = 5;
        BusException e = assertThrows(
                BusException.class, () -> gate.publish(orders(null), event("evt-1", "order.placed"), null));
        assertEquals(ErrorCode.OVERLOADED, e.errorCode());
        assertEquals(List.of("overloaded"), refusals);
        assertEquals(List.of("orders 1 of 10.0/20"), tokens);
        assertEquals(Map.of(), rows);
    }

    @Test
    void beforeTheBodyIsReadAnOverloadedBusRefusesWithoutTakingATokenAndTellsTheListener() {
        backlog = 5;
        BusException e = assertThrows(BusException.class, gate::beforeBody);
        assertEquals(ErrorCode.OVERLOADED, e.errorCode());
        assertEquals(List.of("overloaded"), refusals);
        assertEquals(List.of(), tokens);
        assertEquals(Map.of(), rows);
    }

    @Test
    void aBatchLargerThanTheBurstIsRefusedAsAWholeBeforeAnyTokenIsTaken() {
        List<JsonObject> batch = List.of(json("a", "order.placed"), json("b", "order.placed"), json("c", "order.paid"));
        BusException e = assertThrows(BusException.class, () -> gate.publishAll(orders(new RateLimit(1, 2)), batch));
        assertEquals(ErrorCode.VALIDATION_ERROR, e.errorCode());
        assertEquals("[]", e.details().get("field"));
        assertEquals(
                "holds 3 events, more than service 'orders' may publish at once (its burst is 2); send smaller"
                        + " batches",
                e.details().get("error"));
        assertEquals(List.of(), tokens);
        assertEquals(Map.of(), rows);
    }

    @Test
    void aForbiddenEventOfABatchIsNamedByItsIndexAndNothingIsStored() {
        List<JsonObject> batch = List.of(json("a", "order.placed"), json("b", "user.created"));
        BusException e = assertThrows(BusException.class, () -> gate.publishAll(orders(null), batch));
        assertEquals(ErrorCode.FORBIDDEN, e.errorCode());
        assertEquals("[1].eventType", e.details().get("field"));
        assertEquals(1, e.details().get("index"));
        assertEquals("Event [1]: Service 'orders' may not publish events of type 'user.created'", e.getMessage());
        assertEquals(List.of(), tokens);
        assertEquals(Map.of(), rows);
    }

    @Test
    void aBatchIsCheckedEventByEventSoAnEarlierForbiddenEventIsNamedBeforeALaterMalformedOne() {
        JsonObject malformed = Json.createObjectBuilder().add("id", "b").build();
        List<JsonObject> batch = List.of(json("a", "user.created"), malformed);
        BusException e = assertThrows(BusException.class, () -> gate.publishAll(orders(null), batch));
        assertEquals(ErrorCode.FORBIDDEN, e.errorCode());
        assertEquals(0, e.details().get("index"));
    }

    @Test
    void anAdmittedBatchTakesOneTokenPerEventAndStoresEveryEvent() {
        List<JsonObject> batch = List.of(json("a", "order.placed"), json("b", "order.paid"));
        List<PublishService.BatchResult> results = gate.publishAll(orders(null), batch);
        assertEquals(
                List.of("a", "b"),
                results.stream().map(PublishService.BatchResult::eventId).toList());
        assertEquals(List.of("orders 2 of 10.0/20"), tokens);
        assertEquals(List.of("a", "b"), List.copyOf(rows.keySet()));
    }

    static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void theStoredEventCarriesTheRequestsTraceparentAndARepublishWithAnotherIsTheSameEvent() {
        EventEnvelope e = event("evt-1", "order.placed");
        PublishReceipt first = gate.publish(orders(null), e, null, TRACEPARENT);
        assertEquals(TRACEPARENT, rows.get("evt-1").envelope().traceparent());
        PublishReceipt again =
                gate.publish(orders(null), e, null, TraceContext.start().traceparent());
        assertEquals(first, again);
        assertEquals(TRACEPARENT, rows.get("evt-1").envelope().traceparent());
    }

    @Test
    void anEventPublishedWithoutAnyTraceparentGetsANewValidOne() {
        gate.publish(orders(null), event("evt-1", "order.placed"), null);
        assertTrue(TraceContext.valid(rows.get("evt-1").envelope().traceparent()));
    }

    @Test
    void theRequestsTraceparentAppliesToEveryEventOfABatchAndAnInvalidOneStartsATraceEach() {
        gate.publishAll(orders(null), List.of(json("a", "order.placed"), json("b", "order.paid")), TRACEPARENT);
        assertEquals(TRACEPARENT, rows.get("a").envelope().traceparent());
        assertEquals(TRACEPARENT, rows.get("b").envelope().traceparent());
        gate.publishAll(orders(null), List.of(json("c", "order.placed"), json("d", "order.paid")), "00-bad");
        String c = TraceContext.traceIdOf(rows.get("c").envelope().traceparent());
        String d = TraceContext.traceIdOf(rows.get("d").envelope().traceparent());
        assertTrue(c != null && d != null && !c.equals(d), c + " " + d);
    }

    final FakeSpans spans = new FakeSpans();

    final PublishGate traced = new PublishGate(
            new PublishService(store, e -> {}, () -> {}, CLOCK),
            new RateLimiter(bucket, CLOCK),
            DEFAULT,
            new Backpressure(() -> backlog, () -> 0, 5, Duration.ofMinutes(1), Duration.ofSeconds(3), CLOCK),
            Duration.ofHours(1),
            refusals::add,
            spans);

    @Test
    void withSpansEachPublishIsASpanUnderTheRequestsContextAndTheStoredEventNamesThatSpanAsParent() {
        traced.publish(orders(null), event("evt-1", "order.placed"), null, TRACEPARENT);
        assertEquals(1, spans.spans.size());
        FakeSpans.Recorded publish = spans.spans.get(0);
        assertEquals("publish", publish.name);
        assertEquals(TRACEPARENT, publish.parent);
        assertEquals(
                Map.of(
                        "eventbus.event.id",
                        "evt-1",
                        "eventbus.event.type",
                        "order.placed",
                        "eventbus.event.source",
                        "orders"),
                publish.attributes);
        assertTrue(publish.ended);
        assertEquals(null, publish.error);
        assertEquals(
                "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000001-01",
                rows.get("evt-1").envelope().traceparent());
    }

    @Test
    void withSpansARequestWithoutContextJoinsTheServerSpansTraceAndABatchGetsASpanPerEvent() {
        spans.current = "00-" + "c".repeat(32) + "-" + "d".repeat(16) + "-01";
        traced.publishAll(orders(null), List.of(json("a", "order.placed"), json("b", "order.paid")), null);
        assertEquals(
                List.of(spans.current, spans.current),
                spans.spans.stream().map(s -> s.parent).toList());
        assertEquals(
                "00-" + "c".repeat(32) + "-0000000000000001-01",
                rows.get("a").envelope().traceparent());
        assertEquals(
                "00-" + "c".repeat(32) + "-0000000000000002-01",
                rows.get("b").envelope().traceparent());
        assertTrue(spans.spans.stream().allMatch(s -> s.ended && s.error == null));
    }

    @Test
    void withSpansARefusedPublishEndsItsSpanWithTheError() {
        PublishGate refusing = new PublishGate(
                new PublishService(
                        store,
                        e -> {
                            throw new InvalidFieldException("data", "does not match the schema");
                        },
                        () -> {},
                        CLOCK),
                new RateLimiter(bucket, CLOCK),
                DEFAULT,
                new Backpressure(() -> backlog, () -> 0, 5, Duration.ofMinutes(1), Duration.ofSeconds(3), CLOCK),
                Duration.ofHours(1),
                refusals::add,
                spans);
        assertThrows(
                BusException.class,
                () -> refusing.publish(orders(null), event("evt-1", "order.placed"), null, TRACEPARENT));
        assertEquals(1, spans.spans.size());
        assertTrue(spans.spans.get(0).ended);
        assertTrue(
                String.valueOf(spans.spans.get(0).error).contains("does not match the schema"),
                spans.spans.get(0).error);
        assertEquals(Map.of(), rows);
    }
}
