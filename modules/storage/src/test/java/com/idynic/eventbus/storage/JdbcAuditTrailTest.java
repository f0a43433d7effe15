package com.idynic.eventbus.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.idynic.eventbus.admin.AuditEntry;
import com.idynic.eventbus.admin.spi.AuditReader;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The audit log's read side on a real PostgreSQL (migrated from sql/): filters, time range, keyset paging. */
class JdbcAuditTrailTest {
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static final JdbcAuditLog log = new JdbcAuditLog();
    static final JdbcAuditTrail trail = new JdbcAuditTrail();

    @BeforeAll
    static void start() throws IOException {
        JdbcDeliveryArchiveTest.start();
        log.ds = JdbcDeliveryArchiveTest.ds;
        trail.ds = JdbcDeliveryArchiveTest.ds;
    }

    @AfterAll
    static void stop() throws IOException {
        JdbcDeliveryArchiveTest.stop();
    }

    /** Writes an entry through the write port, then sets its time. */
    static void write(String actor, String action, String sub, String detail, int minute) {
        log.audit(actor, action, sub, detail);
        try (Connection c = JdbcDeliveryArchiveTest.ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("update eb_audit set at = ? where id = (select max(id) from eb_audit)")) {
            ps.setTimestamp(1, Timestamp.from(T0.plusSeconds(60L * minute)));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> shown(List<AuditEntry> entries) {
        return entries.stream()
                .map(e -> e.actor() + " " + e.action() + " " + e.subscription() + " " + e.detail() + " "
                        + e.at().toString())
                .toList();
    }

    @Test
    void entriesAreReadNewestFirstByEachFilterAndPagedById() {
        String sub = "aud-" + UUID.randomUUID().toString().substring(0, 8);
        String ops = "ops-" + sub;
        write(ops, "subscription-pause", sub, null, 0);
        write("admin", "subscription-resume", sub, null, 1);
        write(ops, "subscription-pause", sub, null, 2);
        write(ops, "key-create", null, "svc: k1", 3);

        assertEquals(
                List.of(
                        ops + " key-create null svc: k1 2026-03-01T10:03:00Z",
                        ops + " subscription-pause " + sub + " null 2026-03-01T10:02:00Z",
                        ops + " subscription-pause " + sub + " null 2026-03-01T10:00:00Z"),
                shown(trail.entries(new AuditReader.Filter(ops, null, null, null, null), 0, 10)));
        assertEquals(
                List.of(ops + " subscription-pause " + sub + " null 2026-03-01T10:02:00Z"),
                shown(trail.entries(
                        new AuditReader.Filter(
                                null, "subscription-pause", sub, T0.plusSeconds(60), T0.plusSeconds(180)),
                        0,
                        10)));

        List<AuditEntry> first = trail.entries(new AuditReader.Filter(null, null, sub, null, null), 0, 2);
        List<AuditEntry> second = trail.entries(
                new AuditReader.Filter(null, null, sub, null, null),
                first.get(1).id(),
                2);
        assertEquals(
                List.of("subscription-pause", "subscription-resume"),
                first.stream().map(AuditEntry::action).toList());
        assertEquals(
                List.of("subscription-pause"),
                second.stream().map(AuditEntry::action).toList());
        assertEquals(T0, second.get(0).at());
    }
}
