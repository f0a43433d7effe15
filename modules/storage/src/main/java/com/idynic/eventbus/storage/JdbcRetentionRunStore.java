package com.idynic.eventbus.storage;

import com.idynic.eventbus.api.CachedJson;
import com.idynic.eventbus.broker.spi.RetentionRun;
import com.idynic.eventbus.broker.spi.RetentionRunStore;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.sql.DataSource;

/** Retention runs in {@code eb_retention_run}; a partial unique index lets only one be running. */
@ApplicationScoped
public class JdbcRetentionRunStore implements RetentionRunStore {
    private static final String COLUMNS =
            "id, state, started_by, removed, batches, event_type, started_at, updated_at, finished_at, error";
    private static final String START = "insert into eb_retention_run (id, state, started_by, started_at, owner)"
            + " values (?, 'RUNNING', ?, ?, ?) on conflict do nothing";
    private static final String CLAIM = "update eb_retention_run set owner = ?, updated_at = now()"
            + " where state = 'RUNNING'"
            + " and (owner is null or owner = ? or updated_at < now() - ? * interval '1 millisecond')"
            + " returning " + COLUMNS;
    private static final String RECORD = "update eb_retention_run set state = ?, removed = ?::jsonb, batches = ?,"
            + " event_type = ?, error = ?, finished_at = ?, updated_at = now() where id = ? and owner = ?";

    @Resource(lookup = "jdbc/eventbus", shareable = false)
    DataSource ds;

    @Override
    public Optional<RetentionRun> start(RetentionRun run, String owner) {
        while (true) {
            boolean stored = Jdbc.autoCommit(ds, c -> {
                try (PreparedStatement ps = c.prepareStatement(START)) {
                    ps.setString(1, run.id());
                    ps.setString(2, run.trigger());
                    ps.setObject(3, at(run.startedAt()));
                    ps.setString(4, owner);
                    return ps.executeUpdate() == 1;
                }
            });
            if (stored) {
                return Optional.empty();
            }
            Optional<RetentionRun> other = running();
            if (other.isPresent()) {
                return other;
            }
        }
    }

    @Override
    public Optional<RetentionRun> claim(String owner, Duration stale) {
        return Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement(CLAIM)) {
                ps.setString(1, owner);
                ps.setString(2, owner);
                ps.setLong(3, stale.toMillis());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(run(rs)) : Optional.<RetentionRun>empty();
                }
            }
        });
    }

    @Override
    public boolean record(RetentionRun run, String owner) {
        return Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement(RECORD)) {
                ps.setString(1, run.state().name());
                ps.setString(2, json(run.removed()));
                ps.setLong(3, run.batches());
                ps.setString(4, run.eventType());
                ps.setString(5, run.error());
                if (run.finishedAt() == null) {
                    ps.setNull(6, Types.TIMESTAMP_WITH_TIMEZONE);
                } else {
                    ps.setObject(6, at(run.finishedAt()));
                }
                ps.setString(7, run.id());
                ps.setString(8, owner);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public void release(String id, String owner) {
        Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "update eb_retention_run set owner = null where id = ? and owner = ? and state = 'RUNNING'")) {
                ps.setString(1, id);
                ps.setString(2, owner);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public Optional<RetentionRun> find(String id) {
        return one("select " + COLUMNS + " from eb_retention_run where id = ?", id);
    }

    @Override
    public Optional<RetentionRun> running() {
        return one("select " + COLUMNS + " from eb_retention_run where state = 'RUNNING'", null);
    }

    @Override
    public Optional<RetentionRun> latest() {
        return one("select " + COLUMNS + " from eb_retention_run order by started_at desc limit 1", null);
    }

    @Override
    public int forgetFinishedBefore(Instant before) {
        return Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement("delete from eb_retention_run where finished_at < ?")) {
                ps.setObject(1, at(before));
                return ps.executeUpdate();
            }
        });
    }

    private Optional<RetentionRun> one(String sql, String param) {
        return Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                if (param != null) {
                    ps.setString(1, param);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(run(rs)) : Optional.<RetentionRun>empty();
                }
            }
        });
    }

    private static RetentionRun run(ResultSet rs) throws SQLException {
        return new RetentionRun(
                rs.getString("id"),
                RetentionRun.State.valueOf(rs.getString("state")),
                rs.getString("started_by"),
                removed(rs.getString("removed")),
                rs.getLong("batches"),
                rs.getString("event_type"),
                instant(rs, "started_at"),
                instant(rs, "updated_at"),
                instant(rs, "finished_at"),
                rs.getString("error"));
    }

    private static String json(Map<String, Long> removed) {
        JsonObjectBuilder b = CachedJson.createObjectBuilder();
        removed.forEach(b::add);
        return b.build().toString();
    }

    private static Map<String, Long> removed(String json) {
        Map<String, Long> out = new TreeMap<>();
        try (JsonReader r = CachedJson.createReader(new StringReader(json))) {
            JsonObject o = r.readObject();
            o.forEach((type, n) -> out.put(type, ((JsonNumber) n).longValue()));
        }
        return out;
    }

    private static OffsetDateTime at(Instant t) {
        return t.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
