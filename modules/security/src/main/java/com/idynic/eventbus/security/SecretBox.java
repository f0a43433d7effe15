package com.idynic.eventbus.security;

import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.ErrorCode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts secrets the bus must keep but must not store readably (webhook signing secrets): AES-256-GCM
 * with a random 12-byte IV per value, a 128-bit tag and the owning record's id as associated data, so a
 * value can neither be read without the key nor moved to another record. The stored form is {@code
 * enc:v1:<key id>:<base64(iv || ciphertext || tag)>}; the key id (the first 8 hex digits of the key's
 * SHA-256) picks the key, so values sealed under an old key still open after a rotation while new values
 * always use the current key. Text without the {@code enc:} prefix is a secret stored in plain text by an
 * older version, returned as it is.
 *
 * @since 0.4.0
 */
public final class SecretBox {
    /** Start of every value this class seals. */
    public static final String PREFIX = "enc:v1:";
    /** The setting (MicroProfile Config) holding the current key; environment {@code EVENTBUS_SECRETS_KEY}. */
    public static final String KEY_SETTING = "eventbus.secrets.key";
    /** The setting holding earlier keys, comma-separated; environment {@code EVENTBUS_SECRETS_OLD_KEYS}. */
    public static final String OLD_KEYS_SETTING = "eventbus.secrets.old-keys";

    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final int KEY_BYTES = 32;
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String currentId;
    private final Map<String, SecretKey> keys = new LinkedHashMap<>();

    /**
     * @param currentKey 32 bytes that seal new values; null when none is configured (then {@link #seal}
     *     refuses and only plain text and values under {@code oldKeys} open)
     * @param oldKeys 32-byte keys that only open values sealed before a rotation; may be empty
     * @throws IllegalArgumentException when a key is not 32 bytes long
     */
    public SecretBox(byte[] currentKey, List<byte[]> oldKeys) {
        this.currentId = currentKey == null ? null : add(currentKey);
        oldKeys.forEach(this::add);
    }

    /** @return a box without keys: seals nothing, opens only plain text */
    public static SecretBox none() {
        return new SecretBox(null, List.of());
    }

    /**
     * Builds a box from the settings' text. A key that is not base64 (standard or URL-safe) of 32 bytes is
     * left out and reported to {@code problems} by its setting's name and position, never by its value, so
     * a typo costs the secrets it guards, not the server's start.
     *
     * @param currentKey the value of {@value #KEY_SETTING}, or null
     * @param oldKeys the value of {@value #OLD_KEYS_SETTING} (comma-separated), or null
     * @param problems told one sentence per key left out
     */
    public static SecretBox fromSettings(String currentKey, String oldKeys, Consumer<String> problems) {
        byte[] current = null;
        if (currentKey != null && !currentKey.isBlank()) {
            current = decode(currentKey.strip(), KEY_SETTING, problems);
        }
        List<byte[]> old = new ArrayList<>();
        if (oldKeys != null) {
            String[] parts = oldKeys.split(",");
            for (int i = 0; i < parts.length; i++) {
                if (!parts[i].isBlank()) {
                    byte[] k = decode(parts[i].strip(), OLD_KEYS_SETTING + " (key " + (i + 1) + ")", problems);
                    if (k != null) {
                        old.add(k);
                    }
                }
            }
        }
        return new SecretBox(current, old);
    }

    /** @return the first 8 hex digits of the key's SHA-256: names the key in stored values and logs */
    public static String keyId(byte[] key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key);
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the id of the key that seals new values, or empty when none is configured */
    public Optional<String> currentKeyId() {
        return Optional.ofNullable(currentId);
    }

    /** @return the ids of every key that opens values, the current one first */
    public List<String> keyIds() {
        return List.copyOf(keys.keySet());
    }

    /** @return whether a current key is configured, so {@link #seal} works */
    public boolean canSeal() {
        return currentId != null;
    }

