package com.idynic.eventbus.client.internal;

import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.ErrorCode;
import com.idynic.eventbus.schema.Compatibility;
import com.idynic.eventbus.schema.SchemaVersion;
import com.idynic.eventbus.schema.spi.SchemaStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The bus's schema registry, read-only, straight from its tables: a co-deployed publisher validates
 * against exactly the versions the bus's HTTP API validates against. Registering stays with the bus.
 */
public final class RegisteredSchemas implements SchemaStore {
    private final DataSource ds;

    /** @param ds the bus's server-level DataSource */
    public RegisteredSchemas(DataSource ds) {
        this.ds = ds;
    }

    @Override
    public List<SchemaVersion> versions(String eventType) {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("select version, schema, deprecated, created_at"
                        + " from eb_schema where event_type = ? order by version")) {
            ps.setString(1, eventType);
            List<SchemaVersion> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new SchemaVersion(
                            eventType,
                            rs.getInt(1),
                            rs.getString(2),
                            rs.getBoolean(3),
                            rs.getObject(4, OffsetDateTime.class).toInstant()));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new BusException(
                    ErrorCode.STORAGE_UNAVAILABLE,
                    "The schema registry is unavailable: " + e.getMessage(),
                    Map.of("sqlState", String.valueOf(e.getSQLState())));
        }
    }

    @Override
    public List<String> types() {
        throw readOnly();
    }

    @Override
    public int add(String eventType, String schema) {
        throw readOnly();
    }

    @Override
    public boolean deprecate(String eventType, int version) {
        throw readOnly();
    }

    @Override
    public Optional<Compatibility> compatibility(String eventType) {
        throw readOnly();
    }

    @Override
    public void setCompatibility(String eventType, Compatibility mode) {
        throw readOnly();
    }

    private static UnsupportedOperationException readOnly() {
        return new UnsupportedOperationException("schemas are registered through the bus's API");
    }
}
