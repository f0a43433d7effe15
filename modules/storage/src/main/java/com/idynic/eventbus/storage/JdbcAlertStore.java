package com.idynic.eventbus.storage;

import static com.idynic.eventbus.storage.DeliverySql.fit;

import com.idynic.eventbus.admin.AlertEvent;
import com.idynic.eventbus.admin.AlertMetric;
import com.idynic.eventbus.admin.AlertRule;
import com.idynic.eventbus.admin.spi.AlertStore;
import com.idynic.eventbus.security.SecretBox;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
    private static final String RULE_COLUMNS = "id, name, metric, operator, threshold, subscription_id, hold_seconds,"
            + " enabled, notify_url, state, state_since, created_at, updated_at";
    private static final String EVENT_COLUMNS = "id, rule_id, rule_name, rule_condition, subscription_id, kind,"
            + " happened_at, value, message, notify_status, notify_attempts, notify_error";
    private static final String INSERT_RULE = "insert into eb_alert_rule (" + RULE_COLUMNS + ", notify_secret)"
            + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (id) do nothing";
    private static final String REPLACE_RULE = "update eb_alert_rule set name = ?, metric = ?, operator = ?,"
            + " threshold = ?, subscription_id = ?, hold_seconds = ?, enabled = ?, notify_url = ?,"
            + " notify_secret = case when ?::text is null then notify_secret else ? end, updated_at = ? where id = ?";
    private static final String MOVE = "update eb_alert_rule set state = ?, state_since = ?"
            + " where id = ? and state = ? returning name, subscription_id, notify_url is not null as notifies";
    private static final String RECORD = "insert into eb_alert_event (rule_id, rule_name, rule_condition,"
            + " subscription_id, kind, happened_at, value, message, notify_status, notify_next_at)"
            + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    /** The oldest pending notification of each rule, if due: a rule's notifications go out in order. */
    private static final String CLAIM =
            """
            update eb_alert_event e set notify_attempts = e.notify_attempts + 1, notify_next_at = ?
             where e.id in (select p.id from eb_alert_event p
                             where p.notify_status = 'PENDING' and p.notify_next_at <= ?
                               and not exists (select 1 from eb_alert_event q
                                                where q.rule_id = p.rule_id and q.notify_status = 'PENDING'
                                                  and q.id < p.id)
                             order by p.id limit ? for update skip locked)
            returning\s"""
                    + EVENT_COLUMNS;

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
        return Jdbc.autoCommit(ds, c -> rules(c, "select " + RULE_COLUMNS + " from eb_alert_rule order by id", null));
    }

    @Override
    public Optional<AlertRule> rule(String id) {
        return Jdbc.autoCommit(ds, c -> rules(c, "select " + RULE_COLUMNS + " from eb_alert_rule where id = ?", id))
                .stream()
                .findFirst();
    }

    @Override
    public boolean create(AlertRule rule, String secret) {
        String sealed = seal(rule.id(), secret);
        return Jdbc.autoCommit(ds, c -> insert(c, rule, sealed));
    }

    @Override
    public boolean replace(AlertRule r, String secret) {
        String sealed = seal(r.id(), secret);
        return Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement(REPLACE_RULE)) {
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
                insert(c, r, null);
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
            try (PreparedStatement ps = c.prepareStatement(MOVE)) {
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
                AlertRule rule = rules(c, "select " + RULE_COLUMNS + " from eb_alert_rule where id = ?", t.ruleId())
                        .get(0);
                try (PreparedStatement ps = c.prepareStatement(RECORD)) {
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
        String sql = "select " + EVENT_COLUMNS + " from eb_alert_event where (?::varchar is null or rule_id = ?)"
                + " and (? = 0 or id < ?) order by id desc limit ?";
        return Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, ruleId);
                ps.setString(2, ruleId);
                ps.setLong(3, before);
                ps.setLong(4, before);
                ps.setInt(5, limit);
                return events(ps);
            }
        });
    }

    @Override
    public List<AlertEvent> claimNotifications(Instant now, Duration lease, int max) {
        return Jdbc.inTransaction(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement(CLAIM)) {
                ps.setTimestamp(1, Timestamp.from(now.plus(lease)));
                ps.setTimestamp(2, Timestamp.from(now));
                ps.setInt(3, max);
                List<AlertEvent> out = events(ps);
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

    private static boolean insert(Connection c, AlertRule r, String sealed) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT_RULE)) {
            ps.setString(1, r.id());
            ps.setString(2, r.name());
            ps.setString(3, r.metric().id());
            ps.setString(4, r.operator().symbol());
            ps.setDouble(5, r.threshold());
            ps.setString(6, r.subscription());
            ps.setLong(7, r.holdFor().toSeconds());
            ps.setBoolean(8, r.enabled());
            ps.setString(9, r.notifyUrl());
            ps.setString(10, r.state().name());
            ps.setTimestamp(11, Timestamp.from(r.stateSince()));
            ps.setTimestamp(12, Timestamp.from(r.createdAt()));
            ps.setTimestamp(13, Timestamp.from(r.updatedAt()));
            ps.setString(14, sealed);
            return ps.executeUpdate() == 1;
        }
    }

    private static List<AlertRule> rules(Connection c, String sql, String param) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (param != null) {
                ps.setString(1, param);
            }
            List<AlertRule> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new AlertRule(
                            rs.getString("id"),
                            rs.getString("name"),
                            AlertMetric.of(rs.getString("metric")),
                            AlertRule.Comparison.of(rs.getString("operator")),
                            rs.getDouble("threshold"),
                            rs.getString("subscription_id"),
                            Duration.ofSeconds(rs.getLong("hold_seconds")),
                            rs.getBoolean("enabled"),
                            rs.getString("notify_url"),
                            AlertRule.State.valueOf(rs.getString("state")),
                            rs.getTimestamp("state_since").toInstant(),
                            rs.getTimestamp("created_at").toInstant(),
                            rs.getTimestamp("updated_at").toInstant()));
                }
            }
            return out;
        }
    }

    private static List<AlertEvent> events(PreparedStatement ps) throws SQLException {
        List<AlertEvent> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                double v = rs.getDouble("value");
                Double value = rs.wasNull() ? null : v;
                out.add(new AlertEvent(
                        rs.getLong("id"),
                        rs.getString("rule_id"),
                        rs.getString("rule_name"),
                        rs.getString("rule_condition"),
                        rs.getString("subscription_id"),
                        AlertEvent.Kind.valueOf(rs.getString("kind")),
                        rs.getTimestamp("happened_at").toInstant(),
                        value,
                        rs.getString("message"),
                        AlertEvent.Notification.valueOf(rs.getString("notify_status")),
                        rs.getInt("notify_attempts"),
                        rs.getString("notify_error")));
            }
        }
        return out;
    }
}
