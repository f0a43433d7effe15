package com.idynic.eventbus.storage;

import com.idynic.eventbus.api.CachedJson;
import com.idynic.eventbus.security.SecretBox;
import com.idynic.eventbus.subscribers.Replays;
import com.idynic.eventbus.subscribers.Subscription;
import com.idynic.eventbus.subscribers.SubscriptionJson;
import com.idynic.eventbus.subscribers.Target;
import com.idynic.eventbus.subscribers.spi.SubscriptionStore;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Subscriptions in {@code eb_subscription}: the spec as JSON, plus the columns the SQL needs (ordering for
 * leasing, state); selectors also stored comma-separated (they cannot contain commas). A webhook's signing
 * secret is kept out of the spec, in {@code secret}, sealed by a {@link SecretBox} with the subscription id
 * bound in; a row still holding a plain secret (an older version kept it in the spec) or one sealed under an
 * old key is sealed again under the current key when it is read, so the first start with a key migrates all.
 */
public final class JdbcSubscriptionStore implements SubscriptionStore {
    private static final Logger LOG = Logger.getLogger(JdbcSubscriptionStore.class.getName());
    private static final String COLUMNS = "id, owner, event_types, target_type, ordering, state, spec, disabled_reason";
    private static final String STORED_SECRET = "coalesce(secret, spec::jsonb #>> '{target,secret}')";
    private static final String SELECT =
            "select " + COLUMNS + ", " + STORED_SECRET + " as stored_secret from eb_subscription";
    private static final String UPSERT = "insert into eb_subscription (" + COLUMNS
            + ", secret) values (?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (id) do update set owner = excluded.owner,"
            + " event_types = excluded.event_types, target_type = excluded.target_type,"
            + " ordering = excluded.ordering, state = excluded.state, spec = excluded.spec,"
            + " disabled_reason = excluded.disabled_reason, secret = case when excluded.target_type = 'webhook'"
            + " then coalesce(excluded.secret, eb_subscription.secret,"
            + " eb_subscription.spec::jsonb #>> '{target,secret}') end, updated_at = now()"
            + " returning (xmax = 0) as inserted";
    private static final String RESEAL =
            "update eb_subscription set secret = ?, spec = (spec::jsonb #- '{target,secret}')::text"
                    + " where id = ? and " + STORED_SECRET + " = ?";

    private final DataSource ds;
    private final SecretBox secrets;
    private final Set<String> unreadable = ConcurrentHashMap.newKeySet();

    /**
     * @param ds the bus database
     * @param secrets seals webhook secrets; without a current key, storing a secret is refused (503)
     */
    public JdbcSubscriptionStore(DataSource ds, SecretBox secrets) {
        this.ds = ds;
        this.secrets = secrets;
    }

    @Override
    public boolean upsert(Subscription s) {
        String secret = s.target().isPush() ? s.target().secret() : null;
        String sealed = secret == null ? null : secrets.seal(secret, s.id());
        return Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
                ps.setString(1, s.id());
                ps.setString(2, s.owner());
                ps.setString(3, String.join(",", s.eventTypes()));
                ps.setString(4, s.target().type());
                ps.setString(5, s.ordering());
                ps.setString(6, s.state());
                ps.setString(7, SubscriptionJson.write(s, false).toString());
                ps.setString(8, s.disabledReason());
                ps.setString(9, sealed);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getBoolean("inserted");
                }
            }
        });
    }

    @Override
    public Optional<Subscription> find(String id) {
        return query(SELECT + " where id = ?", id).stream().findFirst();
    }

    @Override
    public List<Subscription> all() {
        return query(SELECT + " order by id", null);
    }

    @Override
    public Optional<String> secretOf(String id) {
        return Jdbc.autoCommit(ds, c -> {
            String stored;
            try (PreparedStatement ps = c.prepareStatement(
                    "select " + STORED_SECRET + " as stored_secret from eb_subscription where id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    stored = rs.next() ? rs.getString("stored_secret") : null;
                }
            }
            if (stored == null) {
                return Optional.empty();
            }
            String plain;
            try {
                plain = secrets.open(stored, id);
            } catch (IllegalStateException e) {
                throw new IllegalStateException("subscription " + id + ": " + e.getMessage());
            }
            reseal(c, id, stored, plain);
            return Optional.of(plain);
        });
    }

    /** Cancels the subscription's running replay in the same transaction, so no server goes on queueing for it. */
    @Override
    public boolean delete(String id) {
        return Jdbc.inTransaction(ds, c -> {
            JdbcReplayStore.cancel(c, id, Replays.SUBSCRIPTION_DELETED);
            try (PreparedStatement ps = c.prepareStatement("delete from eb_subscription where id = ?")) {
                ps.setString(1, id);
                return ps.executeUpdate() > 0;
            }
        });
    }

    private List<Subscription> query(String sql, String param) {
        return Jdbc.autoCommit(ds, c -> {
            List<Subscription> out = new ArrayList<>();
            Map<String, String> stale = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                if (param != null) {
                    ps.setString(1, param);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(row(rs));
                        String stored = rs.getString("stored_secret");
                        if (stored != null && secrets.canSeal() && !secrets.isCurrent(stored)) {
                            stale.put(rs.getString("id"), stored);
                        }
                    }
                }
            }
            for (Map.Entry<String, String> e : stale.entrySet()) {
                resealReadable(c, e.getKey(), e.getValue());
            }
            return out;
        });
    }

    private void resealReadable(Connection c, String id, String stored) throws SQLException {
        String plain;
        try {
            plain = secrets.open(stored, id);
        } catch (IllegalStateException e) {
            if (unreadable.add(id)) {
                LOG.warning("cannot encrypt the webhook secret of subscription " + id + " under the current key: "
                        + e.getMessage());
            }
            return;
        }
        reseal(c, id, stored, plain);
    }

    /** Seals the secret under the current key, unless it is already or another server changed it meanwhile. */
    private void reseal(Connection c, String id, String stored, String plain) throws SQLException {
        if (!secrets.canSeal() || secrets.isCurrent(stored)) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(RESEAL)) {
            ps.setString(1, secrets.seal(plain, id));
            ps.setString(2, id);
            ps.setString(3, stored);
            if (ps.executeUpdate() > 0) {
                unreadable.remove(id);
                LOG.info("webhook secret of subscription " + id
                        + (SecretBox.isSealed(stored) ? " re-encrypted" : " encrypted") + " under key "
                        + secrets.currentKeyId().orElseThrow());
            }
        }
    }

    /** @return the subscription without its secret (the spec holds none, or an older version's plain one) */
    private static Subscription row(ResultSet rs) throws SQLException {
        String id = rs.getString("id");
        String spec = rs.getString("spec");
        Subscription s;
        if (spec == null) {
            s = Subscription.pull(
                    id,
                    rs.getString("owner"),
                    Arrays.asList(rs.getString("event_types").split(",")));
        } else {
            try (JsonReader r = CachedJson.createReader(new StringReader(spec))) {
                s = SubscriptionJson.read(id, r.readObject());
            }
        }
        Target t = s.target();
        return s.withTarget(t.withSecret(null)).withState(rs.getString("state"), rs.getString("disabled_reason"));
    }
}
