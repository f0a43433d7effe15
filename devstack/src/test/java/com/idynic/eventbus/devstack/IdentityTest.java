package com.idynic.eventbus.devstack;

import static com.idynic.eventbus.devstack.PostgresTest.assertOwnerOnly;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated keys and passwords: owner-only files, kept across runs. */
class IdentityTest {
    @TempDir
    Path data;

    @Test
    void privateKeyAdminKeyAndPasswordsAreReadableByTheirOwnerOnly() throws Exception {
        Map<String, String> env = Identity.ensure(data);
        Path dir = data.resolve("identity");
        assertOwnerOnly(dir.resolve("jwt-private.pem"));
        assertOwnerOnly(dir.resolve("admin.key"));
        assertEquals(dir.resolve("jwt-private.pem").toString(), env.get("EVENTBUS_JWT_PRIVATE_KEY"));
        assertEquals(
                "rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)), "identity directory");

        String password = Identity.secret(dir.resolve("db.password"));
        assertOwnerOnly(dir.resolve("db.password"));
        assertTrue(password.matches("[A-Za-z0-9_-]{43}"), password);
        assertEquals(password, Identity.secret(dir.resolve("db.password")), "kept across runs");
        assertNotEquals(password, Identity.secret(dir.resolve("other.password")));
    }

    @Test
    void theCoDeployedExampleCallsTheBusWithAKeyOfItsOwnForItsOwnServiceKeptAcrossRuns() throws Exception {
        Map<String, String> env = Identity.ensure(data);

        String client = env.get("EVENTBUS_CLIENT_API_KEY");
        assertTrue(client.matches("ebk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}"), "shaped like the bus's keys: " + client);
        assertNotEquals(env.get("EVENTBUS_AUTH_ADMIN_KEY"), client, "the example's bridge does not act as admin");
        assertEquals(client, env.get("EVENTBUS_AUTH_CLIENT_KEY"), "the bus bootstraps the key the example uses");
        assertEquals(
                "profile-service",
                env.get("EVENTBUS_AUTH_CLIENT_SERVICE"),
                "the service is the owner the example's subscription has");
        assertOwnerOnly(data.resolve("identity").resolve("client.key"));
        assertEquals(env, Identity.ensure(data), "kept across runs");
    }

    @Test
    void aDataDirectoryFromBeforeTheExamplesKeyGetsOneAndKeepsItsAdminKey() throws Exception {
        Map<String, String> before = Identity.ensure(data);
        Files.delete(data.resolve("identity").resolve("client.key"));

        Map<String, String> after = Identity.ensure(data);

        assertEquals(before.get("EVENTBUS_AUTH_ADMIN_KEY"), after.get("EVENTBUS_AUTH_ADMIN_KEY"));
        assertNotEquals(before.get("EVENTBUS_CLIENT_API_KEY"), after.get("EVENTBUS_CLIENT_API_KEY"));
        assertNotEquals(after.get("EVENTBUS_AUTH_ADMIN_KEY"), after.get("EVENTBUS_CLIENT_API_KEY"));
    }

    @Test
    void theEnvFileIsWrittenOwnerOnlyAndReplacedWhole() throws Exception {
        Path envFile = data.resolve("eventbus.env");
        Identity.writeSecret(envFile, "A=1\n");
        Identity.writeSecret(envFile, "B=2\n");
        assertOwnerOnly(envFile);
        assertEquals("B=2\n", Files.readString(envFile));
    }

    @Test
    void secretsOfAnOlderVersionLoseGroupAndWorldAccess() throws Exception {
        Path file = Identity.directory(data).resolve("db.password");
        Files.writeString(file, "old-password\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertEquals("old-password", Identity.secret(file));
        assertOwnerOnly(file);
    }
}
