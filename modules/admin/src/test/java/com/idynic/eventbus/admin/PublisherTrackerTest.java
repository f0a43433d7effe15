package com.idynic.eventbus.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.idynic.eventbus.admin.spi.CatalogStore;
import com.idynic.eventbus.api.EventEnvelope;
import com.idynic.eventbus.testing.SettableClock;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PublisherTrackerTest {
    private final SettableClock clock = SettableClock.at("2026-12-06T10:00:10Z");
    private final InMemoryCatalogStore store = new InMemoryCatalogStore();
    private final PublisherTracker tracker = new PublisherTracker(store, clock, Duration.ofSeconds(5), 3);

    private static EventEnvelope event(String id, String type, String source) {
        return EventEnvelope.of(id, type, source, JsonObject.EMPTY_JSON_OBJECT);
    }

    @Test
    void countsInMemoryAndAddsThemOncePerIntervalInOneBatch() {
        tracker.stored(event("e1", "order.placed", "shop"));
        clock.advance(Duration.ofSeconds(1));
        tracker.stored(event("e2", "order.placed", "shop"));
        tracker.stored(event("e3", "user.created", "accounts"));
        assertEquals(0, store.adds, "nothing is written before the interval has passed");

        clock.advance(Duration.ofSeconds(4));
        tracker.stored(event("e4", "order.placed", "shop"));

        assertEquals(1, store.adds);
        assertEquals(
                List.of(
                        new CatalogStore.Published(
                                "order.placed",
                                "shop",
                                Instant.parse("2026-12-06T10:00:10Z"),
                                Instant.parse("2026-12-06T10:00:15Z"),
                                3),
                        new CatalogStore.Published(
                                "user.created",
                                "accounts",
                                Instant.parse("2026-12-06T10:00:11Z"),
                                Instant.parse("2026-12-06T10:00:11Z"),
                                1)),
                store.publishers());
    }

    @Test
    void keepsCountsPerMinuteForTheWindow() {
        tracker.stored(event("e1", "order.placed", "shop"));
        clock.advance(Duration.ofSeconds(55));
        tracker.stored(event("e2", "order.placed", "shop"));
        tracker.flush();

        assertEquals(
                List.of(
                        new CatalogStore.PublishedInMinute(
                                "order.placed", "shop", Instant.parse("2026-12-06T10:00:00Z"), 1),
                        new CatalogStore.PublishedInMinute(
                                "order.placed", "shop", Instant.parse("2026-12-06T10:01:00Z"), 1)),
                store.minutes);
    }

    @Test
    void keepsCountsTheStoreRefusedForTheNextFlush() {
        tracker.stored(event("e1", "order.placed", "shop"));
        store.failing = true;
        assertThrows(IllegalStateException.class, tracker::flush);

        store.failing = false;
        tracker.stored(event("e2", "order.placed", "shop"));
        tracker.flush();

        assertEquals(2, store.publishers().get(0).published());
    }

    @Test
    void aFailingStoreNeverFailsThePublish() {
        store.failing = true;
        clock.advance(Duration.ofSeconds(10));
        tracker.stored(event("e1", "order.placed", "shop"));
        store.failing = false;
        tracker.flush();
        assertEquals(1, store.publishers().get(0).published());
    }

    @Test
    void holdsAtMostMaxPairsBetweenFlushes() {
        tracker.stored(event("e1", "a.one", "shop"));
        tracker.stored(event("e2", "a.two", "shop"));
        tracker.stored(event("e3", "a.three", "shop"));
        tracker.stored(event("e4", "a.four", "shop"));
        tracker.stored(event("e5", "a.one", "shop"));
        tracker.flush();

        assertEquals(
                List.of("a.one=2", "a.three=1", "a.two=1"),
                store.publishers().stream()
                        .map(p -> p.eventType() + "=" + p.published())
                        .toList());
    }
}
