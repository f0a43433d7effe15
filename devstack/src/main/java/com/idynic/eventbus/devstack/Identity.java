package com.idynic.eventbus.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

/**
 * The embedded mode's identity: an RSA key pair for the bus's tokens and a bootstrap admin API key,
 * generated on the first run into the data directory and reused after (so tokens and keys survive
 * restarts). For development only: production configures its own key pair and admin key.
 */
final class Identity {
    private Identity() {}

    /** @return the EVENTBUS_* settings naming the key files and the admin key */
    static Map<String, String> ensure(Path data) throws IOException {
        Path dir = data.resolve("identity");
        Path publicKey = dir.resolve("jwt-public.pem");
        Path privateKey = dir.resolve("jwt-private.pem");
        Path adminKey = dir.resolve("admin.key");
        if (!Files.exists(publicKey) || !Files.exists(privateKey) || !Files.exists(adminKey)) {
            Files.createDirectories(dir);
            KeyPair pair = rsa();
            Files.writeString(privateKey, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
            Files.writeString(publicKey, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
            Files.writeString(adminKey, newApiKey());
        }
        String key = Files.readString(adminKey).strip();
        return Map.of(
                "EVENTBUS_JWT_PUBLIC_KEY",
                "file:" + publicKey,
                "EVENTBUS_JWT_PRIVATE_KEY",
                privateKey.toString(),
                "EVENTBUS_AUTH_ADMIN_KEY",
                key,
                "EVENTBUS_CLIENT_API_KEY",
                key);
    }

    private static KeyPair rsa() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    /** Same shape as the bus's keys: {@code ebk_<16 hex>_<43 base64url>}. */
    private static String newApiKey() {
        SecureRandom r = new SecureRandom();
        byte[] id = new byte[8];
        byte[] secret = new byte[32];
        r.nextBytes(id);
        r.nextBytes(secret);
        return "ebk_" + HexFormat.of().formatHex(id) + "_"
                + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }
}
