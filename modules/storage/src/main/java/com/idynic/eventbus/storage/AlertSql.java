package com.idynic.eventbus.storage;

import com.idynic.eventbus.admin.AlertEvent;
import com.idynic.eventbus.admin.AlertMetric;
import com.idynic.eventbus.admin.AlertRule;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The statements of the alert store ({@link JdbcAlertStore}), named, and its row mappers (columns read by name). */
final class AlertSql {
    private AlertSql() {}

    static final String RULE_COLUMNS = "id, name, metric, operator, threshold, subscription_id, hold_seconds,"
            + " enabled, notify_url, state, state_since, created_at, updated_at";
    static final String EVENT_COLUMNS = "id, rule_id, rule_name, rule_condition, subscription_id, kind,"
            + " happened_at, value, message, notify_status, notify_attempts, notify_error";
    static final String ALL_RULES = "select " + RULE_COLUMNS + " from eb_alert_rule order by id";
    static final String ONE_RULE = "select " + RULE_COLUMNS + " from eb_alert_rule where id = ?";
    /** A page of one rule's entries (or all, when the rule is null), newest first, older than an id unless it is 0. */
    static final String HISTORY = "select " + EVENT_COLUMNS + " from eb_alert_event"
            + " where (?::varchar is null or rule_id = ?) and (? = 0 or id < ?) order by id desc limit ?";

    static final String INSERT_RULE = "insert into eb_alert_rule (" + RULE_COLUMNS + ", notify_secret)"
            + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (id) do nothing";
    static final String REPLACE_RULE = "update eb_alert_rule set name = ?, metric = ?, operator = ?,"
            + " threshold = ?, subscription_id = ?, hold_seconds = ?, enabled = ?, notify_url = ?,"
            + " notify_secret = case when ?::text is null then notify_secret else ? end, updated_at = ? where id = ?";
    static final String MOVE = "update eb_alert_rule set state = ?, state_since = ?"
            + " where id = ? and state = ? returning name, subscription_id, notify_url is not null as notifies";
    static final String RECORD = "insert into eb_alert_event (rule_id, rule_name, rule_condition,"
            + " subscription_id, kind, happened_at, value, message, notify_status, notify_next_at)"
            + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    /** The oldest pending notification of each rule, if due: a rule's notifications go out in order. */
    static final String CLAIM =
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

    static boolean insert(Connection c, AlertRule r, String sealed) throws SQLException {
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

    static List<AlertRule> rules(Connection c, String sql, String param) throws SQLException {
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

    static List<AlertEvent> events(PreparedStatement ps) throws SQLException {
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
