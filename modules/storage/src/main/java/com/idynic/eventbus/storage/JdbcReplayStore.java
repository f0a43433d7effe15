package com.idynic.eventbus.storage;

import com.idynic.eventbus.storage.internal.Rows;
import com.idynic.eventbus.subscribers.Filter;
import com.idynic.eventbus.subscribers.spi.ReplayStore;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonValue;
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

/** Replay jobs in {@code eb_replay} and paged reads of the event history by publish sequence. */
@ApplicationScoped
public class JdbcReplayStore implements ReplayStore {
    private static final String COLUMNS = "id, subscription_id, from_position, to_time, event_types, rate_per_second,"
            + " state, total, done, last_seq, error, created_at, updated_at, source, read_from";

    @Resource(lookup = "jdbc/eventbus")
    DataSource ds;

    @Override
    public void create(Job j) {
        Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement("insert into eb_replay (id, subscription_id, from_position,"
                    + " to_time, event_types, rate_per_second, state, total, done, last_seq, source)"
                    + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
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
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public void progress(String id, String state, long total, long done, long lastSeq, String error) {
        Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement("update eb_replay set state = ?, total = ?, done = ?,"
                    + " last_seq = ?, error = ?, updated_at = now() where id = ?")) {
                ps.setString(1, state);
                ps.setLong(2, total);
                ps.setLong(3, done);
                ps.setLong(4, lastSeq);
                ps.setString(5, error);
                ps.setString(6, id);
                return ps.executeUpdate();
            }
        });
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
                ps.setTimestamp(1, Timestamp.from(to == null ? Instant.now() : to));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    @Override
    public List<Row> page(long afterSeq, long upToSeq, int limit) {
        return Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement("select seq, payload, content_hash, receipt, accepted_at"
                    + " from eb_event where seq > ? and seq <= ? order by seq limit ?")) {
                ps.setLong(1, afterSeq);
                ps.setLong(2, upToSeq);
                ps.setInt(3, limit);
                List<Row> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Row(
                                rs.getLong(1),
                                Rows.event(
                                                rs.getString(2),
                                                rs.getString(3),
                                                rs.getString(4),
                                                rs.getObject(5, OffsetDateTime.class),
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
     * partition's index on {@code seq} or on {@code (event_type, accepted_at)}.
     */
    @Override
    public long countUpTo(
            long afterSeq, long upToSeq, List<String> selectors, List<String> narrowedTo, Filter filter, long cap) {
        StringBuilder where = new StringBuilder("e.seq > ? and e.seq <= ?");
        List<Object> params = new ArrayList<>(List.of(afterSeq, upToSeq));
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
        params.add(cap + 1);
        String sql = "select count(*) from (select 1 from eb_event e where " + where + " limit ?) capped";
        return Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < params.size(); i++) {
                    if (params.get(i) instanceof String[] texts) {
                        ps.setArray(i + 1, c.createArrayOf("text", texts));
                    } else {
                        ps.setObject(i + 1, params.get(i));
                    }
                }
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
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