    /**
     * @param plain the secret
     * @param context the owning record's id, bound into the value: it opens only with the same context
     * @return {@code enc:v1:<current key id>:<base64>}, different on every call (random IV)
     * @throws BusException {@code SERVICE_UNAVAILABLE} (503) naming {@value #KEY_SETTING} when no current key
     *     is configured
     */
    public String seal(String plain, String context) {
        if (currentId == null) {
            throw new BusException(
                    ErrorCode.SERVICE_UNAVAILABLE,
                    "This bus cannot store secrets: no encryption key is configured (" + KEY_SETTING
                            + ", environment EVENTBUS_SECRETS_KEY: base64 of 32 random bytes)",
                    Map.of("setting", KEY_SETTING));
        }
        byte[] iv = new byte[IV_BYTES];
        RANDOM.nextBytes(iv);
        try {
            Cipher c = cipher(Cipher.ENCRYPT_MODE, keys.get(currentId), iv, context);
            byte[] sealed = c.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            byte[] out = ByteBuffer.allocate(iv.length + sealed.length)
                    .put(iv)
                    .put(sealed)
                    .array();
            return PREFIX + currentId + ":" + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(
                    "AES-GCM is not available: " + e.getClass().getSimpleName(), e);
        }
    }

    /**
     * @param stored a value from {@link #seal}, or a secret stored in plain text by an older version
     * @param context the id the value was sealed with
     * @return the secret
     * @throws IllegalStateException when the value does not open: its key is not configured, it was altered
     *     or it belongs to another record. The message names the key id, never the value or a key.
     */
    public String open(String stored, String context) {
        if (!isSealed(stored)) {
            return stored;
        }
        if (!stored.startsWith(PREFIX)) {
            throw new IllegalStateException(
                    "secret is encrypted in an unknown format (this version reads " + PREFIX + ")");
        }
        int colon = stored.indexOf(':', PREFIX.length());
        String id = colon < 0 ? "" : stored.substring(PREFIX.length(), colon);
        SecretKey key = keys.get(id);
        if (key == null) {
            throw new IllegalStateException("secret is encrypted with key " + (id.isEmpty() ? "(none)" : id)
                    + ", which is not configured (" + KEY_SETTING + ", " + OLD_KEYS_SETTING + ")");
        }
        byte[] body;
        try {
            body = Base64.getDecoder().decode(stored.substring(colon + 1));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("secret is damaged (not base64)");
        }
        if (body.length < IV_BYTES + TAG_BITS / 8) {
            throw new IllegalStateException("secret is damaged (too short)");
        }
        try {
            Cipher c = cipher(Cipher.DECRYPT_MODE, key, Arrays.copyOf(body, IV_BYTES), context);
            return new String(c.doFinal(body, IV_BYTES, body.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new IllegalStateException(
                    "secret does not decrypt with key " + id + ": it was altered or copied from another record");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("secret does not decrypt with key " + id + ": "
                    + e.getClass().getSimpleName());
        }
    }

    /** @return whether the value is encrypted (rather than a secret stored in plain text) */
    public static boolean isSealed(String stored) {
        return stored.startsWith("enc:");
    }

    /** @return whether the value is sealed under the current key (else it should be sealed again) */
    public boolean isCurrent(String stored) {
        return currentId != null && stored.startsWith(PREFIX + currentId + ":");
    }

    private String add(byte[] key) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("a key must be 32 bytes, not " + key.length);
        }
        String id = keyId(key);
        keys.putIfAbsent(id, new SecretKeySpec(key, "AES"));
        return id;
    }

    private static Cipher cipher(int mode, SecretKey key, byte[] iv, String context) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance(TRANSFORMATION);
        c.init(mode, key, new GCMParameterSpec(TAG_BITS, iv));
        c.updateAAD(context.getBytes(StandardCharsets.UTF_8));
        return c;
    }

    private static byte[] decode(String text, String setting, Consumer<String> problems) {
        byte[] key;
        try {
            key = text.indexOf('-') >= 0 || text.indexOf('_') >= 0
                    ? Base64.getUrlDecoder().decode(text)
                    : Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            problems.accept(setting + " is not base64; it is ignored");
            return null;
        }
        if (key.length != KEY_BYTES) {
            problems.accept(setting + " is " + key.length + " bytes, not 32; it is ignored");
            return null;
        }
        return key;
    }
}
