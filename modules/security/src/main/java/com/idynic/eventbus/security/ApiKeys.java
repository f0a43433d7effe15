package com.idynic.eventbus.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * API keys look like {@code ebk_<keyId>_<secret>}: the key id finds the stored record, the secret (256
 * random bits) is checked against its SHA-256 hash. A fast hash is enough for a random secret of that
 * size (as for GitHub or Stripe tokens); the plain key is never stored.
 *
 * @since 0.3.0
 */
public final class ApiKeys {
    /**
     * A key as issued: the id (stored, shown in lists), the whole key (shown once) and when it expires (null
     * for never, or before it is stored).
     */
    public record Issued(String keyId, String key, String hash, Instant expiresAt) {
        /** @return this key expiring at {@code at} */
        public Issued expiringAt(Instant at) {
            return new Issued(keyId, key, hash, at);
        }
    }

    /** A presented key, split. */
    public record Presented(String keyId, String hash) {}

    private static final Pattern FORMAT = Pattern.compile("ebk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})");
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeys() {}

    /** @return a new random key */
    public static Issued generate() {
        byte[] id = new byte[8];
        byte[] secret = new byte[32];
        RANDOM.nextBytes(id);
        RANDOM.nextBytes(secret);
        String keyId = HexFormat.of().formatHex(id);
        String key =
                "ebk_" + keyId + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        return new Issued(keyId, key, hash(key), null);
    }

    /** @return the key's id and hash, or empty when it is not shaped like a key */
    public static Optional<Presented> parse(String key) {
        if (key == null) {
            return Optional.empty();
        }
        Matcher m = FORMAT.matcher(key.strip());
        return m.matches() ? Optional.of(new Presented(m.group(1), hash(key.strip()))) : Optional.empty();
    }

    /** @return whether two hashes are equal, in time independent of where they differ */
    public static boolean sameHash(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }

    static String hash(String key) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
