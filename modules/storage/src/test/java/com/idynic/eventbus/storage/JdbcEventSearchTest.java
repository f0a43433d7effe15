package com.idynic.eventbus.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.idynic.eventbus.broker.spi.EventSearch;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Search by trace id on a real PostgreSQL migrated from {@code sql/}: the planner must know that a trace id selects a
 * handful of events, or it walks the sequence index through every stored event instead of probing the trace index
 * (2.2 s instead of 0.2 ms with a million stored events, seen in the benchmark).
 */
class JdbcEventSearchTest {
    private static final int EVENTS = 20_000;
    private static final Pattern PLAN_ROWS = Pattern.compile("\"Plan Rows\": (\\d+)");

    @BeforeAll
    static void start() throws IOException {
        JdbcDeliveryArchiveTest.start();
        // one trace per 4 events, in the stored form; then the statistics autovacuum would gather
        JdbcDeliveryArchiveTest.sql("insert into eb_event (id, event_type, source, occurred_at, traceparent, payload,"
                + " content_hash, receipt, accepted_at)"
                + " select 'trc-' || g, 'it.trace', 'svc', now(), '00-' || md5('t' || (g / 4)) || '-'"
                + " || substr(md5('s' || g), 1, 16) || '-01', json_build_object('eventType', 'it.trace', 'source',"
                + " 'svc', 'id', 'trc-' || g, 'timestamp', '2026-12-06T10:00:00.000Z', 'data',"
                + " json_build_object())::text, md5('h' || g) || md5('i' || g), 'rcpt-' || g, now()"
                + " from generate_series(0, " + (EVENTS - 1) + ") g");
        JdbcDeliveryArchiveTest.sql("analyze eb_event");
    }

    @AfterAll
    static void stop() throws IOException {
        JdbcDeliveryArchiveTest.stop();
    }

    @Test
    void thePlannerExpectsAHandfulOfEventsPerTraceIdNotAShareOfAllEvents() throws SQLException {
        try (Connection c = JdbcDeliveryArchiveTest.ds.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("explain (format json) select seq from eb_event"
                        + " where substr(traceparent, 4, 32) = md5('t7')")) {
            rs.next();
            Matcher rows = PLAN_ROWS.matcher(rs.getString(1));
            assertTrue(rows.find(), rs.getString(1));
            long expected = Long.parseLong(rows.group(1));
            // 4 events per trace; without statistics of the indexed expression the planner's guess is 0.5 % (100)
            assertTrue(expected <= 10, "estimated " + expected + " events for one trace id");
        }
    }

    @Test
    void aTraceIdFindsExactlyItsEventsInPublishOrder() {
        List<EventSearch.Hit> hits = JdbcDeliveryArchiveTest.search.search(
                new EventSearch.Criteria(null, null, null, null, null, 0, 50, md5("t7")));
        assertEquals(
                List.of("trc-28", "trc-29", "trc-30", "trc-31"),
                hits.stream().map(h -> h.event().envelope().id()).toList());
    }

    private static String md5(String s) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("MD5")
                            .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
