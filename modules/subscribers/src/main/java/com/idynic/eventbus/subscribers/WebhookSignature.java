package com.idynic.eventbus.subscribers;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Standard Webhooks signature: {@code webhook-signature: v1,<base64 HMAC-SHA256>} over {@code
 * <webhook-id>.<webhook-timestamp>.<body>}, keyed with the base64 part of the {@code whsec_} secret.
 * A receiver verifies with {@link #verify(String, String, String, String, String)}.
 *
 * @since 0.2.0
 */
public final class WebhookSignature {
    private WebhookSignature() {}

    /**
     * @param secret {@code whsec_...}
     * @param id the {@code webhook-id} header (the event id)
     * @param timestamp the {@code webhook-timestamp} header (Unix seconds)
     * @param body the exact request body
     * @return the {@code webhook-signature} header value, e.g. {@code v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=}
     */
    public static String sign(String secret, String id, String timestamp, String body) {
        try {
            byte[] key = Base64.getDecoder().decode(secret.startsWith("whsec_") ? secret.substring(6) : secret);
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] sig = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(sig);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
        }
    }

    /** @return whether one of the space-separated signatures in {@code header} is valid */
    public static boolean verify(String secret, String id, String timestamp, String body, String header) {
        byte[] expected = sign(secret, id, timestamp, body).getBytes(StandardCharsets.UTF_8);
        for (String candidate : header.split(" ")) {
            if (MessageDigest.isEqual(expected, candidate.getBytes(StandardCharsets.UTF_8))) {
                return true;
            }
        }
        return false;
    }
}
