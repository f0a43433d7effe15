package com.idynic.eventbus.storage;

import com.idynic.eventbus.broker.spi.RetentionPolicy;
import com.idynic.eventbus.broker.spi.RetentionStore;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/** Retention policies in {@code eb_retention_policy}; removal in batches of one short statement each. */
@ApplicationScoped
public class JdbcRetentionStore implements RetentionStore {
    private static final Logger LOG = Logger.getLogger(JdbcRetentionStore.class.getName());
    private static final String PURGE =
            """
            with doomed as (
              select e.id from eb_event e
              where %s
                and (e.accepted_at < now() - (? * interval '1 second')
                     or (?::bigint is not null and e.seq <= (select x.seq from eb_event x where x.event_type = e.event_type
                                                  order by x.seq desc offset ? limit 1)))
                and not exists (select 1 from eb_outbox o where o.event_id = e.id)
                and not exists (select 1 from eb_delivery d where d.event_id = e.id
                                and d.state in ('PENDING', 'LEASED', 'DEAD'))
              limit ?),
            finished as (delete from eb_delivery d using doomed where d.event_id = doomed.id
                         and d.state in ('DELIVERED', 'DISCARDED')),
            keys as (delete from eb_idempotency k using doomed where k.event_id = doomed.id),
            ids as (delete from eb_event_id i using doomed where i.id = doomed.id)
            delete from eb_event e using doomed where e.id = doomed.id""";

    private static final Pattern DAY_PARTITION = Pattern.compile("eb_event_p(\\d{8})");
    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;
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

    @Resource(lookup = "jdbc/eventbus")
    DataSource ds;

    @Override
    public List<RetentionPolicy> policies() {
        return Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                            "select event_type, max_age_seconds, max_count from eb_retention_policy order by event_type");
                    ResultSet rs = ps.executeQuery()) {
                List<RetentionPolicy> out = new ArrayList<>();
                while (rs.next()) {
                    long count = rs.getLong(3);
                    out.add(new RetentionPolicy(
                            rs.getString(1), Duration.ofSeconds(rs.getLong(2)), rs.wasNull() ? null : count));
                }
                return out;
            }
        });
    }

    @Override
    public void save(RetentionPolicy p) {
        Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "insert into eb_retention_policy (event_type,"
                            + " max_age_seconds, max_count) values (?, ?, ?) on conflict (event_type) do update set"
                            + " max_age_seconds = excluded.max_age_seconds, max_count = excluded.max_count, updated_at = now()")) {
                ps.setString(1, p.eventType());
                ps.setLong(2, p.maxAge().toSeconds());
                if (p.maxCount() == null) {
                    ps.setNull(3, Types.BIGINT);
                } else {
                    ps.setLong(3, p.maxCount());
                }
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public boolean delete(String eventType) {
        return Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement("delete from eb_retention_policy where event_type = ?")) {
                ps.setString(1, eventType);
                return ps.executeUpdate() > 0;
            }
        });
    }

    @Override
    public int purge(String eventType, Duration maxAge, Long maxCount, int batch) {
        String where = eventType == null
                ? "e.event_type not in (select event_type from eb_retention_policy)"
                : "e.event_type = ?";
        return Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement(String.format(PURGE, where))) {
                int i = 1;
                if (eventType != null) {
                    ps.setString(i++, eventType);
                }
                ps.setLong(i++, maxAge.toSeconds());
                if (maxCount == null) {
                    ps.setNull(i++, Types.BIGINT);
                    ps.setLong(i++, 0);
                } else {
                    ps.setLong(i++, maxCount);
                    ps.setLong(i++, maxCount);
                }
                ps.setInt(i, batch);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public int ensurePartitions(int daysAhead) {
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

    @Override
    public Map<String, Long> dropPartitionsBefore(Instant cutoff) {
        Map<String, Long> removed = new TreeMap<>();
        for (String partition : dayPartitions()) {
            Matcher m = DAY_PARTITION.matcher(partition);
            if (!m.matches()) {
                continue;
            }
            LocalDate day = LocalDate.parse(m.group(1), DAY);
            Timestamp lo = Timestamp.from(day.atStartOfDay(ZoneOffset.UTC).toInstant());
            Timestamp hi =
                    Timestamp.from(day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
            if (hi.toInstant().isAfter(cutoff)) {
                continue;
            }
            try {
                Map<String, Long> counts = dropDay(partition, lo, hi);
                if (counts != null) {
                    LOG.info("retention dropped partition " + partition + ": " + counts);
                    counts.forEach((type, n) -> removed.merge(type, n, Long::sum));
                }
            } catch (StorageException e) {
                LOG.warning("retention kept partition " + partition + " for now: " + e.getMessage());
            }
        }
        return removed;
    }

    private List<String> dayPartitions() {
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
     * Releases the day's ids and drops its partition in one transaction, or changes nothing: a delivery
     * that became owed meanwhile (a replay) makes the id delete fail on its foreign key and roll all back.
     * Waits at most 5 s for the lock on the event table, so publishing is never blocked for long.
     *
     * @return events removed per type, or null when the day still holds something owed
     */
    private Map<String, Long> dropDay(String partition, Timestamp lo, Timestamp hi) {
        return Jdbc.inTransaction(ds, c -> {
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
                        return null;
                    }
                }
            }
            Map<String, Long> counts = countByType(c, partition);
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
            return counts;
        });
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
