package com.idynic.eventbus.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PublishServiceTest {
    final Map<String, StoredEvent> rows = new HashMap<>();
    final Map<String, IdempotencyRecord> keys = new HashMap<>();
    final AtomicInteger wakes = new AtomicInteger();
    boolean down;
    StoredEvent raceWinner;

    final EventStore store = new EventStore() {
        @Override
        public void append(EventEnvelope e, PublishReceipt r) {
            if (down) {
                throw new IllegalStateException("connection refused");
            }
            if (raceWinner != null) {
                rows.put(e.id(), raceWinner);
            }
            if (rows.containsKey(e.id())) {
                throw new IllegalStateException("duplicate key value violates unique constraint");
            }
            rows.put(e.id(), new StoredEvent(e, r, false));
        }

        @Override
        public void append(EventEnvelope e, PublishReceipt r, String key, Duration window) {
            if (keys.containsKey(key)) {
                throw new IllegalStateException("duplicate key value violates unique constraint");
            }
            append(e, r);
            keys.put(key, new IdempotencyRecord(e.contentHash(), e.id()));
        }

        @Override
        public Optional<IdempotencyRecord> idempotencyKey(String key, Duration window) {
            return Optional.ofNullable(keys.get(key));
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
    void republishingTheSameContentReturnsTheOriginalReceiptAndStoresNothing() {
        EventEnvelope e = event("evt-1", "a");
        PublishReceipt first = service.publish(e);
        PublishReceipt second = service.publish(e);
        assertEquals(first, second);
        assertEquals(1, rows.size());
        assertEquals(1, wakes.get());
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
        PublishReceipt first = service.publish(e, "key-1", Duration.ofHours(1));
        assertEquals(first, service.publish(e, "key-1", Duration.ofHours(1)));
        BusException ex = assertThrows(
                BusException.class, () -> service.publish(event("evt-2", "b"), "key-1", Duration.ofHours(1)));
        assertEquals(ErrorCode.IDEMPOTENCY_KEY_REUSED, ex.errorCode());
        assertEquals(1, rows.size());
    }

    @Test
    void receiptIdsAreUnique() {
        assertNotEquals(PublishService.newReceiptId(), PublishService.newReceiptId());
    }
}
