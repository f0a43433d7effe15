package com.idynic.eventbus.storage;

import com.idynic.eventbus.schema.Compatibility;
import com.idynic.eventbus.schema.SchemaVersion;
import com.idynic.eventbus.schema.spi.SchemaStore;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Schema versions in {@code eb_schema}; version numbers assigned under a per-type advisory lock. */
@ApplicationScoped
public class JdbcSchemaStore implements SchemaStore {
    @Resource(lookup = "jdbc/eventbus", shareable = false)
    DataSource ds;

    @Override
    public List<SchemaVersion> versions(String eventType) {
        return Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement("select event_type, version, schema, deprecated, created_at"
                    + " from eb_schema where event_type = ? order by version")) {
                ps.setString(1, eventType);
                List<SchemaVersion> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new SchemaVersion(
                                rs.getString(1),
                                rs.getInt(2),
                                rs.getString(3),
                                rs.getBoolean(4),
                                rs.getObject(5, OffsetDateTime.class).toInstant()));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public List<String> types() {
        return Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps =
                            c.prepareStatement("select distinct event_type from eb_schema order by event_type");
                    ResultSet rs = ps.executeQuery()) {
                List<String> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
                return out;
            }
        });
    }

    @Override
    public int add(String eventType, String schema) {
        return Jdbc.inTransaction(ds, c -> {
            try (PreparedStatement lock = c.prepareStatement("select pg_advisory_xact_lock(hashtext(?))")) {
                lock.setString(1, "eb_schema:" + eventType);
                lock.execute();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "insert into eb_schema (event_type, version, schema)"
                            + " select ?, coalesce(max(version), 0) + 1, ? from eb_schema where event_type = ? returning version")) {
                ps.setString(1, eventType);
                ps.setString(2, schema);
                ps.setString(3, eventType);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }

    @Override
    public boolean deprecate(String eventType, int version) {
        return Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("update eb_schema set deprecated = true where event_type = ? and version = ?")) {
                ps.setString(1, eventType);
                ps.setInt(2, version);
                return ps.executeUpdate() > 0;
            }
        });
    }

    @Override
    public Optional<Compatibility> compatibility(String eventType) {
        return Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("select compatibility from eb_schema_config where event_type = ?")) {
                ps.setString(1, eventType);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next()
                            ? Optional.of(Compatibility.valueOf(rs.getString(1)))
                            : Optional.<Compatibility>empty();
                }
            }
        });
    }

    @Override
    public void setCompatibility(String eventType, Compatibility mode) {
        Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement("insert into eb_schema_config (event_type, compatibility)"
                    + " values (?, ?) on conflict (event_type) do update set compatibility = excluded.compatibility")) {
                ps.setString(1, eventType);
                ps.setString(2, mode.name());
                return ps.executeUpdate();
            }
        });
    }
}
