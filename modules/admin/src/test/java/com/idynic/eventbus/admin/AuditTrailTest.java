package com.idynic.eventbus.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.idynic.eventbus.admin.spi.AuditReader;
import com.idynic.eventbus.api.InvalidFieldException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading the audit log: filters, keyset paging and the refusals that name the parameter. */
class AuditTrailTest {
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    /** The log in memory, applying the filter as the database does. */
    final List<AuditEntry> log = new ArrayList<>();

    final List<AuditReader.Filter> asked = new ArrayList<>();

    final AuditReader reader = (f, before, limit) -> {
        asked.add(f);
        return log.stream()
                .filter(e -> f.actor() == null || f.actor().equals(e.actor()))
                .filter(e -> f.action() == null || f.action().equals(e.action()))
                .filter(e -> f.subscription() == null || f.subscription().equals(e.subscription()))
                .filter(e -> f.from() == null || !e.at().isBefore(f.from()))
                .filter(e -> f.to() == null || e.at().isBefore(f.to()))
                .filter(e -> before == 0 || e.id() < before)
                .sorted(Comparator.comparingLong(AuditEntry::id).reversed())
                .limit(limit)
                .toList();
    };

    final AuditTrail trail = new AuditTrail(reader);

    void entry(String actor, String action, String subscription, int minute) {
        log.add(new AuditEntry(log.size() + 1, T0.plusSeconds(60L * minute), actor, action, subscription, null));
    }

    List<Long> ids(AuditTrail.Page p) {
        return p.entries().stream().map(AuditEntry::id).toList();
    }

    @Test
    void pagesGoNewestFirstAndNextContinuesUntilTheLastPage() {
        for (int i = 0; i < 5; i++) {
            entry("ops", "subscription-pause", "billing", i);
        }

        AuditTrail.Page first = trail.page(null, null, null, null, null, 0, 2);
        AuditTrail.Page second = trail.page(null, null, null, null, null, first.next(), 2);
        AuditTrail.Page third = trail.page(null, null, null, null, null, second.next(), 2);

        assertEquals(List.of(5L, 4L), ids(first));
        assertEquals(4L, first.next());
        assertEquals(List.of(3L, 2L), ids(second));
        assertEquals(List.of(1L), ids(third));
        assertNull(third.next(), "a short page is the last");
    }

    @Test
    void filtersAreExactTrimmedAndBlankMeansAny() {
        entry("ops", "subscription-pause", "billing", 0);
        entry("admin", "subscription-pause", "billing", 1);
        entry("ops", "redrive", "billing", 2);
        entry("ops", "subscription-pause", "shipping", 3);

        assertEquals(List.of(1L), ids(trail.page(" ops ", "subscription-pause", "billing", "", " ", 0, 10)));
        assertEquals(new AuditReader.Filter("ops", "subscription-pause", "billing", null, null), asked.get(0));
        assertEquals(List.of(4L, 3L, 2L, 1L), ids(trail.page("", null, "  ", null, null, 0, 10)));
        assertEquals(new AuditReader.Filter(null, null, null, null, null), asked.get(1));
    }

    @Test
    void timeIsFromInclusiveToExclusiveWithAnyOffset() {
        entry("ops", "a", null, 0);
        entry("ops", "a", null, 1);
        entry("ops", "a", null, 2);

        AuditTrail.Page p = trail.page(null, null, null, "2026-03-01T11:01:00+01:00", "2026-03-01T10:02:00Z", 0, 10);

        assertEquals(List.of(2L), ids(p));
        assertEquals(T0.plusSeconds(60), asked.get(0).from());
    }

    @Test
    void badParametersAreRefusedNamingThemAndNothingIsRead() {
        assertField("limit", () -> trail.page(null, null, null, null, null, 0, 0));
        assertField("limit", () -> trail.page(null, null, null, null, null, 0, 501));
        assertField("before", () -> trail.page(null, null, null, null, null, -1, 10));
        assertField("from", () -> trail.page(null, null, null, "yesterday", null, 0, 10));
        assertField("to", () -> trail.page(null, null, null, null, "2026-03-01T10:00:00", 0, 10));
        assertField("to", () -> trail.page(null, null, null, "2026-03-01T10:00:00Z", "2026-03-01T10:00:00Z", 0, 10));
        assertField("actor", () -> trail.page("a".repeat(201), null, null, null, null, 0, 10));
        assertField("subscription", () -> trail.page(null, null, "s".repeat(201), null, null, 0, 10));
        assertEquals(List.of(), asked);
    }

    static void assertField(String field, org.junit.jupiter.api.function.Executable call) {
        InvalidFieldException e = assertThrows(InvalidFieldException.class, call);
        assertEquals(field, e.details().get("field"), e.getMessage());
    }
}
