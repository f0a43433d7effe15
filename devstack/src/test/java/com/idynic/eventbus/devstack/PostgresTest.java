package com.idynic.eventbus.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real embedded PostgreSQL: durable unless told otherwise, on every start, and reached only as a plain role. */
class PostgresTest {
    @TempDir
    Path data;

    @Test
    void restartsDurableAsAPlainRoleThatOwnsWhatTheSuperuserCreatedBefore() throws Exception {
        int port = DevStack.freePort(0);
        Path dir = data.resolve("postgres");
        Path secrets = Identity.directory(data);

        Postgres unsafe = new Postgres(port, dir, secrets, false);
        unsafe.start();
        try {
            try (Connection c = connect(port, Postgres.USER, unsafe.password())) {
                assertEquals("off", one(c, "show fsync"));
                assertEquals("off", one(c, "show synchronous_commit"));
            }
            olderVersionOwnership(port, Files.readString(secrets.resolve("postgres.password")));
        } finally {
            unsafe.stop();
        }

        Postgres durable = new Postgres(port, dir, secrets, true);
        durable.start();
        try (Connection c = connect(port, Postgres.USER, durable.password())) {
            assertEquals("on", one(c, "show fsync"), "the mode applies on a restart of an existing data directory");
            assertEquals("on", one(c, "show synchronous_commit"));
            assertEquals("eventbus", one(c, "select current_user"));
            assertEquals("false", one(c, "select rolsuper::text from pg_roles where rolname = current_user"));
            assertEquals(
                    "false",
                    one(c, "select (rolcreatedb or rolcreaterole)::text from pg_roles where rolname = current_user"));
            assertEquals(
                    "eventbus", one(c, "select pg_get_userbyid(datdba) from pg_database where datname = 'eventbus'"));
            assertEquals(
                    "eventbus", one(c, "select pg_get_userbyid(nspowner) from pg_namespace where nspname = 'public'"));
            assertEquals(
                    "0",
                    one(
                            c,
                            "select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace"
                                    + " where n.nspname = 'public' and pg_get_userbyid(c.relowner) <> current_user"));
            assertEquals(
                    "0",
                    one(
                            c,
                            "select count(*) from pg_proc p join pg_namespace n on n.oid = p.pronamespace"
                                    + " where n.nspname = 'public' and pg_get_userbyid(p.proowner) <> current_user"));
            assertEquals("1", one(c, "insert into legacy default values returning id"));
            assertThrows(SQLException.class, () -> connect(port, "postgres", "").close(), "superuser needs a password");
            assertThrows(SQLException.class, () -> connect(port, Postgres.USER, "wrong")
                    .close());
        } finally {
            durable.stop();
        }
        assertOwnerOnly(secrets.resolve("db.password"));
        assertOwnerOnly(secrets.resolve("postgres.password"));
    }

    /** What a data directory of an older devstack looks like: everything owned by the superuser. */
    static void olderVersionOwnership(int port, String superPassword) throws SQLException {
        try (Connection c = connect(port, "postgres", superPassword.strip());
                Statement s = c.createStatement()) {
            s.execute("alter database eventbus owner to postgres");
            s.execute("create table legacy (id bigserial primary key)");
            s.execute("create table legacy_day (day date not null) partition by range (day)");
            s.execute("create table legacy_day_1 partition of legacy_day"
                    + " for values from ('2020-01-01') to ('2020-01-02')");
            s.execute("create sequence legacy_seq");
            s.execute("create function legacy_one() returns int language sql as 'select 1'");
        }
    }

    static Connection connect(int port, String user, String password) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/eventbus", user, password);
    }

    static String one(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    static void assertOwnerOnly(Path file) throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        assertEquals(
                "rw-------",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(file)),
                file + " is readable by its owner only");
    }
}
