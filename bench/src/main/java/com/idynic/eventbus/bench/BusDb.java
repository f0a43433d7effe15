package com.idynic.eventbus.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The bus's PostgreSQL, reached with the env file's credentials: connections for the raw PostgreSQL anchor,
 * delivery-row counts (has the dispatcher queued a backlog?) and the statistics views for the per-event cost.
 */
final class BusDb {
    private final String url;
    private final Properties props = new Properties();

    BusDb(EnvFile env) {
        this.url = "jdbc:postgresql://" + env.get("EVENTBUS_DB_HOST", "127.0.0.1") + ":"
                + env.get("EVENTBUS_DB_PORT", "5432") + "/" + env.get("EVENTBUS_DB_NAME", "eventbus");
        props.setProperty("user", env.get("EVENTBUS_DB_USER", "postgres"));
        props.setProperty("password", env.get("EVENTBUS_DB_PASSWORD", "postgres"));
        props.setProperty("connectTimeout", "5");
        props.setProperty("socketTimeout", "60");
        props.setProperty("ApplicationName", "eventbus-bench");
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url, props);
    }

    /** A connection whose JDBC batches are sent as multi-row inserts. */
    Connection connectBatching() throws SQLException {
        Properties p = new Properties();
        p.putAll(props);
        p.setProperty("reWriteBatchedInserts", "true");
        return DriverManager.getConnection(url, p);
    }

    String url() {
        return url;
    }

    /** @return delivery rows the dispatcher stored for this subscription (any state) */
    long deliveries(String subscriptionId) throws SQLException {
        return count("select count(*) from eb_delivery where subscription_id = ?", subscriptionId);
    }

    /**
     * @return the subscription's open delivery rows (queued, leased or waiting for a retry): what it still owes,
     *     whatever happens to delivered rows
     */
    long openDeliveries(String subscriptionId) throws SQLException {
        return count(
                "select count(*) from eb_delivery where subscription_id = ? and state in ('PENDING', 'LEASED')",
                subscriptionId);
    }

    /** @return the subscription's delivery rows created after the row {@code afterId} (any state) */
    long deliveriesAfter(String subscriptionId, long afterId) throws SQLException {
        return count("select count(*) from eb_delivery where subscription_id = ? and id > ?", subscriptionId, afterId);
    }

    /** @return the subscription's rows created after the row {@code afterId} and delivered by now */
    long deliveredAfter(String subscriptionId, long afterId) throws SQLException {
        return count(
                "select count(*) from eb_delivery where subscription_id = ? and id > ? and state = 'DELIVERED'",
                subscriptionId,
                afterId);
    }

    /** @return the highest delivery row id so far (0 for none): later rows are newer */
    long lastDeliveryId() throws SQLException {
        try (Connection c = connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select coalesce(max(id), 0) from eb_delivery")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * @return the pid of the PostgreSQL server's postmaster, the parent of this connection's backend (the server is
     *     on this machine), 0 when it cannot be read
     */
    long postmasterPid() {
        try (Connection c = connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select pg_backend_pid()")) {
            rs.next();
            return ProcessHandle.of(rs.getLong(1))
                    .flatMap(ProcessHandle::parent)
                    .map(ProcessHandle::pid)
                    .orElse(0L);
        } catch (SQLException | RuntimeException e) {
            return 0;
        }
    }

    /** @return the database's clock now */
    java.time.Instant now() throws SQLException {
        try (Connection c = connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select clock_timestamp()")) {
            rs.next();
            return rs.getTimestamp(1).toInstant();
        }
    }

    /**
     * @return when the last of the subscription's rows created after the row {@code afterId} was delivered (the
     *     database's clock), or null when none is
     */
    java.time.Instant lastDeliveredAt(String subscriptionId, long afterId) throws SQLException {
        try (Connection c = connect();
                PreparedStatement s = c.prepareStatement("select max(delivered_at) from eb_delivery"
                        + " where subscription_id = ? and id > ? and state = 'DELIVERED'")) {
            s.setString(1, subscriptionId);
            s.setLong(2, afterId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                java.sql.Timestamp t = rs.getTimestamp(1);
                return t == null ? null : t.toInstant();
            }
        }
    }

    /** @return the state of the subscription's delivery row for this event, or null while it has none */
    String deliveryState(String subscriptionId, String eventId) throws SQLException {
        try (Connection c = connect();
                PreparedStatement s = c.prepareStatement(
                        "select state from eb_delivery where subscription_id = ? and event_id = ?")) {
            s.setString(1, subscriptionId);
            s.setString(2, eventId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private long count(String sql, Object... params) throws SQLException {
        try (Connection c = connect();
                PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Counters of the cumulative statistics system at one moment. */
    record Snapshot(long nanoTime, long transactions, Map<String, long[]> tables, Map<String, Long> statements) {}

    /** @param withStatements also read pg_stat_statements (calls per statement text) */
    Snapshot snapshot(boolean withStatements) throws SQLException {
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            long xacts;
            try (ResultSet rs = s.executeQuery("select xact_commit + xact_rollback from pg_stat_database"
                    + " where datname = current_database()")) {
                rs.next();
                xacts = rs.getLong(1);
            }
            Map<String, long[]> tables = new LinkedHashMap<>();
            try (ResultSet rs =
                    s.executeQuery("select relname, n_tup_ins, n_tup_upd, n_tup_del from pg_stat_user_tables"
                            + " where schemaname = 'public' order by relname")) {
                while (rs.next()) {
                    tables.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3), rs.getLong(4)});
                }
            }
            Map<String, Long> statements = new LinkedHashMap<>();
            if (withStatements) {
                try (ResultSet rs = s.executeQuery("select query, sum(calls) from pg_stat_statements"
                        + " where dbid = (select oid from pg_database where datname = current_database())"
                        + " group by query")) {
                    while (rs.next()) {
                        statements.put(rs.getString(1), rs.getLong(2));
                    }
                }
            }
            return new Snapshot(System.nanoTime(), xacts, tables, statements);
        }
    }

    /**
     * Makes pg_stat_statements readable when it can be: the extension created (needs the right to) and the
     * library preloaded (a server setting).
     *
     * @return null when it works, otherwise why not
     */
    String enableStatements() {
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            try {
                s.execute("create extension if not exists pg_stat_statements");
            } catch (SQLException e) {
                // maybe it exists already, or may not be created by this role: the probe below says
            }
            try (ResultSet rs = s.executeQuery("select count(*) from pg_stat_statements")) {
                rs.next();
                return null;
            }
        } catch (SQLException e) {
            return e.getMessage();
        }
    }
}
