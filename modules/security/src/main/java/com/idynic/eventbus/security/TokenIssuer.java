package com.idynic.eventbus.security;

import com.idynic.eventbus.api.CachedJson;
import jakarta.json.JsonArrayBuilder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * Signs the bus's own service tokens: RS256 JWTs that MicroProfile JWT verifies ({@code iss},
 * {@code aud}, {@code sub} and {@code upn} = service name, {@code groups} = roles, {@code exp}).
 *
 * @since 0.3.0
 */
public final class TokenIssuer {
    /** A signed token and how long it lives. */
    public record Token(String jwt, Instant expiresAt, Duration lifetime) {}

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private final PrivateKey key;
    private final String issuer;
    private final String audience;
    private final Duration lifetime;
    private final Clock clock;

    public TokenIssuer(PrivateKey key, String issuer, String audience, Duration lifetime, Clock clock) {
        this.key = key;
        this.issuer = issuer;
        this.audience = audience;
        this.lifetime = lifetime;
        this.clock = clock;
    }

    /** Claim naming the API key a token was exchanged for, so revoking the key ends its tokens too. */
    public static final String KEY_CLAIM = "ebk";

    /**
     * @param keyId the API key the token is exchanged for (claim {@value #KEY_CLAIM})
     * @return a token for the service with its roles as groups
     */
    public Token issue(ServiceAccount service, String keyId) {
        Instant now = clock.instant();
        Instant exp = now.plus(lifetime);
        JsonArrayBuilder groups = CachedJson.createArrayBuilder();
        service.roles().stream().map(Role::id).sorted().forEach(groups::add);
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
        String claims = CachedJson.createObjectBuilder()
                .add("iss", issuer)
                .add("aud", audience)
                .add("sub", service.name())
                .add("upn", service.name())
                .add("groups", groups)
                .add("iat", now.getEpochSecond())
                .add("exp", exp.getEpochSecond())
                .add("jti", UUID.randomUUID().toString())
                .add(KEY_CLAIM, keyId)
                .build()
                .toString();
        String signingInput = b64(header) + "." + b64(claims);
        try {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(key);
            s.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return new Token(signingInput + "." + B64.encodeToString(s.sign()), exp, lifetime);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a token: " + e.getMessage(), e);
        }
    }

    private static String b64(String json) {
        return B64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param pem a PKCS#8 RSA private key ({@code -----BEGIN PRIVATE KEY-----})
     * @throws IllegalArgumentException when it is not one
     */
    public static PrivateKey privateKey(String pem) {
        String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("RSA")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not a PKCS#8 RSA private key: " + e.getMessage(), e);
        }
    }
}
