package com.idynic.eventbus.sdk;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks a webhook delivery's Standard Webhooks signature: {@code webhook-signature: v1,<base64 HMAC-SHA256>} over
 * {@code <webhook-id>.<webhook-timestamp>.<body>}, keyed with the base64 part of the subscription's {@code whsec_}
 * secret. Verify the raw body bytes as they arrived: a body parsed and written again (other spacing, key order or
 * escapes) no longer matches.
 *
 * @since 0.3.0
 */
public final class WebhookVerifier {
    /** How far {@code webhook-timestamp} may be from now by default (replay protection). */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    private final byte[] key;
    private final Duration tolerance;
    private final Clock clock;

    /** @param secret the subscription's secret, {@code whsec_…} */
    public WebhookVerifier(String secret) {
        this(secret, DEFAULT_TOLERANCE, EventBus.DEFAULT_CLOCK);
    }

    /**
     * @param secret the subscription's secret, {@code whsec_…}
     * @param tolerance how far the delivery's timestamp may be from {@code clock}'s now
     */
    public WebhookVerifier(String secret, Duration tolerance, Clock clock) {
        this.key = Base64.getDecoder().decode(secret.startsWith("whsec_") ? secret.substring(6) : secret);
        this.tolerance = tolerance;
        this.clock = clock;
    }

    /**
     * @param id the {@code webhook-id} header
     * @param timestamp the {@code webhook-timestamp} header (Unix seconds)
     * @param signature the {@code webhook-signature} header (space-separated {@code v1,…} values)
     * @param body the request body exactly as received
     * @throws WebhookVerificationException when a header is missing, the timestamp is outside the tolerance, or
     *     no signature matches
     */
    public void verify(String id, String timestamp, String signature, byte[] body) {
        if (id == null || timestamp == null || signature == null || body == null) {
            throw new WebhookVerificationException("webhook-id, webhook-timestamp and webhook-signature are required");
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.strip());
        } catch (NumberFormatException e) {
            throw new WebhookVerificationException("webhook-timestamp is not Unix seconds: " + timestamp);
        }
        Duration age = Duration.between(Instant.ofEpochSecond(seconds), clock.instant())
                .abs();
        if (age.compareTo(tolerance) > 0) {
            throw new WebhookVerificationException("webhook-timestamp is " + age.toSeconds() + " s away from now");
        }
        byte[] expected = sign(id, timestamp.strip(), body);
        for (String candidate : signature.strip().split(" +")) {
            int comma = candidate.indexOf(',');
            if (comma < 0 || !candidate.substring(0, comma).equals("v1")) {
                continue;
            }
            byte[] given;
            try {
                given = Base64.getDecoder().decode(candidate.substring(comma + 1));
            } catch (IllegalArgumentException notBase64) {
                continue;
            }
            if (MessageDigest.isEqual(expected, given)) {
                return;
            }
        }
        throw new WebhookVerificationException("no webhook-signature matches the body");
    }

    /** @return whether {@link #verify(String, String, String, byte[])} accepts the delivery */
    public boolean isValid(String id, String timestamp, String signature, byte[] body) {
        try {
            verify(id, timestamp, signature, body);
            return true;
        } catch (WebhookVerificationException e) {
            return false;
        }
    }

    private byte[] sign(String id, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
        }
    }
}
