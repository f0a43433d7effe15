package com.idynic.eventbus.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.idynic.eventbus.api.EventEnvelope;
import com.idynic.eventbus.api.PublishReceipt;
import com.idynic.eventbus.broker.spi.EventSearch;
import com.idynic.eventbus.broker.spi.SensitiveData;
import com.idynic.eventbus.broker.spi.StoredEvent;
import com.idynic.eventbus.security.Role;
import com.idynic.eventbus.security.ServiceAccount;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MaskingTest {
    /** Masks {@code card} of {@code card.charged} events, as a schema marking it would. */
    static final SensitiveData CARD = (type, data) -> type.equals("card.charged") && data.containsKey("card")
            ? Json.createObjectBuilder(data).add("card", Masking.MASK).build()
            : data;

    final EventQueriesTest fixture = new EventQueriesTest();
    final EventQueries queries = new EventQueries(
            fixture.events,
            fixture.deliveries,
            c -> fixture.rows.values().stream()
                    .map(e -> new EventSearch.Hit(1, e, List.of()))
                    .toList(),
            new Masking(CARD));

    static ServiceAccount account(String name, Set<Role> roles, List<String> publish) {
        return new ServiceAccount(name, roles, publish, List.of(), List.of(), null, null);
    }

    static final ServiceAccount OPERATOR = account("ops", Set.of(Role.OPERATOR), List.of());
    static final ServiceAccount CLEARED = account("ops-2", Set.of(Role.OPERATOR, Role.SENSITIVE), List.of());
    static final ServiceAccount ADMIN = account("root", Set.of(Role.ADMIN), List.of());
    static final ServiceAccount PAYMENTS = account("payments", Set.of(Role.PUBLISHER), List.of("card.*"));
    static final ServiceAccount OPERATOR_OF_OTHERS = account("ops-3", Set.of(Role.OPERATOR), List.of("card.*"));

    static final JsonObject DATA = Json.createObjectBuilder()
            .add("card", "4111111111111111")
            .add("amount", 12)
            .build();

    void stored(String id, String type) {
        EventEnvelope e = EventEnvelope.of(id, type, "payments", DATA);
        fixture.rows.put(id, new StoredEvent(e, new PublishReceipt(id, OffsetDateTime.now(), "rcpt-1"), true));
    }

    @Test
    void anOperatorReadsSensitiveValuesMasked() {
        stored("evt-1", "card.charged");

        EventView e = queries.find(OPERATOR, "evt-1");

        assertEquals("***", e.envelope().data().getString("card"));
        assertEquals(12, e.envelope().data().getInt("amount"));
        assertEquals("evt-1", e.envelope().id());
        assertEquals(
                fixture.rows.get("evt-1").envelope().contentHash(), e.envelope().contentHash());
    }

    @Test
    void theRoleSensitiveAnAdminAndThePublisherReadThemInClear() {
        stored("evt-1", "card.charged");

        assertEquals(DATA, queries.find(CLEARED, "evt-1").envelope().data());
        assertEquals(DATA, queries.find(ADMIN, "evt-1").envelope().data());
        assertEquals(DATA, queries.find(PAYMENTS, "evt-1").envelope().data());
    }

    @Test
    void anOperatorThatMayPublishTheTypeButNotWithItsSourceReadsThemMasked() {
        stored("evt-1", "card.charged");

        assertEquals(
                "***",
                queries.find(OPERATOR_OF_OTHERS, "evt-1").envelope().data().getString("card"));
    }

    @Test
    void searchHitsAreMaskedForTheViewerAndForAnUnknownViewer() {
        stored("evt-1", "card.charged");

        assertEquals(
                "***",
                queries.search(OPERATOR, null, null, null, null, null, null, 0, 10)
                        .events()
                        .get(0)
                        .event()
                        .envelope()
                        .data()
                        .getString("card"));
        assertEquals(
                DATA,
                queries.search(CLEARED, null, null, null, null, null, null, 0, 10)
                        .events()
                        .get(0)
                        .event()
                        .envelope()
                        .data());
        assertEquals(
                "***",
                queries.search(null, null, null, null, null, 0, 10)
                        .events()
                        .get(0)
                        .event()
                        .envelope()
                        .data()
                        .getString("card"),
                "a search that does not name its viewer masks");
    }

    @Test
    void anEventWithoutSensitiveFieldsIsTheStoredOne() {
        stored("evt-2", "order.placed");

        StoredEvent stored = fixture.rows.get("evt-2");
        assertEquals(
                new EventView(stored.envelope(), stored.receipt(), stored.relayed(), null),
                queries.find(OPERATOR, "evt-2"));
    }
}
