package com.idynic.eventbus.storage;

import com.idynic.eventbus.security.RateLimit;
import com.idynic.eventbus.security.Role;
import com.idynic.eventbus.security.ServiceAccount;
import com.idynic.eventbus.security.spi.ApiKeyRecord;
import com.idynic.eventbus.security.spi.ServiceStore;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/** Services in {@code eb_service} (lists as comma-separated text) and key hashes in {@code eb_api_key}. */
@ApplicationScoped
public class JdbcServiceStore implements ServiceStore {
    private static final String SERVICE_COLUMNS =
            "name, roles, publish_types, subscribe_types, sources," + " rate_per_second, rate_burst, max_subscriptions";
    private static final String KEY_COLUMNS = "key_id, service, hash, created_at, expires_at, revoked_at, last_used_at";

    @Resource(lookup = "jdbc/eventbus", shareable = false)
    DataSource ds;

    @Override
    public Optional<ServiceAccount> find(String name) {
        List<ServiceAccount> found = services("select " + SERVICE_COLUMNS + " from eb_service where name = ?", name);
        return found.stream().findFirst();
    }

    @Override
    public List<ServiceAccount> list() {
        return services("select " + SERVICE_COLUMNS + " from eb_service order by name");
    }

    @Override
    public void save(ServiceAccount s) {
        Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement("insert into eb_service (" + SERVICE_COLUMNS
                    + ") values (?, ?, ?, ?, ?, ?, ?, ?) on conflict (name) do update set roles = excluded.roles,"
                    + " publish_types = excluded.publish_types, subscribe_types = excluded.subscribe_types,"
                    + " sources = excluded.sources, rate_per_second = excluded.rate_per_second,"
                    + " rate_burst = excluded.rate_burst, max_subscriptions = excluded.max_subscriptions,"
                    + " updated_at = now()")) {
                ps.setString(1, s.name());
                ps.setString(2, s.roles().stream().map(Role::id).sorted().collect(Collectors.joining(",")));
                ps.setString(3, String.join(",", s.publishTypes()));
                ps.setString(4, String.join(",", s.subscribeTypes()));
                ps.setString(5, String.join(",", s.sources()));
                if (s.rateLimit() == null) {
                    ps.setNull(6, Types.DOUBLE);
                    ps.setNull(7, Types.INTEGER);
                } else {
                    ps.setDouble(6, s.rateLimit().perSecond());
                    ps.setInt(7, s.rateLimit().burst());
                }
                ps.setObject(8, s.maxSubscriptions(), Types.INTEGER);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public void addKey(ApiKeyRecord k) {
        Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "insert into eb_api_key (key_id, service, hash, created_at, expires_at) values (?, ?, ?, ?, ?)")) {
                ps.setString(1, k.keyId());
                ps.setString(2, k.service());
                ps.setString(3, k.hash());
                ps.setTimestamp(4, Timestamp.from(k.createdAt()));
                ps.setTimestamp(5, k.expiresAt() == null ? null : Timestamp.from(k.expiresAt()));
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public Optional<ApiKeyRecord> findKey(String keyId) {
        return keys("select " + KEY_COLUMNS + " from eb_api_key where key_id = ?", keyId).stream()
                .findFirst();
    }

    @Override
    public List<ApiKeyRecord> keys(String service) {
        return keys("select " + KEY_COLUMNS + " from eb_api_key where service = ? order by created_at desc", service);
    }

    @Override
    public boolean revoke(String service, String keyId, Instant at) {
        return update(
                        "update eb_api_key set revoked_at = ? where service = ? and key_id = ? and revoked_at is null",
                        Timestamp.from(at),
                        service,
                        keyId)
                > 0;
    }

    @Override
    public void used(String keyId, Instant at) {
        update("update eb_api_key set last_used_at = ? where key_id = ?", Timestamp.from(at), keyId);
    }

    private int update(String sql, Object... params) {
        return Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < params.length; i++) {
                    ps.setObject(i + 1, params[i]);
                }
                return ps.executeUpdate();
            }
        });
    }

    private List<ServiceAccount> services(String sql, String... params) {
        return Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < params.length; i++) {
                    ps.setString(i + 1, params[i]);
                }
                List<ServiceAccount> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(service(rs));
                    }
                }
                return out;
            }
        });
    }

    private static ServiceAccount service(ResultSet rs) throws SQLException {
        double rate = rs.getDouble(6);
        RateLimit limit = rs.wasNull() ? null : new RateLimit(rate, rs.getInt(7));
        int max = rs.getInt(8);
        Integer maxSubscriptions = rs.wasNull() ? null : max;
        Set<Role> roles = list(rs.getString(2)).stream()
                .map(Role::of)
                .filter(Objects::nonNull)
                .collect(Collectors.toSet());
        return new ServiceAccount(
                rs.getString(1),
                roles,
                list(rs.getString(3)),
                list(rs.getString(4)),
                list(rs.getString(5)),
                limit,
                maxSubscriptions);
    }

    private static List<String> list(String csv) {
        return csv == null || csv.isEmpty() ? List.of() : Arrays.asList(csv.split(","));
    }

    private List<ApiKeyRecord> keys(String sql, String param) {
        return Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, param);
                List<ApiKeyRecord> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new ApiKeyRecord(
                                rs.getString(1),
                                rs.getString(2),
                                rs.getString(3).trim(),
                                instant(rs.getTimestamp(4)),
                                instant(rs.getTimestamp(5)),
                                instant(rs.getTimestamp(6)),
                                instant(rs.getTimestamp(7))));
                    }
                }
                return out;
            }
        });
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
