package com.idynic.eventbus.it;

import static com.idynic.eventbus.it.Stack.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.JedisPooled;

/**
 * Webhook signing secrets at rest: encrypted in PostgreSQL, absent from the Redis cache and from the
 * server's logs, and still signing every delivery; a secret an older version stored in plain text is
 * encrypted the first time the bus reads it.
 */
class SecretsAtRestIT {
    /** The hash RedisSubscriptionCache shares subscriptions through. */
    static final String REDIS_HASH = "eventbus:subscriptions";

    @RegisterExtension
    static final WebhookReceiver receiver = new WebhookReceiver();

    static String newSecret() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return "whsec_" + Base64.getEncoder().encodeToString(b);
    }

    static JsonObject webhookWithSecret(String sub, String type, String secret) {
        return Subscriptions.create(
                sub,
                "{\"owner\":\"it\",\"eventTypes\":[\"" + type + "\"],\"target\":{\"type\":\"webhook\",\"url\":\""
                        + receiver.url("/" + sub) + "\",\"secret\":\"" + secret + "\",\"timeoutMillis\":3000},"
                        + "\"retryPolicy\":{\"initialDelayMillis\":300,\"maxAttempts\":10}}");
    }

    @Test
    void aWebhookSecretIsEncryptedInPostgresqlAbsentFromRedisAndTheLogsAndStillSigns() throws Exception {
        String type = WebhookIT.unique("it.secret.t");
        String sub = WebhookIT.unique("secret-");
        String secret = newSecret();
        String key = secret.substring("whsec_".length());

        JsonObject created = webhookWithSecret(sub, type, secret);
        assertEquals(secret, created.getJsonObject("target").getString("secret"), "shown once, at creation");

        List<String> row = row(sub);
        String stored = row.get(0);
        assertNotNull(stored, "the secret column holds the secret");
        assertTrue(stored.startsWith("enc:v1:"), stored);
        assertFalse(stored.contains(key), "encrypted, not encoded: " + stored);
        assertFalse(row.get(1).contains(key), "the spec holds no secret: " + row.get(1));

        String cached = redisEntry(sub);
        assertFalse(Stack.parse(cached).getJsonObject("target").containsKey("secret"), cached);
        assertFalse(cached.contains(key), cached);

        String id = Subscriptions.publish(type, null, "{\"n\":1}");
        await(Duration.ofSeconds(30), "webhook called", () -> !receiver.calls("/" + sub, id)
                .isEmpty());
        WebhookReceiver.Call c = receiver.calls("/" + sub, id).get(0);
        assertEquals(signature(secret, c), c.signature());

        assertFalse(Stack.get("/v1/subscriptions/" + sub).body().contains(key), "secret never shown again");
        String encryptionKey = Stack.env().get("EVENTBUS_SECRETS_KEY");
        assertNotNull(encryptionKey, "devstack provides the key for secrets at rest");
        for (Path log : serverLogs()) {
            assertFalse(contains(log, key), "the secret is in " + log);
            assertFalse(contains(log, encryptionKey), "the encryption key is in " + log);
        }
    }

    @Test
    void aSecretStoredInPlainTextByAnOlderVersionIsEncryptedWhenReadAndStillSigns() throws Exception {
        String type = WebhookIT.unique("it.legacy.t");
        String sub = WebhookIT.unique("legacy-");
        String secret = newSecret();
        String key = secret.substring("whsec_".length());
        webhookWithSecret(sub, type, secret);
        Stack.sql(
                "update eb_subscription set secret = null,"
                        + " spec = jsonb_set(spec::jsonb, '{target,secret}', to_jsonb(?::text))::text where id = ?",
                secret,
                sub);
        assertTrue(row(sub).get(1).contains(key), "set up as an older version stored it");

        assertEquals(200, Stack.get("/v1/subscriptions/" + sub).statusCode());

        List<String> row = row(sub);
        assertTrue(row.get(0).startsWith("enc:v1:"), row.get(0));
        assertFalse(row.get(0).contains(key), row.get(0));
        assertFalse(row.get(1).contains(key), "moved out of the spec: " + row.get(1));
        String id = Subscriptions.publish(type, null, "{\"n\":2}");
        await(Duration.ofSeconds(30), "webhook called", () -> !receiver.calls("/" + sub, id)
                .isEmpty());
        WebhookReceiver.Call c = receiver.calls("/" + sub, id).get(0);
        assertEquals(signature(secret, c), c.signature());
    }

    /** @return the row's {@code secret} and {@code spec} columns */
    static List<String> row(String sub) throws SQLException {
        try (Connection db = Stack.db();
                PreparedStatement ps = db.prepareStatement("select secret, spec from eb_subscription where id = ?")) {
            ps.setString(1, sub);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "no row for " + sub);
                return Arrays.asList(rs.getString("secret"), rs.getString("spec"));
            }
        }
    }

    static String redisEntry(String sub) {
        try (JedisPooled redis = new JedisPooled(URI.create(Stack.env().get("EVENTBUS_REDIS_URL")))) {
            await(
                    Duration.ofSeconds(10),
                    "subscription shared through Redis",
                    () -> redis.hget(REDIS_HASH, sub) != null);
            return redis.hget(REDIS_HASH, sub);
        }
    }

    /** @return the Standard Webhooks signature of the call under {@code secret} */
    static String signature(String secret, WebhookReceiver.Call c) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
        return "v1,"
                + Base64.getEncoder()
                        .encodeToString(mac.doFinal(
                                (c.id() + "." + c.timestamp() + "." + c.body()).getBytes(StandardCharsets.UTF_8)));
    }

    /** @return every file in the server's logs directory: messages.log, console.log, trace.log, ffdc/ */
    static List<Path> serverLogs() throws IOException {
        Path env = Path.of(System.getProperty("eventbus.env", "target/liberty/wlp/usr/servers/eventbus/server.env"));
        Path logs = env.toAbsolutePath().getParent().resolve("logs");
        assertTrue(Files.isRegularFile(logs.resolve("messages.log")), "no messages.log in " + logs);
        try (Stream<Path> files = Files.walk(logs)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    static boolean contains(Path file, String text) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
