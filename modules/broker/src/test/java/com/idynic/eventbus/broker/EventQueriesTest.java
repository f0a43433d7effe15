package com.idynic.eventbus.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.ErrorCode;
import com.idynic.eventbus.api.EventEnvelope;
import com.idynic.eventbus.api.PublishReceipt;
import com.idynic.eventbus.broker.spi.DeliveryHistory;
import com.idynic.eventbus.broker.spi.DeliveryState;
import com.idynic.eventbus.broker.spi.DeliveryStatus;
import com.idynic.eventbus.broker.spi.EventSearch;
import com.idynic.eventbus.broker.spi.EventStore;
import com.idynic.eventbus.broker.spi.IdempotencyRecord;
import com.idynic.eventbus.broker.spi.Relayed;
import com.idynic.eventbus.broker.spi.StoredEvent;
import com.idynic.eventbus.security.Role;
import com.idynic.eventbus.security.ServiceAccount;
import jakarta.json.Json;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EventQueriesTest {
    final Map<String, StoredEvent> rows = new HashMap<>();
    final List<String> deliveryReads = new ArrayList<>();
    final List<EventSearch.Criteria> searches = new ArrayList<>();
    final List<EventSearch.Hit> found = new ArrayList<>();
    boolean down;

    final EventStore events = new EventStore() {
        @Override
        public boolean append(EventEnvelope e, PublishReceipt r) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean append(EventEnvelope e, PublishReceipt r, String service, String key, Duration window) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<IdempotencyRecord> idempotencyKey(String service, String key, Duration window) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<StoredEvent> find(String id) {
            if (down) {
                throw new IllegalStateException("connection refused");
            }
            return Optional.ofNullable(rows.get(id));
        }
    };

    final DeliveryHistory deliveries = (DeliveryHistory) Proxy.newProxyInstance(
            DeliveryHistory.class.getClassLoader(), new Class<?>[] {DeliveryHistory.class}, (proxy, method, args) -> {
                deliveryReads.add(method.getName() + " " + args[0]);
                return List.of();
            });

    final EventQueries queries = new EventQueries(events, deliveries, c -> {
        searches.add(c);
        return List.copyOf(found);
    });

    static ServiceAccount service(String name, Set<Role> roles, List<String> publish, List<String> sources) {
        return new ServiceAccount(name, roles, publish, List.of(), sources, null, null);
    }

    static final ServiceAccount OPERATOR = service("ops", Set.of(Role.OPERATOR), List.of(), List.of());
    static final ServiceAccount ORDERS = service("orders", Set.of(Role.PUBLISHER), List.of("order.*"), List.of());

    void stored(String id, String type, String source) {
        EventEnvelope e =
                EventEnvelope.of(id, type, source, Json.createObjectBuilder().build());
        rows.put(id, new StoredEvent(e, new PublishReceipt(id, OffsetDateTime.now(), "rcpt-1"), false));
    }

    @Test
    void anOperatorSeesEveryEvent() {
        stored("evt-1", "user.created", "users");
        assertEquals("evt-1", queries.find(OPERATOR, "evt-1").envelope().id());
    }

    @Test
    void aPublisherSeesAnEventItCouldHavePublished() {
        stored("evt-1", "order.placed", "orders");
        assertEquals("evt-1", queries.find(ORDERS, "evt-1").envelope().id());
    }

    @Test
    void anEventOfATypeThePublisherMayNotPublishLooksMissing() {
        stored("evt-1", "user.created", "orders");
        BusException e = assertThrows(BusException.class, () -> queries.find(ORDERS, "evt-1"));
        assertEquals(ErrorCode.NOT_FOUND, e.errorCode());
        assertEquals("No event with id 'evt-1'", e.getMessage());
        assertEquals(Map.of("eventId", "evt-1"), e.details());
    }

    @Test
    void anEventWithASourceThePublisherMayNotUseLooksMissing() {
        stored("evt-1", "order.placed", "billing");
        assertEquals(
                ErrorCode.NOT_FOUND,
                assertThrows(BusException.class, () -> queries.find(ORDERS, "evt-1"))
                        .errorCode());
    }

    @Test
    void anUnknownEventIsNotFoundEvenForAnOperator() {
        assertEquals(
                ErrorCode.NOT_FOUND,
                assertThrows(BusException.class, () -> queries.find(OPERATOR, "evt-9"))
                        .errorCode());
    }

    @Test
    void anUnreadableEventStoreIsReportedAsUnavailable() {
        down = true;
        BusException e = assertThrows(BusException.class, () -> queries.find(OPERATOR, "evt-1"));
        assertEquals(ErrorCode.STORAGE_UNAVAILABLE, e.errorCode());
        assertEquals("The event store is unavailable", e.getMessage());
    }

    @Test
    void deliveriesAreReadOnlyForAnEventTheCallerMaySee() {
        stored("evt-1", "user.created", "users");
        assertThrows(BusException.class, () -> queries.deliveries(ORDERS, "evt-1"));
        assertEquals(List.of(), deliveryReads);
        EventQueries.Deliveries d = queries.deliveries(OPERATOR, "evt-1");
        assertEquals("evt-1", d.eventId());
        assertEquals(List.of("statusOf evt-1", "attemptsOf evt-1"), deliveryReads);
    }

    @Test
    void aSearchLimitOutsideOneToFiveHundredIsRefusedNamingTheLimit() {
        for (int limit : new int[] {0, 501}) {
            BusException e =
                    assertThrows(BusException.class, () -> queries.search(null, null, null, null, null, 0, limit));
            assertEquals(ErrorCode.VALIDATION_ERROR, e.errorCode());
            assertEquals(Map.of("field", "limit", "error", "must be between 1 and 500"), e.details());
        }
        assertEquals(List.of(), searches);
        queries.search(null, null, null, null, null, 0, 500);
        assertEquals(1, searches.size());
    }

    @Test
    void aSearchReadsTimesWithAnOffsetAndRefusesOthersNamingTheField() {
        queries.search("order.placed", "c-1", "orders", "2026-12-06T10:00:00+01:00", null, 7, 100);
        assertEquals(
                new EventSearch.Criteria(
                        "order.placed", "c-1", "orders", Instant.parse("2026-12-06T09:00:00Z"), null, 7, 100),
                searches.get(0));
        BusException e = assertThrows(
                BusException.class, () -> queries.search(null, null, null, null, "2026-12-06T10:00:00", 0, 100));
        assertEquals("to", e.details().get("field"));
    }

    static final Instant T = Instant.parse("2026-12-07T08:00:00Z");

    EventSearch.Hit hit(long seq, DeliveryStatus... deliveries) {
        stored("evt-" + seq, "order.placed", "orders");
        return new EventSearch.Hit(seq, rows.get("evt-" + seq), List.of(deliveries));
    }

    @Test
    void aFullSearchPageNamesItsLastEventAsTheNextPagesStart() {
        found.addAll(List.of(hit(4), hit(9)));

        EventQueries.Page page = queries.search(OPERATOR, null, null, null, null, null, null, 0, 2);

        assertEquals(
                List.of(4L, 9L),
                page.events().stream().map(EventQueries.Hit::seq).toList());
        assertEquals(OptionalLong.of(9), page.next());
    }

    @Test
    void aSearchPageShorterThanTheLimitIsTheLast() {
        found.add(hit(4));

        assertEquals(
                OptionalLong.empty(),
                queries.search(OPERATOR, null, null, null, null, null, null, 0, 2)
                        .next());
    }

    @Test
    void aHitShowsItsDeliveriesByStateNameAndWhetherADeadLetterParksOthers() {
        found.add(hit(
                4,
                new DeliveryStatus(7, "billing", "evt-4", DeliveryState.DEAD, 3, "HTTP 500", null, null, T, 7L, 1, T),
                new DeliveryStatus(8, "audit", "evt-4", DeliveryState.DEAD, 3, "HTTP 503", null, null, T, 5L),
                new DeliveryStatus(9, "mail", "evt-4", DeliveryState.DELIVERED, 1, null, null, T, null, null)));

        assertEquals(
                List.of(
                        new DeliveryView("billing", "evt-4", "DEAD", 3, "HTTP 500", null, null, T, true, 1, T),
                        new DeliveryView("audit", "evt-4", "DEAD", 3, "HTTP 503", null, null, T, false, 0, null),
                        new DeliveryView("mail", "evt-4", "DELIVERED", 1, null, null, T, null, false, 0, null)),
                queries.search(OPERATOR, null, null, null, null, null, null, 0, 10)
                        .events()
                        .get(0)
                        .deliveries());
    }

    @Test
    void aRelayedEventIsShownWithItsKafkaPosition() {
        stored("evt-1", "order.placed", "orders");
        StoredEvent e = rows.get("evt-1");
        rows.put("evt-1", new StoredEvent(e.envelope(), e.receipt(), true, new Relayed(12, "evt-1", "bus", 2, 41)));

        assertEquals(
                new EventView(e.envelope(), e.receipt(), true, new EventView.Position("bus", 2, 41)),
                queries.find(OPERATOR, "evt-1"));
    }
}
