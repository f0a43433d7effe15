package com.idynic.eventbus.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * The event table's day partitions ({@code eb_event_pYYYYMMDD}) and, with each, the same day's partitions of the
 * delivery history and the attempt records ({@code eb_delivery_history_p…}, {@code eb_delivery_attempt_p…}):
 * created ahead, dropped whole once expired.
 */
final class DayPartitions {
    private static final Pattern DAY_PARTITION = Pattern.compile("eb_event_p(\\d{8})");
    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;
    private static final List<String> HISTORY_TABLES = List.of("eb_delivery_history", "eb_delivery_attempt");
    private static final String OPEN_IN_RANGE =
            """
            select exists (select 1 from eb_outbox o join eb_event_id i on i.id = o.event_id
                           where i.accepted_at >= ? and i.accepted_at < ?)
                or exists (select 1 from eb_delivery d join eb_event_id i on i.id = d.event_id
                           where i.accepted_at >= ? and i.accepted_at < ? and d.state in ('PENDING', 'LEASED', 'DEAD'))""";
    private static final String RELEASE_IDS =
            """
            with doomed as (select i.id from eb_event_id i where i.accepted_at >= ? and i.accepted_at < ?),
            finished as (delete from eb_delivery d using doomed where d.event_id = doomed.id
                         and d.state in ('DELIVERED', 'DISCARDED')),
            keys as (delete from eb_idempotency k using doomed where k.event_id = doomed.id)
            delete from eb_event_id i using doomed where i.id = doomed.id""";

    private DayPartitions() {}

    /** @return partitions created for today through {@code daysAhead} days ahead */
    static int ensure(DataSource ds, int daysAhead) {
        return Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement("select count(*) filter (where eb_event_partition("
                    + "(now() at time zone 'UTC')::date + d)) from generate_series(0, ?) d")) {
                ps.setInt(1, daysAhead);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }

    /** @return the days whose partition ends before {@code cutoff}, oldest first */
    static List<LocalDate> before(DataSource ds, Instant cutoff) {
        List<LocalDate> out = new ArrayList<>();
        for (String partition : names(ds)) {
            Matcher m = DAY_PARTITION.matcher(partition);
            if (m.matches()) {
                LocalDate day = LocalDate.parse(m.group(1), DAY);
                if (!day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().isAfter(cutoff)) {
                    out.add(day);
                }
            }
        }
        return out;
    }

    private static List<String> names(DataSource ds) {
        return Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement("select c.relname from pg_inherits i"
                            + " join pg_class c on c.oid = i.inhrelid where i.inhparent = 'eb_event'::regclass"
                            + " order by c.relname");
                    ResultSet rs = ps.executeQuery()) {
                List<String> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
                return out;
            }
        });
    }

    private static Map<String, Long> countByType(Connection c, String partition) throws SQLException {
        Map<String, Long> out = new TreeMap<>();
        try (PreparedStatement ps =
                        c.prepareStatement("select event_type, count(*) from " + partition + " group by event_type");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
        }
        return out;
    }

    /**
     * Releases the day's ids and drops its partitions in one transaction, or changes nothing: a delivery
     * that became owed meanwhile (a replay) makes the id delete fail on its foreign key and roll all back.
     * Waits at most 5 s for the lock on the event table, so publishing is never blocked for long; each
     * statement ends within {@code statementTimeout} (a day too big for that is left to the batches).
     *
     * @return events removed per type, or empty when the day still holds something owed
     */
    static Optional<Map<String, Long>> drop(DataSource ds, LocalDate day, Duration statementTimeout) {
        String partition = "eb_event_p" + day.format(DAY);
        Timestamp lo = Timestamp.from(day.atStartOfDay(ZoneOffset.UTC).toInstant());
        Timestamp hi =
                Timestamp.from(day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
        return StatementLimit.inTransaction(ds, statementTimeout, c -> {
            try (PreparedStatement ps = c.prepareStatement("set local lock_timeout = '5s'")) {
                ps.execute();
            }
            try (PreparedStatement ps = c.prepareStatement(OPEN_IN_RANGE)) {
                ps.setTimestamp(1, lo);
                ps.setTimestamp(2, hi);
                ps.setTimestamp(3, lo);
                ps.setTimestamp(4, hi);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        return Optional.<Map<String, Long>>empty();
                    }
                }
            }
            Map<String, Long> counts = countByType(c, partition);
            dropHistory(c, day);
            try (PreparedStatement ps = c.prepareStatement(RELEASE_IDS)) {
                ps.setTimestamp(1, lo);
                ps.setTimestamp(2, hi);
                ps.executeUpdate();
            }
            if (stillHasIds(c, lo, hi)) {
                throw new SQLException("ids of " + partition + " still referenced");
            }
            try (PreparedStatement ps = c.prepareStatement("drop table " + partition)) {
                ps.executeUpdate();
            }
            return Optional.of(counts);
        });
    }

    /**
     * Drops the day's history and attempt partitions (first, so that a history move waiting on them holds no row
     * the id release needs).
     */
    private static void dropHistory(Connection c, LocalDate day) throws SQLException {
        for (String parent : HISTORY_TABLES) {
            try (PreparedStatement ps = c.prepareStatement("drop table if exists " + parent + "_p" + day.format(DAY))) {
                ps.executeUpdate();
            }
        }
    }

    private static boolean stillHasIds(Connection c, Timestamp lo, Timestamp hi) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "select exists (select 1 from eb_event_id where accepted_at >= ? and accepted_at < ?)")) {
            ps.setTimestamp(1, lo);
            ps.setTimestamp(2, hi);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }
}
