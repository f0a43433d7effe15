package com.idynic.eventbus.storage;

import static com.idynic.eventbus.storage.DeliverySql.fit;

import com.idynic.eventbus.admin.AlertEvent;
import com.idynic.eventbus.admin.AlertRule;
import com.idynic.eventbus.admin.spi.AlertStore;
import com.idynic.eventbus.security.SecretBox;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Alert rules ({@code eb_alert_rule}) and their history ({@code eb_alert_event}) in PostgreSQL. A state change is
 * an update conditional on the state it leaves, in one transaction with its history entry, so when several servers
 * evaluate a rule one of them records the change. Notification secrets are sealed by a {@link SecretBox} with
 * {@code alert-rule:<id>} bound in, as webhook secrets are with their subscription's id.
 *
 * @since 0.19.0
 */
public class JdbcAlertStore implements AlertStore {
    private final DataSource ds;
    private final SecretBox secrets;

    /**
     * @param secrets seals notification secrets; without a current key, storing one is refused (503)
     */
    public JdbcAlertStore(DataSource ds, SecretBox secrets) {
        this.ds = ds;
        this.secrets = secrets;
    }

    @Override
    public List<AlertRule> rules() {
        return Jdbc.autoCommit(ds, c -> AlertSql.rules(c, AlertSql.ALL_RULES, null));
    }

    @Override
    public Optional<AlertRule> rule(String id) {
        return Jdbc.autoCommit(ds, c -> AlertSql.rules(c, AlertSql.ONE_RULE, id)).stream()
                .findFirst();
    }

    @Override
    public boolean create(AlertRule rule, String secret) {
        String sealed = seal(rule.id(), secret);
        return Jdbc.autoCommit(ds, c -> AlertSql.insert(c, rule, sealed));
    }

    @Override
    public boolean replace(AlertRule r, String secret) {
        String sealed = seal(r.id(), secret);
        return Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement(AlertSql.REPLACE_RULE)) {
                ps.setString(1, r.name());
                ps.setString(2, r.metric().id());
                ps.setString(3, r.operator().symbol());
                ps.setDouble(4, r.threshold());
                ps.setString(5, r.subscription());
                ps.setLong(6, r.holdFor().toSeconds());
                ps.setBoolean(7, r.enabled());
                ps.setString(8, r.notifyUrl());
                ps.setString(9, r.notifyUrl() == null ? "" : sealed);
                ps.setString(10, r.notifyUrl() == null ? null : sealed);
                ps.setTimestamp(11, Timestamp.from(r.updatedAt()));
                ps.setString(12, r.id());
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public boolean delete(String id) {
        return Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement("delete from eb_alert_rule where id = ?")) {
                ps.setString(1, id);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public boolean seedOnce(List<AlertRule> defaults) {
        return Jdbc.inTransaction(ds, c -> {
            try (PreparedStatement lock = c.prepareStatement("lock table eb_alert_defaults in exclusive mode");
                    PreparedStatement seeded = c.prepareStatement("select 1 from eb_alert_defaults")) {
                lock.execute();
                try (ResultSet rs = seeded.executeQuery()) {
                    if (rs.next()) {
                        return false;
                    }
                }
            }
            for (AlertRule r : defaults) {
                AlertSql.insert(c, r, null);
            }
            try (PreparedStatement ps =
                    c.prepareStatement("insert into eb_alert_defaults (seeded_at) values (now())")) {
                ps.executeUpdate();
            }
            return true;
        });
    }

    @Override
    public Optional<String> secretOf(String ruleId) {
        String stored = Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "select notify_secret from eb_alert_rule where id = ? and notify_url is not null")) {
                ps.setString(1, ruleId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString("notify_secret") : null;
                }
            }
        });
        return stored == null ? Optional.empty() : Optional.of(secrets.open(stored, context(ruleId)));
    }

    @Override
    public boolean transition(Transition t) {
        return Jdbc.inTransaction(ds, c -> {
            String name;
            String subscription;
            boolean notifies;
            try (PreparedStatement ps = c.prepareStatement(AlertSql.MOVE)) {
                ps.setString(1, t.to().name());
                ps.setTimestamp(2, Timestamp.from(t.at()));
                ps.setString(3, t.ruleId());
                ps.setString(4, t.from().name());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return false;
                    }
                    name = rs.getString("name");
                    subscription = rs.getString("subscription_id");
                    notifies = rs.getBoolean("notifies");
                }
            }
            if (t.event() != null) {
                AlertRule rule =
                        AlertSql.rules(c, AlertSql.ONE_RULE, t.ruleId()).get(0);
                try (PreparedStatement ps = c.prepareStatement(AlertSql.RECORD)) {
                    ps.setString(1, t.ruleId());
                    ps.setString(2, name);
                    ps.setString(3, fit(rule.condition(), 500));
                    ps.setString(4, subscription);
                    ps.setString(5, t.event().name());
                    ps.setTimestamp(6, Timestamp.from(t.at()));
                    if (t.value() == null || !Double.isFinite(t.value())) {
                        ps.setNull(7, Types.DOUBLE);
                    } else {
                        ps.setDouble(7, t.value());
                    }
                    ps.setString(8, fit(t.message(), 4000));
                    ps.setString(9, notifies ? "PENDING" : "NONE");
                    ps.setTimestamp(10, notifies ? Timestamp.from(t.at()) : null);
                    ps.executeUpdate();
                }
            }
            return true;
        });
    }

    @Override
    public List<AlertEvent> history(String ruleId, long before, int limit) {
        return Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement(AlertSql.HISTORY)) {
                ps.setString(1, ruleId);
                ps.setString(2, ruleId);
                ps.setLong(3, before);
                ps.setLong(4, before);
                ps.setInt(5, limit);
                return AlertSql.events(ps);
            }
        });
    }

    @Override
    public List<AlertEvent> claimNotifications(Instant now, Duration lease, int max) {
        return Jdbc.inTransaction(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement(AlertSql.CLAIM)) {
                ps.setTimestamp(1, Timestamp.from(now.plus(lease)));
                ps.setTimestamp(2, Timestamp.from(now));
                ps.setInt(3, max);
                List<AlertEvent> out = AlertSql.events(ps);
                out.sort(java.util.Comparator.comparingLong(AlertEvent::id));
                return out;
            }
        });
    }

    @Override
    public void notified(long eventId, AlertEvent.Notification status, String error, Instant retryAt) {
        Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement("update eb_alert_event set notify_status = ?,"
                    + " notify_error = ?, notify_next_at = ? where id = ?")) {
                ps.setString(1, status.name());
                ps.setString(2, fit(error, 4000));
                ps.setTimestamp(3, retryAt == null ? null : Timestamp.from(retryAt));
                ps.setLong(4, eventId);
                return ps.executeUpdate();
            }
        });
    }

    private String seal(String ruleId, String secret) {
        return secret == null ? null : secrets.seal(secret, context(ruleId));
    }

    private static String context(String ruleId) {
        return "alert-rule:" + ruleId;
    }
}
