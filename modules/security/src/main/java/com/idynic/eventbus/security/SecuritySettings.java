package com.idynic.eventbus.security;

import java.time.Duration;
import java.util.Optional;

/**
 * Identity, secrets at rest and rate limits ({@code eventbus.jwt.*}, {@code eventbus.auth.*}, {@code
 * eventbus.secrets.*}, {@code eventbus.ratelimit.*}, and MicroProfile JWT's public key location).
 *
 * @param jwtPrivateKey the PEM file (PKCS#8) of the key the bus signs tokens with; empty: the bus signs none
 * @param jwtPublicKey where the key that verifies tokens is ({@code mp.jwt.verify.publickey.location}, also
 *     read by MicroProfile JWT), e.g. {@code file:/config/jwt-public.pem}
 * @param jwtIssuer the {@code iss} of the tokens the bus signs
 * @param jwtAudience the {@code aud} of the tokens the bus signs
 * @param tokenLifetime how long a token the bus signs is valid, e.g. 15 min
 * @param defaultRateLimit the publish rate of a service that sets none
 * @param secretsKey the key (base64 of 32 bytes) webhook secrets are stored under; empty: none stored
 * @param secretsOldKeys earlier keys, comma-separated, that stored secrets may still be under
 * @param adminKey the API key of the service {@code admin}, created at start when set
 * @param clientKey the API key of the co-deployed apps' service, created at start when set
 * @param clientService the name of the co-deployed apps' service, e.g. {@code profile-service}
 * @param directoryTtl how long a server keeps its copy of a service record or API key, e.g. 2 s
 * @param jwtClockSkew the clock skew allowed on a token's {@code exp}, {@code iat} and {@code nbf} ({@code
 *     eventbus.jwt.clock-skew}, also MicroProfile JWT's), e.g. 30 s
 * @since 0.8.0
 */
public record SecuritySettings(
        Optional<String> jwtPrivateKey,
        Optional<String> jwtPublicKey,
        String jwtIssuer,
        String jwtAudience,
        Duration tokenLifetime,
        RateLimit defaultRateLimit,
        Optional<String> secretsKey,
        Optional<String> secretsOldKeys,
        Optional<String> adminKey,
        Optional<String> clientKey,
        String clientService,
        Duration directoryTtl,
        Duration jwtClockSkew) {

    private static final java.util.regex.Pattern DURATION_PART = java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h|d)");

    /**
     * @param text a duration as {@code server.xml} writes it ({@code 30s}, {@code 1m30s}, {@code 500ms}, a plain
     *     number of milliseconds) or ISO-8601 ({@code PT30S})
     * @param fallback what an unreadable {@code text} gives
     * @return the duration
     * @since 0.22.0
     */
    public static Duration libertyDuration(String text, Duration fallback) {
        String t = text == null ? "" : text.trim();
        try {
            if (t.startsWith("P") || t.startsWith("p")) {
                return Duration.parse(t);
            }
            if (t.matches("\\d+")) {
                return Duration.ofMillis(Long.parseLong(t));
            }
            java.util.regex.Matcher m = DURATION_PART.matcher(t);
            Duration d = Duration.ZERO;
            int end = 0;
            while (m.find() && m.start() == end) {
                long n = Long.parseLong(m.group(1));
                d = d.plus(
                        switch (m.group(2)) {
                            case "ms" -> Duration.ofMillis(n);
                            case "s" -> Duration.ofSeconds(n);
                            case "m" -> Duration.ofMinutes(n);
                            case "h" -> Duration.ofHours(n);
                            default -> Duration.ofDays(n);
                        });
                end = m.end();
            }
            if (end == t.length() && end > 0) {
                return d;
            }
        } catch (RuntimeException unreadable) {
            // the fallback below
        }
        return fallback;
    }
}
