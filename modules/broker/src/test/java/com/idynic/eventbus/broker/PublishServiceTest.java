package com.idynic.eventbus.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.DuplicateEventException;
import com.idynic.eventbus.api.ErrorCode;
import com.idynic.eventbus.api.EventEnvelope;
import com.idynic.eventbus.api.PublishReceipt;
import com.idynic.eventbus.broker.spi.EventStore;
import com.idynic.eventbus.broker.spi.IdempotencyRecord;
import com.idynic.eventbus.broker.spi.StoredEvent;
import jakarta.json.Json;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PublishServiceTest {
    static final Duration HOUR = Duration.ofHours(1);
    final Map<String, StoredEvent> rows = new HashMap<>();
    final Map<List<String>, IdempotencyRecord> keys = new HashMap<>();
    final AtomicInteger wakes = new AtomicInteger();
    final AtomicInteger takenIds = new AtomicInteger();
    boolean down;
    StoredEvent raceWinner;

    final EventStore store = new EventStore() {
        @Override
        public boolean append(EventEnvelope e, PublishReceipt r) {
            if (down) {
                throw new IllegalStateException("connection refused");
            }
            if (raceWinner != null) {
                rows.put(e.id(), raceWinner);
            }
            if (rows.containsKey(e.id())) {
                takenIds.incrementAndGet();
                return false;
            }
            rows.put(e.id(), new StoredEvent(e, r, false));
            return true;
        }

        @Override
        public boolean append(EventEnvelope e, PublishReceipt r, String service, String key, Duration window) {
            if (keys.containsKey(List.of(service, key))) {
                throw new IllegalStateException("duplicate key value violates unique constraint");
            }
            if (!append(e, r)) {
                return false;
            }
            keys.put(List.of(service, key), new IdempotencyRecord(e.contentHash(), e.id()));
            return true;
        }

        @Override
        public Optional<IdempotencyRecord> idempotencyKey(String service, String key, Duration window) {
            return Optional.ofNullable(keys.get(List.of(service, key)));
        }

        @Override
        public Optional<StoredEvent> find(String id) {
            if (down) {
                throw new IllegalStateException("connection refused");
            }
            return Optional.ofNullable(rows.get(id));
        }
    };
    final PublishService service = new PublishService(store, e -> {}, wakes::incrementAndGet, Clock.systemUTC());

    static EventEnvelope event(String id, String name) {
        return EventEnvelope.of(
                id,
                "user.created",
                "user-service",
                Json.createObjectBuilder().add("name", name).build());
    }

    @Test
    void storesANewEventAndWakesTheRelay() {
        PublishReceipt r = service.publish(event("evt-1", "a"));
        assertEquals("evt-1", r.eventId());
        assertEquals(1, rows.size());
        assertEquals(1, wakes.get());
    }

    @Test
    void eachNewEventIsToldOnceAfterItsCommitAndRepeatsAreNot() {
        List<String> told = new java.util.ArrayList<>();
        PublishService counted = new PublishService(
                store, e -> {}, wakes::incrementAndGet, Clock.systemUTC(), null, e -> told.add(e.id()));

        EventEnvelope one = event("evt-1", "a");
        EventEnvelope two = event("evt-2", "b");
        counted.publish(one);
        counted.publish(one);
        counted.publishAll(List.of(two, one, event("evt-3", "c"), two));

        assertEquals(List.of("evt-1", "evt-2", "evt-3"), told);
    }

    @Test
    void republishingTheSameContentReturnsTheOriginalReceiptAndStoresNothing() {
        EventEnvelope e = event("evt-1", "a");
        PublishReceipt first = service.publish(e);
        PublishReceipt second = service.publish(e);
        assertEquals(first, second);
        assertEquals(1, rows.size());
        assertEquals(1, wakes.get());
    }

    @Test
    void aTakenIdIsAnsweredFromTheStoredRowWithoutAFailedAppendOrAKey() {
        EventEnvelope e = event("evt-1", "a");
        PublishReceipt first = service.publish(e);
        assertEquals(first, service.publish(e, "user-service", "key-1", HOUR));
        assertEquals(1, takenIds.get());
        assertEquals(Map.of(), keys, "a taken id records no idempotency key");
        assertEquals(1, wakes.get());
    }

    @Test
    void aTakenIdWithNoStoredEventIsReportedAsUnavailable() {
        EventEnvelope e = event("evt-1", "a");
        rows.put("evt-1", null);
        BusException ex = assertThrows(BusException.class, () -> service.publish(e));
        assertEquals(ErrorCode.STORAGE_UNAVAILABLE, ex.errorCode());
    }

    @Test
    void reusingAnIdForDifferentContentIsAConflict() {
        service.publish(event("evt-1", "a"));
        assertThrows(DuplicateEventException.class, () -> service.publish(event("evt-1", "b")));
    }

    @Test
    void losingTheInsertRaceToTheSameContentStillAnswersWithTheWinnersReceipt() {
        EventEnvelope e = event("evt-1", "a");
        PublishReceipt winners = new PublishReceipt("evt-1", java.time.OffsetDateTime.now(), "rcpt-winner");
        raceWinner = new StoredEvent(e, winners, false);
        assertEquals(winners, service.publish(e));
        assertEquals(0, wakes.get());
    }

    @Test
    void storageDownIsReportedAsUnavailableNeverAsAccepted() {
        down = true;
        BusException ex = assertThrows(BusException.class, () -> service.publish(event("evt-1", "a")));
        assertEquals(ErrorCode.STORAGE_UNAVAILABLE, ex.errorCode());
        assertEquals(0, wakes.get());
    }

    @Test
    void theSameIdempotencyKeyAndBodyReturnTheFirstReceiptAndADifferentBodyIsRefused() {
        EventEnvelope e = event("evt-1", "a");
        PublishReceipt first = service.publish(e, "user-service", "key-1", HOUR);
        assertEquals(first, service.publish(e, "user-service", "key-1", HOUR));
        BusException ex = assertThrows(
                BusException.class, () -> service.publish(event("evt-2", "b"), "user-service", "key-1", HOUR));
        assertEquals(ErrorCode.IDEMPOTENCY_KEY_REUSED, ex.errorCode());
        assertEquals(1, rows.size());
    }

    @Test
    void theSameIdempotencyKeyFromTwoServicesPublishesTwoEvents() {
        PublishReceipt a = service.publish(event("evt-a", "a"), "service-a", "key-1", HOUR);
        EventEnvelope fromB = event("evt-b", "b");
        PublishReceipt b = service.publish(fromB, "service-b", "key-1", HOUR);
        assertEquals("evt-a", a.eventId());
        assertEquals("evt-b", b.eventId());
        assertEquals(2, rows.size());
        assertEquals(2, wakes.get());
        assertEquals(b, service.publish(fromB, "service-b", "key-1", HOUR));
    }

    @Test
    void aReusedIdempotencyKeyIsRefusedNamingOnlyTheCallersOwnEvent() {
        service.publish(event("evt-a", "a"), "service-a", "key-1", HOUR);
        service.publish(event("evt-b", "b"), "service-b", "key-1", HOUR);
        BusException ex = assertThrows(
                BusException.class, () -> service.publish(event("evt-a2", "other"), "service-a", "key-1", HOUR));
        assertEquals(ErrorCode.IDEMPOTENCY_KEY_REUSED, ex.errorCode());
        assertEquals("evt-a", ex.details().get("eventId"));
        assertFalse(ex.details().toString().contains("evt-b"), ex.details().toString());
        assertFalse(ex.getMessage().contains("evt-b"), ex.getMessage());
        assertEquals(2, rows.size());
    }

    @Test
    void anIdempotencyKeyWithoutThePublishingServiceIsAProgrammingError() {
        assertThrows(NullPointerException.class, () -> service.publish(event("evt-1", "a"), null, "key-1", HOUR));
        assertEquals(0, rows.size());
    }

    @Test
    void receiptIdsAreUnique() {
        assertNotEquals(PublishService.newReceiptId(), PublishService.newReceiptId());
    }
}
