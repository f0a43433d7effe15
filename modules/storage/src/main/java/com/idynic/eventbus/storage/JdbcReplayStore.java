package com.idynic.eventbus.storage;

import com.idynic.eventbus.storage.internal.Rows;
import com.idynic.eventbus.subscribers.Filter;
import com.idynic.eventbus.subscribers.spi.ReplayStore;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Replay jobs in {@code eb_replay} and paged reads of the event history by publish sequence. A partial
 * unique index lets one job per subscription be running (V015).
 */
@ApplicationScoped
public class JdbcReplayStore implements ReplayStore {
    private static final String RUNNING_OF =
            "select " + ReplayJobRow.COLUMNS + " from eb_replay where subscription_id = ? and state = 'running'";
    private static final String PROGRESS = "update eb_replay set state = ?, total = ?, done = ?, last_seq = ?,"
            + " error = ?, updated_at = now() where id = ? and state = 'running'";
    private static final String CANCEL = "update eb_replay set state = 'cancelled', error = ?, updated_at = now()"
            + " where subscription_id = ? and state = 'running'";
    private static final String EVENT_COLUMNS = "e.seq, e.payload, e.content_hash, e.receipt, e.accepted_at";

    @Resource(lookup = "jdbc/eventbus", shareable = false)
    DataSource ds;

    /** Inserts unless the subscription has a running job; a job that ends meanwhile lets the insert try again. */
    @Override
    public Optional<Job> create(Job j) {
        for (int attempt = 0; attempt < 3; attempt++) {
            boolean stored = Jdbc.autoCommit(ds, c -> {
                try (PreparedStatement ps = c.prepareStatement(ReplayJobRow.INSERT)) {
                    ReplayJobRow.bind(ps, j);
                    return ps.executeUpdate() == 1;
                }
            });
            if (stored) {
                return Optional.empty();
            }
            Optional<Job> running = runningOf(j.subscriptionId());
            if (running.isPresent()) {
                return running;
            }
        }
        throw new IllegalStateException("replay " + j.id() + " could not be stored (its id is taken)");
    }

    private Optional<Job> runningOf(String subscriptionId) {
        return Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement(RUNNING_OF)) {
                ps.setString(1, subscriptionId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(ReplayJobRow.job(rs)) : Optional.<Job>empty();
                }
            }
        });
    }

    @Override
    public boolean progress(String id, String state, long total, long done, long lastSeq, String error) {
        return Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement(PROGRESS)) {
                ps.setString(1, state);
                ps.setLong(2, total);
                ps.setLong(3, done);
                ps.setLong(4, lastSeq);
                ps.setString(5, error);
                ps.setString(6, id);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public int cancel(String subscriptionId, String reason) {
        return Jdbc.autoCommit(ds, c -> cancel(c, subscriptionId, reason));
    }

    /** Cancels the subscription's running jobs on {@code c}, e.g. in the transaction that deletes it. */
    static int cancel(Connection c, String subscriptionId, String reason) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(CANCEL)) {
            ps.setString(1, reason);
            ps.setString(2, subscriptionId);
            return ps.executeUpdate();
        }
    }

    @Override
    public Optional<Job> find(String id) {
        return Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("select " + ReplayJobRow.COLUMNS + " from eb_replay where id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(ReplayJobRow.job(rs)) : Optional.<Job>empty();
                }
            }
        });
    }

    @Override
    public void readingFrom(String id, String readFrom) {
        Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement("update eb_replay set read_from = ? where id = ?")) {
                ps.setString(1, readFrom);
                ps.setString(2, id);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public boolean relayedUpTo(long upToSeq) {
        return Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement("select not exists (select 1 from eb_outbox o"
                    + " join eb_event e on e.id = o.event_id where e.seq <= ?)")) {
                ps.setLong(1, upToSeq);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getBoolean(1);
                }
            }
        });
    }

    @Override
    public Optional<Instant> acceptedAfter(long afterSeq) {
        return Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("select accepted_at from eb_event where seq > ? order by seq limit 1")) {
                ps.setLong(1, afterSeq);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(ReplayJobRow.instant(rs, "accepted_at")) : Optional.<Instant>empty();
                }
            }
        });
    }

    @Override
    public List<Job> claimRunnable(String owner) {
        return Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement("update eb_replay set owner = ?, updated_at = now()"
                    + " where state = 'running' and (owner is null or owner = ? or updated_at < now() - interval '30 seconds')"
                    + " returning " + ReplayJobRow.COLUMNS)) {
                ps.setString(1, owner);
                ps.setString(2, owner);
                List<Job> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(ReplayJobRow.job(rs));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public long seqBefore(String from) {
        return Jdbc.autoCommit(ds, c -> {
            if ("earliest".equals(from)) {
                return 0L;
            }
            boolean time = from.matches("\\d{4}-.*");
            String sql = time
                    ? "select coalesce(min(seq), (select coalesce(max(seq), 0) + 1 from eb_event)) - 1 from eb_event"
                            + " where accepted_at >= ?"
                    : "select seq - 1 from eb_event where id = ?";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                if (time) {
                    ps.setObject(1, OffsetDateTime.parse(from));
                } else {
                    ps.setString(1, from);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : -1L;
                }
            }
        });
    }

    @Override
    public long seqUpTo(Instant to) {
        return Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("select coalesce(max(seq), 0) from eb_event where accepted_at < ?")) {
                ps.setTimestamp(1, Timestamp.from(to));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /**
     * The selection of {@link #countUpTo} in sequence order: with event-type selectors PostgreSQL reads each
     * day partition's {@code (event_type, accepted_at, seq)} index and only the selected rows.
     */
    @Override
    public List<Row> page(
            long afterSeq, long upToSeq, List<String> selectors, List<String> narrowedTo, Filter filter, int limit) {
        List<Object> params = new ArrayList<>();
        String where = ReplaySelection.where(afterSeq, upToSeq, selectors, narrowedTo, filter, params);
        params.add(limit);
        String sql = "select " + EVENT_COLUMNS + " from eb_event e where " + where + " order by e.seq limit ?";
        return Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ReplaySelection.bind(c, ps, params);
                List<Row> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Row(
                                rs.getLong("seq"),
                                Rows.event(
                                                rs.getString("payload"),
                                                rs.getString("content_hash"),
                                                rs.getString("receipt"),
                                                rs.getObject("accepted_at", OffsetDateTime.class),
                                                true)
                                        .envelope()));
                    }
                }
                return out;
            }
        });
    }

    /**
     * The selection in SQL (event types as {@code EventTypes.matches} reads them, the filter's source and
     * data conditions) under a {@code limit}, so at most {@code cap + 1} rows are read, through each day
     * partition's index on {@code seq} or on {@code (event_type, accepted_at, seq)}.
     */
    @Override
    public long countUpTo(
            long afterSeq, long upToSeq, List<String> selectors, List<String> narrowedTo, Filter filter, long cap) {
        List<Object> params = new ArrayList<>();
        String where = ReplaySelection.where(afterSeq, upToSeq, selectors, narrowedTo, filter, params);
        params.add(cap + 1);
        String sql = "select count(*) from (select 1 from eb_event e where " + where + " limit ?) capped";
        return Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ReplaySelection.bind(c, ps, params);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }
}
