package com.idynic.eventbus.devstack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

/** Real PostgreSQL binaries from the zonky jar, on a fixed port and data directory. */
final class Postgres implements Service {
    private final int port;
    private final Path dataDir;
    private EmbeddedPostgres pg;

    /** @param dataDir kept across stop/start and runs; the caller deletes it for a fresh start */
    Postgres(int port, Path dataDir) {
        this.port = port;
        this.dataDir = dataDir;
    }

    @Override
    public String name() {
        return "postgres";
    }

    @Override
    public synchronized void start() throws Exception {
        if (pg != null) {
            return;
        }
        pg = EmbeddedPostgres.builder()
                .setPort(port)
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setServerConfig("max_connections", "200")
                .setServerConfig("fsync", "off")
                .start();
        try (Connection c = pg.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("select 1 from pg_database where datname = 'eventbus'")) {
                if (!rs.next()) {
                    s.execute("create database eventbus");
                }
            }
            s.execute("alter user postgres password 'postgres'");
        }
    }

    @Override
    public synchronized void stop() throws Exception {
        if (pg != null) {
            pg.close();
            pg = null;
        }
    }

    @Override
    public synchronized boolean running() {
        return pg != null;
    }
}
