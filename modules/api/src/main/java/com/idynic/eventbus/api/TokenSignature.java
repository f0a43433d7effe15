package com.idynic.eventbus.api;

import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Checks a bearer token's RS256 signature against the bus's own public key before the server's
 * MicroProfile JWT runtime sees it. Open Liberty writes a token it finds badly signed, whole, into
 * {@code messages.log} and an FFDC incident (its JWT library quotes the token in the exception), so a
 * forged or corrupted token must be refused before it gets there. Only a token that passes goes on to
 * the full verification (issuer, audience, expiry) by MicroProfile JWT. With a key that is not a local
 * PEM file (an identity provider's JWKS URL) there is nothing to check here and every token passes on.
 *
 * @since 0.4.0
 */
public final class TokenSignature {
    private static final Pattern PART = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Base64.Decoder B64 = Base64.getUrlDecoder();

    private static final int VERIFIED_KEPT = 4096;

    private final PublicKey key;
    private final boolean refuseAll;
    /** Tokens whose signature already verified: a client reuses its token for many calls. */
    private final java.util.Set<String> verified = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private TokenSignature(PublicKey key, boolean refuseAll) {
        this.key = key;
        this.refuseAll = refuseAll;
    }

    /**
     * @param location MicroProfile JWT's {@code mp.jwt.verify.publickey.location}: a {@code file:} URL of
     *     a PEM public key is checked; anything else (a JWKS URL, or null) disables the check
     * @throws IllegalArgumentException when a {@code file:} location holds no RSA public key
     */
    public static TokenSignature at(String location) {
        if (location == null || !location.startsWith("file:")) {
            return new TokenSignature(null, false);
        }
        try {
            String pem = Files.readString(path(location));
            byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
            return new TokenSignature(KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der)), false);
        } catch (java.io.IOException | GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException("no RSA public key at " + location + ": " + e.getMessage(), e);
        }
    }

    /** A {@code file:} URL, or {@code file:} followed by a plain path (which may hold spaces). */
    private static Path path(String location) {
        try {
            return Path.of(URI.create(location));
        } catch (IllegalArgumentException notAUri) {
            return Path.of(location.substring("file:".length()));
        }
    }

    /**
     * @param location as for {@link #at}
     * @param unreadable told why, when a {@code file:} location holds no key
     * @return the check for that key, or one that refuses every token when the key cannot be read (then
     *     MicroProfile JWT could verify nothing either)
     */
    public static TokenSignature configured(String location, java.util.function.Consumer<String> unreadable) {
        try {
            return at(location);
        } catch (IllegalArgumentException e) {
            unreadable.accept(e.getMessage());
            return refusingAll();
        }
    }

    /** @return a check that refuses every token (the configured key file cannot be read) */
    public static TokenSignature refusingAll() {
        return new TokenSignature(null, true);
    }

    /** @return whether a key is checked at all */
    public boolean active() {
        return key != null || refuseAll;
    }

    /**
     * @param token a compact JWS ({@code header.payload.signature})
     * @return false when it is not a compact RS256 JWS signed with the key; true otherwise, or when no key
     *     is checked
     */
    public boolean mayBeValid(String token) {
        if (key == null) {
            return !refuseAll;
        }
        if (token == null || token.length() > 16_384) {
            return false;
        }
        if (verified.contains(token)) {
            return true;
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return false;
        }
        for (String p : parts) {
            if (!PART.matcher(p).matches()) {
                return false;
            }
        }
        try (JsonReader r =
                CachedJson.createReader(new StringReader(new String(B64.decode(parts[0]), StandardCharsets.UTF_8)))) {
            JsonObject header = r.readObject();
            if (!"RS256".equals(header.getString("alg", null))) {
                return false;
            }
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initVerify(key);
            s.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            boolean ok = s.verify(B64.decode(parts[2]));
            if (ok) {
                if (verified.size() >= VERIFIED_KEPT) {
                    verified.clear();
                }
                verified.add(token);
            }
            return ok;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}
