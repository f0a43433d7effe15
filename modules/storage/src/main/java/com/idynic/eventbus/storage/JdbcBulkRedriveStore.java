package com.idynic.eventbus.storage;

import com.idynic.eventbus.broker.DeadLetterFilter;
import com.idynic.eventbus.broker.spi.BulkRedriveStore;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Bulk redrive jobs in {@code eb_dead_letter_redrive} (V023). A job's range is fixed when it is stored (the
 * matching dead letters' highest delivery id); each step locks the job row, redrives the next chunk of the
 * range with {@link JdbcDeadLetterStore#REDRIVE} and moves the job's cursor, in one transaction. The start and a
 * cancel write their audit record ({@link JdbcAuditLog#insert}) in their own transaction.
 *
 * @since 0.9.0
 */
@ApplicationScoped
public class JdbcBulkRedriveStore implements BulkRedriveStore {
    private static final String COLUMNS = "id, subscription_id, event_type, error_contains, dead_from, dead_to,"
            + " rate_per_second, state, total, done, up_to_id, last_id, error, actor, created_at, updated_at";

    /** Stores the job with the range and count of the dead letters that match now (one snapshot). */
    private static final String INSERT = "insert into eb_dead_letter_redrive (id, subscription_id, event_type,"
            + " error_contains, dead_from, dead_to, rate_per_second, state, actor, total, up_to_id)"
            + " select ?, ?, ?, ?, ?, ?, ?, 'running', ?, count(*), coalesce(max(d.id), 0)"
            + JdbcDeadLetterStore.DEAD_FILTER
            + " on conflict do nothing";

    private static final String RUNNING_OF =
            "select " + COLUMNS + " from eb_dead_letter_redrive where subscription_id = ? and state = 'running'";

    private static final String LOCK = "select " + COLUMNS + " from eb_dead_letter_redrive where id = ? for update";

    private static final String NEXT = "select d.id, d.event_id" + JdbcDeadLetterStore.DEAD_FILTER
            + " and d.id > ? and d.id <= ? order by d.id limit ?";

    private static final String ADVANCE = "update eb_dead_letter_redrive set done = done + ?, last_id = ?,"
            + " state = ?, updated_at = now() where id = ?";

    @Resource(lookup = "jdbc/eventbus", shareable = false)
    DataSource ds;

    @Override
    public Optional<Job> create(Job j) {
        for (int attempt = 0; attempt < 3; attempt++) {
            boolean stored = Jdbc.inTransaction(ds, c -> {
                int n;
                try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                    DeadLetterFilter f = j.filter();
                    ps.setString(1, j.id());
                    ps.setString(2, j.subscriptionId());
                    ps.setString(3, f.eventType());
                    ps.setString(4, f.errorContains());
                    ps.setTimestamp(5, time(f.deadFrom()));
                    ps.setTimestamp(6, time(f.deadTo()));
                    ps.setDouble(7, j.ratePerSecond());
                    ps.setString(8, j.actor());
                    JdbcDeadLetterStore.deadFilter(ps, 9, j.subscriptionId(), f);
                    n = ps.executeUpdate();
                }
                if (n == 1) {
                    Job stored1 = lock(c, j.id()).orElseThrow();
                    JdbcAuditLog.insert(
                            c,
                            j.actor(),
                            "redrive-all",
                            j.subscriptionId(),
                            j.id() + " " + j.filter().describe() + " -> " + stored1.total() + " at " + j.ratePerSecond()
                                    + "/s");
                }
                return n == 1;
            });
            if (stored) {
                return Optional.empty();
            }
            Optional<Job> running = Jdbc.autoCommit(ds, c -> {
                try (PreparedStatement ps = c.prepareStatement(RUNNING_OF)) {
                    ps.setString(1, j.subscriptionId());
                    return one(ps);
                }
            });
            if (running.isPresent()) {
                return running;
            }
        }
        throw new IllegalStateException("bulk redrive " + j.id() + " could not be stored (its id is taken)");
    }

    @Override
    public Optional<Job> find(String id) {
        return Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("select " + COLUMNS + " from eb_dead_letter_redrive where id = ?")) {
                ps.setString(1, id);
                return one(ps);
            }
        });
    }

    @Override
    public List<Job> claimRunnable(String owner) {
        return Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement("update eb_dead_letter_redrive set owner = ?,"
                    + " updated_at = now() where state = 'running' and (owner is null or owner = ?"
                    + " or updated_at < now() - interval '30 seconds') returning " + COLUMNS)) {
                ps.setString(1, owner);
                ps.setString(2, owner);
                List<Job> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(job(rs));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public Step step(String id, int limit) {
        return Jdbc.inTransaction(ds, c -> {
            Optional<Job> locked = lock(c, id);
            if (locked.isEmpty() || !locked.get().running()) {
                return new Step(false, 0, locked.map(Job::done).orElse(0L), false);
            }
            Job j = locked.get();
            List<Long> ids = new ArrayList<>();
            List<String> eventIds = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(NEXT)) {
                int i = JdbcDeadLetterStore.deadFilter(ps, 1, j.subscriptionId(), j.filter());
                ps.setLong(i++, j.lastId());
                ps.setLong(i++, j.upToId());
                ps.setInt(i, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                        eventIds.add(rs.getString(2));
                    }
                }
            }
            int n = 0;
            if (!eventIds.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement(JdbcDeadLetterStore.REDRIVE + " and id = any(?)")) {
                    ps.setString(1, j.subscriptionId());
                    ps.setArray(2, c.createArrayOf("bigint", ids.toArray()));
                    n = ps.executeUpdate();
                }
            }
            long last = ids.isEmpty() ? j.lastId() : ids.get(ids.size() - 1);
            // done once the range is walked: a short chunk, or the last delivery id the job covers
            boolean finished = ids.size() < limit || last >= j.upToId();
            try (PreparedStatement ps = c.prepareStatement(ADVANCE)) {
                ps.setLong(1, n);
                ps.setLong(2, last);
                ps.setString(3, finished ? "done" : "running");
                ps.setString(4, id);
                ps.executeUpdate();
            }
            return new Step(true, n, j.done() + n, finished);
        });
    }

    @Override
    public void fail(String id, String error) {
        Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement("update eb_dead_letter_redrive set state = 'failed',"
                    + " error = ?, updated_at = now() where id = ? and state = 'running'")) {
                ps.setString(1, error);
                ps.setString(2, id);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public boolean cancel(String id, String actor) {
        return Jdbc.inTransaction(ds, c -> {
            Optional<Job> locked = lock(c, id);
            if (locked.isEmpty() || !locked.get().running()) {
                return false;
            }
            try (PreparedStatement ps = c.prepareStatement("update eb_dead_letter_redrive set state = 'cancelled',"
                    + " error = ?, updated_at = now() where id = ?")) {
                ps.setString(1, "cancelled by " + actor);
                ps.setString(2, id);
                ps.executeUpdate();
            }
            Job j = locked.get();
            JdbcAuditLog.insert(
                    c, actor, "redrive-all-cancel", j.subscriptionId(), id + " at " + j.done() + " of " + j.total());
            return true;
        });
    }

    private static Optional<Job> lock(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(LOCK)) {
            ps.setString(1, id);
            return one(ps);
        }
    }

    private static Optional<Job> one(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(job(rs)) : Optional.empty();
        }
    }

    private static Job job(ResultSet rs) throws SQLException {
        return new Job(
                rs.getString("id"),
                rs.getString("subscription_id"),
                new DeadLetterFilter(
                        rs.getString("event_type"),
                        rs.getString("error_contains"),
                        ReplayJobRow.instant(rs, "dead_from"),
                        ReplayJobRow.instant(rs, "dead_to")),
                rs.getDouble("rate_per_second"),
                rs.getString("state"),
                rs.getLong("total"),
                rs.getLong("done"),
                rs.getLong("up_to_id"),
                rs.getLong("last_id"),
                rs.getString("error"),
                rs.getString("actor"),
                ReplayJobRow.instant(rs, "created_at"),
                ReplayJobRow.instant(rs, "updated_at"));
    }

    private static Timestamp time(Instant t) {
        return t == null ? null : Timestamp.from(t);
    }
}
