package com.idynic.eventbus.web;

import com.idynic.eventbus.api.CachedJson;
import com.idynic.eventbus.api.TokenSignature;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verifies a bearer token signed with the bus's own key once, and remembers the result by the token's SHA-256
 * until the token expires, so that a client reusing its token for many calls costs one map lookup per call
 * instead of the server's whole authentication (MicroProfile JWT's trust interceptor, a new subject and
 * principal per request). The checks are MicroProfile JWT's, as {@code server.xml} configures it: an RS256
 * signature by the key ({@link TokenSignature}), {@code iss} equal to the bus's issuer, {@code aud} naming its
 * audience, {@code exp} not passed and {@code iat}/{@code nbf} not in the future (each with the clock skew), and
 * a {@code upn}. The lifetime is checked again on every call, also for a remembered token. What the token's
 * service may do is not remembered here: {@link ResourceAccess} reads the stored service (roles, revoked keys)
 * on every call, as before.
 */
final class VerifiedTokens {
    /** Most tokens remembered; past it the expired ones are dropped, then all if none had expired. */
    static final int MAX_ENTRIES = 10_000;

    private static final Base64.Decoder B64 = Base64.getUrlDecoder();

    private final TokenSignature signature;
    private final String issuer;
    private final String audience;
    private final long skewSeconds;
    private final Clock clock;
    private final int maxEntries;
    private final Map<String, TokenPrincipal> byHash = new ConcurrentHashMap<>();

    /**
     * @param signature the bus's own key ({@link TokenSignature#verifiesSignatures()} must hold)
     * @param issuer the {@code iss} a token must carry
     * @param audience the {@code aud} a token must name
     * @param skew the clock skew allowed on {@code exp}, {@code iat} and {@code nbf}
     */
    VerifiedTokens(TokenSignature signature, String issuer, String audience, Duration skew, Clock clock) {
        this(signature, issuer, audience, skew, clock, MAX_ENTRIES);
    }

    VerifiedTokens(
            TokenSignature signature, String issuer, String audience, Duration skew, Clock clock, int maxEntries) {
        if (!signature.verifiesSignatures()) {
            throw new IllegalArgumentException("tokens can only be verified here with a local key");
        }
        this.signature = signature;
        this.issuer = issuer;
        this.audience = audience;
        this.skewSeconds = skew.toSeconds();
        this.clock = clock;
        this.maxEntries = maxEntries;
    }

    /**
     * @param token a compact JWS, as presented after {@code Bearer }
     * @return its principal when it is valid now; null when it is not (forged, expired, for another issuer or
     *     audience, malformed)
     */
    TokenPrincipal verify(String token) {
        if (token == null || token.length() > 16_384) {
            return null;
        }
        long now = clock.instant().getEpochSecond();
        String hash = sha256(token);
        TokenPrincipal known = byHash.get(hash);
        if (known != null) {
            if (usable(known, now)) {
                return known;
            }
            byHash.remove(hash);
            return null;
        }
        if (!signature.mayBeValid(token)) {
            return null;
        }
        TokenPrincipal p = principal(token);
        if (p == null || !usable(p, now)) {
            return null;
        }
        remember(hash, p, now);
        return p;
    }

    /** @return tokens remembered now (for tests) */
    int size() {
        return byHash.size();
    }

    private boolean usable(TokenPrincipal p, long now) {
        return now <= p.expiresAt() + skewSeconds
                && (p.notBefore() == null || p.notBefore() <= now + skewSeconds)
                && (p.issuedAt() == null || p.issuedAt() <= now + skewSeconds);
    }

    private void remember(String hash, TokenPrincipal p, long now) {
        if (byHash.size() >= maxEntries) {
            byHash.values().removeIf(old -> !usable(old, now));
            if (byHash.size() >= maxEntries) {
                byHash.clear();
            }
        }
        byHash.put(hash, p);
    }

    /** @return the principal of a token whose signature verified, or null when its claims do not fit the bus */
    private TokenPrincipal principal(String token) {
        JsonObject claims;
        try (JsonReader r = CachedJson.createReader(new StringReader(new String(
                B64.decode(token.substring(token.indexOf('.') + 1, token.lastIndexOf('.'))),
                StandardCharsets.UTF_8)))) {
            claims = r.readObject();
        } catch (RuntimeException malformed) {
            return null;
        }
        if (!issuer.equals(string(claims, "iss")) || !audienceNamed(claims.get("aud"))) {
            return null;
        }
        Long exp = seconds(claims, "exp");
        String upn = string(claims, "upn");
        if (exp == null || upn == null || upn.isEmpty()) {
            return null;
        }
        JsonValue nbf = claims.get("nbf");
        JsonValue iat = claims.get("iat");
        if ((nbf != null && seconds(claims, "nbf") == null) || (iat != null && seconds(claims, "iat") == null)) {
            return null;
        }
        Set<String> groups = new LinkedHashSet<>();
        JsonValue g = claims.get("groups");
        if (g != null) {
            if (!(g instanceof JsonArray a)) {
                return null;
            }
            for (JsonValue v : a) {
                if (!(v instanceof JsonString s)) {
                    return null;
                }
                groups.add(s.getString());
            }
        }
        return new TokenPrincipal(
                token, claims, upn, Set.copyOf(groups), exp, seconds(claims, "iat"), seconds(claims, "nbf"));
    }

    private boolean audienceNamed(JsonValue aud) {
        if (aud instanceof JsonString s) {
            return audience.equals(s.getString());
        }
        if (aud instanceof JsonArray a) {
            for (JsonValue v : a) {
                if (v instanceof JsonString s && audience.equals(s.getString())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String string(JsonObject o, String name) {
        return o.get(name) instanceof JsonString s ? s.getString() : null;
    }

    private static Long seconds(JsonObject o, String name) {
        if (o.get(name) instanceof JsonNumber n) {
            try {
                return n.bigDecimalValue().longValueExact();
            } catch (ArithmeticException notWhole) {
                return null;
            }
        }
        return null;
    }

    private static String sha256(String token) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
