package com.idynic.eventbus.storage;

import com.idynic.eventbus.subscribers.Subscription;
import com.idynic.eventbus.subscribers.SubscriptionJson;
import com.idynic.eventbus.subscribers.spi.SubscriptionStore;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.Json;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Subscriptions in {@code eb_subscription}: the full spec as JSON, plus the columns the SQL needs
 * (ordering for leasing, state); selectors also stored comma-separated (they cannot contain commas).
 */
@ApplicationScoped
public class JdbcSubscriptionStore implements SubscriptionStore {
    private static final String COLUMNS = "id, owner, event_types, target_type, ordering, state, spec, disabled_reason";

    @Resource(lookup = "jdbc/eventbus")
    DataSource ds;

    @Override
    public boolean upsert(Subscription s) {
        return Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement("insert into eb_subscription (" + COLUMNS
                    + ") values (?, ?, ?, ?, ?, ?, ?, ?) on conflict (id) do update set owner = excluded.owner,"
                    + " event_types = excluded.event_types, target_type = excluded.target_type,"
                    + " ordering = excluded.ordering, state = excluded.state, spec = excluded.spec,"
                    + " disabled_reason = excluded.disabled_reason, updated_at = now()"
                    + " returning (xmax = 0) as inserted")) {
                ps.setString(1, s.id());
                ps.setString(2, s.owner());
                ps.setString(3, String.join(",", s.eventTypes()));
                ps.setString(4, s.target().type());
                ps.setString(5, s.ordering());
                ps.setString(6, s.state());
                ps.setString(7, SubscriptionJson.write(s, true).toString());
                ps.setString(8, s.disabledReason());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getBoolean(1);
                }
            }
        });
    }

    @Override
    public Optional<Subscription> find(String id) {
        List<Subscription> found = query("select " + COLUMNS + " from eb_subscription where id = ?", id);
        return found.stream().findFirst();
    }

    @Override
    public List<Subscription> all() {
        return query("select " + COLUMNS + " from eb_subscription order by id", null);
    }

    @Override
    public boolean delete(String id) {
        return Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement("delete from eb_subscription where id = ?")) {
                ps.setString(1, id);
                return ps.executeUpdate() > 0;
            }
        });
    }

    private List<Subscription> query(String sql, String param) {
        return Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                if (param != null) {
                    ps.setString(1, param);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    List<Subscription> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(row(rs));
                    }
                    return out;
                }
            }
        });
    }

    private static Subscription row(ResultSet rs) throws SQLException {
        String spec = rs.getString(7);
        if (spec == null) {
            return Subscription.pull(
                            rs.getString(1),
                            rs.getString(2),
                            Arrays.asList(rs.getString(3).split(",")))
                    .withState(rs.getString(6), rs.getString(8));
        }
        try (JsonReader r = Json.createReader(new StringReader(spec))) {
            return SubscriptionJson.read(rs.getString(1), r.readObject()).withState(rs.getString(6), rs.getString(8));
        }
    }
}
