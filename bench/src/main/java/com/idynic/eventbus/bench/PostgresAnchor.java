package com.idynic.eventbus.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Raw PostgreSQL, the same server and database the bus uses (fsync on): an event-like row per transaction, and
 * {@value Plan#BATCH_SIZE} rows per transaction (a JDBC batch sent as a multi-row insert), in a table of the
 * benchmark's own that is dropped at the end.
 */
final class PostgresAnchor {
    private final Bench b;
    private final String table;

    PostgresAnchor(Bench b) {
        this.b = b;
        this.table = "bench_anchor_" + b.slug;
    }

    void run() throws Exception {
        try (Connection c = b.db.connect();
                Statement s = c.createStatement()) {
            b.results.put("anchors.pg.fsync", show(s, "fsync"));
            b.results.put("anchors.pg.synchronousCommit", show(s, "synchronous_commit"));
            b.results.put("anchors.pg.version", show(s, "server_version"));
            s.execute("drop table if exists " + table);
            s.execute("create table " + table + " (id text primary key, type text not null, key text,"
                    + " payload jsonb not null, accepted_at timestamptz not null default now())");
        }
        try {
            for (int clients : b.plan.pgClients()) {
                b.results.put("anchors.pg.insert1.c" + clients, b.loop.run(clients, i -> single(), 0, 1, b.plan));
            }
            b.results.put(
                    "anchors.pg.insert100.c" + Plan.BATCH_CLIENTS,
                    b.loop.run(Plan.BATCH_CLIENTS, i -> batch(), 0, Plan.BATCH_SIZE, b.plan));
        } finally {
            try (Connection c = b.db.connect();
                    Statement s = c.createStatement()) {
                s.execute("drop table if exists " + table);
            }
        }
    }

    private String insert() {
        return "insert into " + table
                + " (id, type, key, payload, accepted_at) values (?, ?, ?, cast(? as jsonb), now())";
    }

    /** One row, one transaction (autocommit). */
    private ClosedLoop.Client single() throws SQLException {
        Connection c = b.db.connect();
        PreparedStatement ps = c.prepareStatement(insert());
        return new ClosedLoop.Client() {
            @Override
            public int call() throws SQLException {
                bind(ps);
                ps.executeUpdate();
                return 0;
            }

            @Override
            public void close() throws SQLException {
                c.close();
            }
        };
    }

    /** {@value Plan#BATCH_SIZE} rows, one transaction. */
    private ClosedLoop.Client batch() throws SQLException {
        Connection c = b.db.connectBatching();
        c.setAutoCommit(false);
        PreparedStatement ps = c.prepareStatement(insert());
        return new ClosedLoop.Client() {
            @Override
            public int call() throws SQLException {
                try {
                    for (int i = 0; i < Plan.BATCH_SIZE; i++) {
                        bind(ps);
                        ps.addBatch();
                    }
                    ps.executeBatch();
                    c.commit();
                    return 0;
                } catch (SQLException e) {
                    c.rollback();
                    throw e;
                }
            }

            @Override
            public void close() throws SQLException {
                c.close();
            }
        };
    }

    private void bind(PreparedStatement ps) throws SQLException {
        String id = b.payloads.nextId("pg");
        long n = Bench.idNumber(id);
        ps.setString(1, id);
        ps.setString(2, "bench.anchor");
        ps.setString(3, Payloads.key(n));
        ps.setString(4, b.payloads.envelope("bench.anchor", id, n));
    }

    private static String show(Statement s, String setting) throws SQLException {
        try (ResultSet rs = s.executeQuery("show " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
