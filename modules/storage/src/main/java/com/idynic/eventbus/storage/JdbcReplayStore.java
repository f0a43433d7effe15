package com.idynic.eventbus.storage;

import com.idynic.eventbus.storage.internal.Rows;
import com.idynic.eventbus.subscribers.Filter;
import com.idynic.eventbus.subscribers.spi.ReplayStore;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonValue;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Replay jobs in {@code eb_replay} and paged reads of the event history by publish sequence. A partial
 * unique index lets one job per subscription be running (V015).
 */
@ApplicationScoped
public class JdbcReplayStore implements ReplayStore {
    private static final String COLUMNS = "id, subscription_id, from_position, to_time, event_types, rate_per_second,"
            + " state, total, done, last_seq, error, created_at, updated_at, source, read_from";
    private static final String INSERT = "insert into eb_replay (id, subscription_id, from_position, to_time,"
            + " event_types, rate_per_second, state, total, done, last_seq, source)"
            + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing";
    private static final String RUNNING_OF =
            "select " + COLUMNS + " from eb_replay where subscription_id = ? and state = 'running'";
    private static final String PROGRESS = "update eb_replay set state = ?, total = ?, done = ?, last_seq = ?,"
            + " error = ?, updated_at = now() where id = ? and state = 'running'";
    private static final String CANCEL = "update eb_replay set state = 'cancelled', error = ?, updated_at = now()"
            + " where subscription_id = ? and state = 'running'";
    private static final String EVENT_COLUMNS = "e.seq, e.payload, e.content_hash, e.receipt, e.accepted_at";

    @Resource(lookup = "jdbc/eventbus")
    DataSource ds;

    /** Inserts unless the subscription has a running job; a job that ends meanwhile lets the insert try again. */
    @Override
    public Optional<Job> create(Job j) {
        for (int attempt = 0; attempt < 3; attempt++) {
            boolean stored = Jdbc.autoCommit(ds, c -> {
                try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                    ps.setString(1, j.id());
                    ps.setString(2, j.subscriptionId());
                    ps.setString(3, j.from());
                    ps.setTimestamp(4, j.to() == null ? null : Timestamp.from(j.to()));
                    ps.setString(5, String.join(",", j.eventTypes()));
                    ps.setDouble(6, j.ratePerSecond());
                    ps.setString(7, j.state());
                    ps.setLong(8, j.total());
                    ps.setLong(9, j.done());
                    ps.setLong(10, j.lastSeq());
                    ps.setString(11, j.source());
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
                    return rs.next() ? Optional.of(job(rs)) : Optional.<Job>empty();
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
            try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from eb_replay where id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(job(rs)) : Optional.<Job>empty();
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
                    return rs.next() ? Optional.of(instant(rs, 1)) : Optional.<Instant>empty();
                }
            }
        });
    }

    @Override
    public List<Job> claimRunnable(String owner) {
        return Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement("update eb_replay set owner = ?, updated_at = now()"
                    + " where state = 'running' and (owner is null or owner = ? or updated_at < now() - interval '30 seconds')"
                    + " returning " + COLUMNS)) {
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
        String where = selection(afterSeq, upToSeq, selectors, narrowedTo, filter, params);
        params.add(limit);
        String sql = "select " + EVENT_COLUMNS + " from eb_event e where " + where + " order by e.seq limit ?";
        return Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind(c, ps, params);
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
        String where = selection(afterSeq, upToSeq, selectors, narrowedTo, filter, params);
        params.add(cap + 1);
        String sql = "select count(*) from (select 1 from eb_event e where " + where + " limit ?) capped";
        return Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind(c, ps, params);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /** @return the condition on {@code eb_event e} that selects what a replay queues; adds its parameters */
    private static String selection(
            long afterSeq,
            long upToSeq,
            List<String> selectors,
            List<String> narrowedTo,
            Filter filter,
            List<Object> params) {
        StringBuilder where = new StringBuilder("e.seq > ? and e.seq <= ?");
        params.add(afterSeq);
        params.add(upToSeq);
        selecting(selectors, where, params);
        if (!narrowedTo.isEmpty()) {
            selecting(narrowedTo, where, params);
        }
        if (filter.source() != null) {
            where.append(" and e.source = ?");
            params.add(filter.source());
        }
        for (Map.Entry<String, JsonValue> condition : filter.data().entrySet()) {
            String[] path = dataPath(condition.getKey());
            if (path == null) {
                where.append(" and false");
            } else {
                where.append(" and (e.payload::json #> ?)::jsonb = ?::jsonb");
                params.add(path);
                params.add(condition.getValue().toString());
            }
        }
        return where.toString();
    }

    private static void bind(Connection c, PreparedStatement ps, List<Object> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            if (params.get(i) instanceof String[] texts) {
                ps.setArray(i + 1, c.createArrayOf("text", texts));
            } else {
                ps.setObject(i + 1, params.get(i));
            }
        }
    }

    /** Adds "one of the selectors selects the type": {@code *} all, {@code prefix.*} a prefix, else one type. */
    private static void selecting(List<String> selectors, StringBuilder where, List<Object> params) {
        if (selectors.contains("*")) {
            return;
        }
        List<String> types = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        for (String s : selectors) {
            if (s.endsWith(".*")) {
                String prefix = s.substring(0, s.length() - 1);
                prefixes.add(prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
            } else {
                types.add(s);
            }
        }
        if (types.isEmpty() && prefixes.isEmpty()) {
            where.append(" and false");
        } else if (prefixes.isEmpty()) {
            where.append(" and e.event_type = any(?)");
            params.add(types.toArray(String[]::new));
        } else if (types.isEmpty()) {
            where.append(" and e.event_type like any(?)");
            params.add(prefixes.toArray(String[]::new));
        } else {
            where.append(" and (e.event_type = any(?) or e.event_type like any(?))");
            params.add(types.toArray(String[]::new));
            params.add(prefixes.toArray(String[]::new));
        }
    }

    /** @return the path of a JSON pointer into the stored envelope's {@code data}, or null for no pointer */
    private static String[] dataPath(String pointer) {
        if (!pointer.isEmpty() && !pointer.startsWith("/")) {
            return null;
        }
        String[] tokens =
                pointer.isEmpty() ? new String[0] : pointer.substring(1).split("/", -1);
        String[] path = new String[tokens.length + 1];
        path[0] = "data";
        for (int i = 0; i < tokens.length; i++) {
            path[i + 1] = tokens[i].replace("~1", "/").replace("~0", "~");
        }
        return path;
    }

    private static Job job(ResultSet rs) throws SQLException {
        String types = rs.getString(5);
        return new Job(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                instant(rs, 4),
                types == null || types.isEmpty() ? List.of() : Arrays.asList(types.split(",")),
                rs.getDouble(6),
                rs.getString(7),
                rs.getLong(8),
                rs.getLong(9),
                rs.getLong(10),
                rs.getString(11),
                instant(rs, 12),
                instant(rs, 13),
                rs.getString(14),
                rs.getString(15));
    }

    private static Instant instant(ResultSet rs, int col) throws SQLException {
        OffsetDateTime t = rs.getObject(col, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
