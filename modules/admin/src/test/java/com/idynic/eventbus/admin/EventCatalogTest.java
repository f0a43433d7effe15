package com.idynic.eventbus.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.idynic.eventbus.admin.spi.CatalogStore;
import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.InvalidFieldException;
import com.idynic.eventbus.broker.Masking;
import com.idynic.eventbus.schema.Compatibility;
import com.idynic.eventbus.security.Role;
import com.idynic.eventbus.security.ServiceAccount;
import jakarta.json.Json;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EventCatalogTest {
    private final CatalogFixture f = new CatalogFixture();

    @Test
    void listsEveryTypeWithSchemaPublishersAndReaders() {
        f.schema("order.placed", 2);
        f.modes.put("order.placed", Compatibility.FULL);
        f.published("order.placed", "shop", "2026-12-06T09:00:00Z", "2026-12-06T10:00:00Z", 7);
        f.published("order.placed", "legacy-shop", "2026-12-05T09:00:00Z", "2026-12-05T10:00:00Z", 2);
        f.published("user.created", "accounts", "2026-12-06T09:00:00Z", "2026-12-06T09:30:00Z", 1);
        f.subscribe("billing", "active", Map.of("order.placed", 1), "order.placed");
        f.subscribe("audit", "paused", Map.of(), "*");
        f.subscribe("mailer", "active", Map.of(), "user.*", "invoice.sent");

        List<EventCatalog.Entry> entries = f.catalog.entries();

        assertEquals(
                List.of("invoice.sent", "order.placed", "user.created"),
                entries.stream().map(EventCatalog.Entry::eventType).toList(),
                "schemas, publishers and exact selectors name the types");
        EventCatalog.Entry order = entries.get(1);
        assertEquals(Compatibility.FULL, order.compatibility());
        assertEquals(
                List.of(1, 2), order.versions().stream().map(v -> v.version()).toList());
        assertEquals(2, order.latest().version());
        assertEquals(
                List.of(
                        new EventCatalog.Publisher(
                                "legacy-shop",
                                Instant.parse("2026-12-05T09:00:00Z"),
                                Instant.parse("2026-12-05T10:00:00Z"),
                                2),
                        new EventCatalog.Publisher(
                                "shop",
                                Instant.parse("2026-12-06T09:00:00Z"),
                                Instant.parse("2026-12-06T10:00:00Z"),
                                7)),
                order.publishers());
        assertEquals(
                List.of(
                        new EventCatalog.Reader("audit", "audit-owner", "*", "latest", "paused"),
                        new EventCatalog.Reader("billing", "billing-owner", "order.placed", "1", "active")),
                order.subscribers());
        EventCatalog.Entry user = entries.get(2);
        assertNull(user.compatibility(), "no schema, no mode");
        assertNull(user.latest());
        assertEquals(
                List.of("audit:*", "mailer:user.*"),
                user.subscribers().stream()
                        .map(r -> r.subscriptionId() + ":" + r.selector())
                        .toList());
        assertEquals(List.of(), entries.get(0).publishers());
        assertEquals(1, f.flushes, "this server's counts are stored before they are read");
    }

    @Test
    void oneEntryOrWhyNot() {
        f.schema("order.placed", 1);
        assertEquals("order.placed", f.catalog.entry("order.placed").eventType());
        BusException missing = assertThrows(BusException.class, () -> f.catalog.entry("order.cancelled"));
        assertEquals("NOT_FOUND", missing.errorCode());
        InvalidFieldException bad = assertThrows(InvalidFieldException.class, () -> f.catalog.entry("order.*"));
        assertEquals("eventType", bad.details().get("field"));
        assertThrows(InvalidFieldException.class, () -> f.catalog.sample(" "));
    }

    @Test
    void sampleIsTheStoresLatestEvent() {
        CatalogStore.Sample s = new CatalogStore.Sample("e9", Instant.parse("2026-12-06T10:00:00Z"), "{\"id\":\"e9\"}");
        f.store.samples.put("order.placed", s);
        assertEquals(
                Optional.of(new CatalogSample("e9", Instant.parse("2026-12-06T10:00:00Z"), "{\"id\":\"e9\"}")),
                f.catalog.sample("order.placed"));
        assertEquals(Optional.empty(), f.catalog.sample("user.created"));
    }

    @Test
    void aSamplesSensitiveValuesAreMaskedUnlessTheViewerMayReadThem() {
        CatalogStore.Sample s = new CatalogStore.Sample(
                "e9",
                Instant.parse("2026-12-06T10:00:00Z"),
                "{\"id\":\"e9\",\"eventType\":\"order.placed\",\"source\":\"orders\","
                        + "\"data\":{\"card\":\"4111\",\"total\":5}}");
        f.store.samples.put("order.placed", s);
        EventCatalog masking = new EventCatalog(
                f.schemas,
                () -> f.subscriptions,
                f.store,
                () -> {},
                new Masking((type, data) ->
                        Json.createObjectBuilder(data).add("card", "***").build()));
        ServiceAccount operator =
                new ServiceAccount("ops", Set.of(Role.OPERATOR), List.of(), List.of(), List.of(), null, null);
        ServiceAccount cleared = new ServiceAccount(
                "auditor", Set.of(Role.OPERATOR, Role.SENSITIVE), List.of(), List.of(), List.of(), null, null);
        assertEquals(
                "{\"id\":\"e9\",\"eventType\":\"order.placed\",\"source\":\"orders\","
                        + "\"data\":{\"card\":\"***\",\"total\":5}}",
                masking.sample(operator, "order.placed").orElseThrow().json());
        assertEquals(
                new CatalogSample(s.eventId(), s.acceptedAt(), s.json()),
                masking.sample(cleared, "order.placed").orElseThrow());
        assertEquals(
                masking.sample(operator, "order.placed"),
                masking.sample(null, "order.placed"),
                "a reader not named is masked");
    }
}
