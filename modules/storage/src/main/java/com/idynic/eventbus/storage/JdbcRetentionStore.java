package com.idynic.eventbus.storage;

import com.idynic.eventbus.broker.spi.RetentionPolicy;
import com.idynic.eventbus.broker.spi.RetentionStore;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Retention policies in {@code eb_retention_policy}; removal in steps that each run in a transaction with a
 * {@code statement_timeout}, through the index on {@code eb_event (event_type, accepted_at, seq)}.
 */
@ApplicationScoped
public class JdbcRetentionStore implements RetentionStore {
    /**
     * One batch: a page of the type's history (keyset on acceptance time and sequence, so events kept
     * because they are owed are looked at once per run, not once per batch), minus what is owed.
     */
    private static final String PURGE =
            """
            with page as (
              select e.id, e.accepted_at, e.seq from eb_event e
              where e.event_type = ?%s
                and e.accepted_at <= ? and (e.accepted_at, e.seq) < (?, ?)
              order by e.accepted_at, e.seq
              limit ?),
            doomed as (
              select p.id, p.accepted_at from page p
              where not exists (select 1 from eb_outbox o where o.event_id = p.id)
                and not exists (select 1 from eb_delivery d where d.event_id = p.id
                                and d.state in ('PENDING', 'LEASED', 'DEAD'))),
            finished as (delete from eb_delivery d using doomed where d.event_id = doomed.id
                         and d.state in ('DELIVERED', 'DISCARDED')),
            moved as (delete from eb_delivery_history h using doomed
                      where h.event_id = doomed.id and h.accepted_at = doomed.accepted_at),
            tries as (delete from eb_delivery_attempt a using doomed
                      where a.event_id = doomed.id and a.accepted_at = doomed.accepted_at),
            keys as (delete from eb_idempotency k using doomed where k.event_id = doomed.id),
            ids as (delete from eb_event_id i using doomed where i.id = doomed.id),
            gone as (delete from eb_event e using doomed
                     where e.id = doomed.id and e.accepted_at = doomed.accepted_at returning 1)
            select (select count(*) from page) as examined, (select count(*) from gone) as removed,
                   last.accepted_at, last.seq
            from (select 1) one
            left join (select accepted_at, seq from page order by accepted_at desc, seq desc limit 1) last on true""";

    private static final String PAST = " and e.accepted_at >= ? and (e.accepted_at, e.seq) > (?, ?)";
    private static final String NTH_NEWEST = "select e.accepted_at, e.seq from eb_event e where e.event_type = ?%s"
            + " order by e.accepted_at desc, e.seq desc offset ? limit 1";
    private static final String BELOW = " and e.accepted_at <= ? and (e.accepted_at, e.seq) < (?, ?)";

    /** A delivery that became owed (a replay) while a batch ran makes its id delete fail; the batch is retried. */
    private static final int FOREIGN_KEY_RETRIES = 3;

    @Resource(lookup = "jdbc/eventbus", shareable = false)
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
    public Batch purge(String eventType, Position after, Position before, int limit, Duration statementTimeout) {
        String sql = String.format(PURGE, after == null ? "" : PAST);
        for (int attempt = 1; ; attempt++) {
            try {
                return StatementLimit.inTransaction(ds, statementTimeout, c -> {
                    try (PreparedStatement ps = c.prepareStatement(sql)) {
                        int i = 1;
                        ps.setString(i++, eventType);
                        if (after != null) {
                            i = setBound(ps, i, after);
                        }
                        i = setBound(ps, i, before);
                        ps.setInt(i, limit);
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            OffsetDateTime lastAt = rs.getObject("accepted_at", OffsetDateTime.class);
                            return new Batch(
                                    rs.getInt("examined"),
                                    rs.getInt("removed"),
                                    lastAt == null ? null : new Position(lastAt.toInstant(), rs.getLong("seq")));
                        }
                    }
                });
            } catch (StorageException e) {
                if (attempt >= FOREIGN_KEY_RETRIES || !"23503".equals(StatementLimit.sqlState(e))) {
                    throw e;
                }
            }
        }
    }

    @Override
    public Optional<Position> nthNewest(String eventType, Position before, long n, Duration statementTimeout) {
        return StatementLimit.inTransaction(ds, statementTimeout, c -> {
            try (PreparedStatement ps = c.prepareStatement(String.format(NTH_NEWEST, before == null ? "" : BELOW))) {
                int i = 1;
                ps.setString(i++, eventType);
                if (before != null) {
                    i = setBound(ps, i, before);
                }
                ps.setLong(i, n - 1);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next()
                            ? Optional.of(new Position(
                                    rs.getObject("accepted_at", OffsetDateTime.class)
                                            .toInstant(),
                                    rs.getLong("seq")))
                            : Optional.<Position>empty();
                }
            }
        });
    }

    @Override
    public Optional<String> eventTypeAfter(String after, Duration statementTimeout) {
        return StatementLimit.inTransaction(ds, statementTimeout, c -> {
            try (PreparedStatement ps = c.prepareStatement("select event_type from eb_event"
                    + (after == null ? "" : " where event_type > ?") + " order by event_type limit 1")) {
                if (after != null) {
                    ps.setString(1, after);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString("event_type")) : Optional.<String>empty();
                }
            }
        });
    }

    /** Sets {@code at.acceptedAt} twice (a plain bound lets the planner skip partitions) and {@code at.seq}. */
    private static int setBound(PreparedStatement ps, int i, Position at) throws SQLException {
        OffsetDateTime t = at.acceptedAt().atOffset(ZoneOffset.UTC);
        ps.setObject(i, t);
        ps.setObject(i + 1, t);
        ps.setLong(i + 2, at.seq());
        return i + 3;
    }

    @Override
    public int ensurePartitions(int daysAhead) {
        return DayPartitions.ensure(ds, daysAhead);
    }

    @Override
    public List<LocalDate> daysBefore(Instant cutoff) {
        return DayPartitions.before(ds, cutoff);
    }

    @Override
    public Optional<Map<String, Long>> dropDay(LocalDate day, Duration statementTimeout) {
        return DayPartitions.drop(ds, day, statementTimeout);
    }
}
