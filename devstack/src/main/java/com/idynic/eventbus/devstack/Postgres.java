package com.idynic.eventbus.devstack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Real PostgreSQL binaries from the zonky jar, on a fixed port and data directory. The bus connects as
 * {@value #USER}, a plain role that owns the {@value #DATABASE} database and its {@code public} schema, with a
 * random password; the superuser {@code postgres} gets a random password too and is for this class only.
 * Connections need a password (SCRAM) and come over loopback TCP only.
 */
final class Postgres implements Service {
    /** The role the bus (and the tests) connect as. */
    static final String USER = "eventbus";

    /** The bus's database. */
    static final String DATABASE = "eventbus";

    private static final String SUPERUSER = "postgres";
    private static final String PASSWORD_HBA = "# written by devstack on every start: passwords over loopback only\n"
            + "host all all 127.0.0.1/32 scram-sha-256\n"
            + "host all all ::1/128 scram-sha-256\n";
    private static final String BOOTSTRAP_HBA = "# written by devstack until the superuser has a password\n"
            + "host all " + SUPERUSER + " 127.0.0.1/32 trust\n"
            + "host all " + SUPERUSER + " ::1/128 trust\n";

    private static final String OWNED_RELATIONS = "select c.oid::regclass::text from pg_class c"
            + " join pg_namespace n on n.oid = c.relnamespace"
            + " where n.nspname = 'public' and c.relowner = '" + SUPERUSER + "'::regrole and c.relkind in ";
    private static final String OWNED_ROUTINES = "select p.oid::regprocedure::text from pg_proc p"
            + " join pg_namespace n on n.oid = p.pronamespace"
            + " where n.nspname = 'public' and p.proowner = '" + SUPERUSER + "'::regrole";

    private final int port;
    private final Path dataDir;
    private final Path secretsDir;
    private final boolean durable;
    private EmbeddedPostgres pg;

    /**
     * @param dataDir kept across stop/start and runs; the caller deletes it for a fresh start
     * @param secretsDir where the passwords are kept ({@code db.password} for {@value #USER},
     *     {@code postgres.password} for the superuser), owner-only
     * @param durable false turns {@code fsync} and {@code synchronous_commit} off: faster, and a crash of the
     *     machine can lose or corrupt data; for throw-away test data only
     */
    Postgres(int port, Path dataDir, Path secretsDir, boolean durable) {
        this.port = port;
        this.dataDir = dataDir;
        this.secretsDir = secretsDir;
        this.durable = durable;
    }

    @Override
    public String name() {
        return "postgres";
    }

    /** @return the password of {@value #USER}, generated on the first call for this data directory */
    String password() throws IOException {
        return Identity.secret(secretsDir.resolve("db.password"));
    }

    /**
     * Starts the server and makes sure {@value #USER} exists, may log in with {@link #password()} and owns the
     * database, its {@code public} schema and what is in it (data directories from older versions kept
     * everything owned by {@code postgres}).
     */
    @Override
    public synchronized void start() throws Exception {
        if (pg != null) {
            return;
        }
        Path superFile = secretsDir.resolve("postgres.password");
        boolean bootstrap = !Files.exists(superFile) || !PASSWORD_HBA.equals(hba());
        String superPassword = Identity.secret(superFile);
        String userPassword = password();
        String mode = durable ? "on" : "off";
        pg = EmbeddedPostgres.builder()
                .setPort(port)
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setServerConfig("max_connections", "200")
                // zonky defaults to -F (fsync off) and synchronous_commit=off; these -c options come later and win
                .setServerConfig("fsync", mode)
                .setServerConfig("synchronous_commit", mode)
                .setConnectConfig("password", superPassword)
                .setDataDirectoryCustomizer(dir -> {
                    if (bootstrap) {
                        writeHba(BOOTSTRAP_HBA);
                    }
                })
                .start();
        try {
            roles(bootstrap, superPassword, userPassword);
            try (Connection c = pg.getDatabase(SUPERUSER, DATABASE).getConnection()) {
                handOver(c);
            }
            if (bootstrap) {
                writeHba(PASSWORD_HBA);
                try (Connection c = pg.getDatabase(SUPERUSER, "postgres").getConnection();
                        Statement s = c.createStatement()) {
                    s.execute("select pg_reload_conf()");
                }
            }
        } catch (Exception e) {
            pg.close();
            pg = null;
            throw e;
        }
    }

    /** Sets the passwords and creates {@value #USER} and its database where missing. */
    private void roles(boolean bootstrap, String superPassword, String userPassword) throws SQLException {
        try (Connection c = pg.getDatabase(SUPERUSER, "postgres").getConnection();
                Statement s = c.createStatement()) {
            if (bootstrap) {
                s.execute("alter role " + SUPERUSER + " password " + literal(superPassword));
            }
            if (!exists(s, "select 1 from pg_roles where rolname = '" + USER + "'")) {
                s.execute("create role " + USER);
            }
            s.execute("alter role " + USER + " login nosuperuser nocreatedb nocreaterole noreplication nobypassrls"
                    + " password " + literal(userPassword));
            if (exists(s, "select 1 from pg_database where datname = '" + DATABASE + "'")) {
                s.execute("alter database " + DATABASE + " owner to " + USER);
            } else {
                s.execute("create database " + DATABASE + " owner " + USER);
            }
        }
    }

    /** Gives {@value #USER} what {@code postgres} owns in the bus's schema, in one transaction. */
    private static void handOver(Connection c) throws SQLException {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("alter schema public owner to " + USER);
            for (String table : names(s, OWNED_RELATIONS + "('r', 'p', 'v', 'm')")) {
                s.execute("alter table " + table + " owner to " + USER);
            }
            for (String sequence : names(s, OWNED_RELATIONS + "('S')")) {
                s.execute("alter sequence " + sequence + " owner to " + USER);
            }
            for (String routine : names(s, OWNED_ROUTINES)) {
                s.execute("alter routine " + routine + " owner to " + USER);
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        }
    }

    private static boolean exists(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            return rs.next();
        }
    }

    private static List<String> names(Statement s, String sql) throws SQLException {
        List<String> names = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    /** Passwords come from {@link Identity#secret}: base64url, so quoting needs no escaping; checked anyway. */
    private static String literal(String password) {
        if (!password.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalStateException("unexpected characters in a generated password");
        }
        return "'" + password + "'";
    }

    private String hba() throws IOException {
        Path file = dataDir.resolve("pg_hba.conf");
        return Files.exists(file) ? Files.readString(file) : "";
    }

    private void writeHba(String content) {
        try {
            Files.writeString(dataDir.resolve("pg_hba.conf"), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
