package com.idynic.eventbus.it;

import static com.idynic.eventbus.it.Stack.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Readiness tells whether PostgreSQL commits durably (the test stack runs with {@code --unsafe-no-fsync}, so
 * here it must say "off"), the bus reaches PostgreSQL as a plain role that owns its database, and the
 * embedded Redis (which holds who receives what) answers no client without its password.
 */
class DurabilityIT {
    @BeforeAll
    static void ready() {
        Stack.awaitReady();
        var embedded = LauncherControlIT.request("POST", "/postgres/status", LauncherControlIT.token());
        assumeTrue(embedded.statusCode() == 200, "PostgreSQL is external (EVENTBUS_DB_HOST), not devstack's");
    }

    @Test
    void readinessReportsThatTheTestDatabaseRunsWithoutFsync() {
        JsonObject postgres = json(Stack.get("/health/ready")).getJsonArray("checks").stream()
                .map(JsonValue::asJsonObject)
                .filter(c -> c.getString("name").equals("postgresql"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no postgresql readiness check"));
        assertEquals("UP", postgres.getString("status"), postgres.toString());
        JsonObject data = postgres.getJsonObject("data");
        assertEquals("off", data.getString("fsync", null), data.toString());
        assertEquals("off", data.getString("synchronousCommit", null), data.toString());
    }

    @Test
    void theBusConnectsAsARoleThatIsNotASuperuserAndOwnsTheDatabase() throws SQLException {
        assertEquals("eventbus", Stack.env().get("EVENTBUS_DB_USER"));
        try (Connection c = Stack.db();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select r.rolsuper, r.rolcreaterole, r.rolcreatedb,"
                        + " pg_get_userbyid(d.datdba) = current_user from pg_roles r, pg_database d"
                        + " where r.rolname = current_user and d.datname = current_database()")) {
            assertTrue(rs.next());
            assertFalse(rs.getBoolean(1), "superuser");
            assertFalse(rs.getBoolean(2), "may create roles");
            assertFalse(rs.getBoolean(3), "may create databases");
            assertTrue(rs.getBoolean(4), "owns the database");
        }
    }

    @Test
    void theEmbeddedRedisRefusesClientsWithoutItsPassword() throws Exception {
        java.net.URI u = java.net.URI.create(Stack.env().get("EVENTBUS_REDIS_URL"));
        assertTrue(u.getUserInfo() != null && u.getUserInfo().length() > 20, "the URL carries a password");
        try (java.net.Socket socket = new java.net.Socket(u.getHost(), u.getPort())) {
            socket.getOutputStream().write("PING\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String answer = new java.io.BufferedReader(new java.io.InputStreamReader(
                            socket.getInputStream(), java.nio.charset.StandardCharsets.US_ASCII))
                    .readLine();
            assertTrue(answer.startsWith("-NOAUTH"), answer);
        }
    }
}
