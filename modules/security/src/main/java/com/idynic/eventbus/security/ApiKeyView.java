package com.idynic.eventbus.security;

import com.idynic.eventbus.security.spi.ApiKeyRecord;
import java.time.Instant;

/**
 * A service's API key as administrators list it: never the key, nor its hash (the stored {@link ApiKeyRecord} may
 * change without changing it).
 *
 * @param keyId e.g. {@code 5f1c2a9e7b3d0c41} (the id part of {@code ebk_<keyId>_<secret>})
 * @param service the service it belongs to
 * @param createdAt when it was issued
 * @param expiresAt when it expires, or null for never
 * @param revokedAt when it was revoked, or null while valid
 * @param lastUsedAt its last token exchange, or null before the first
 * @since 0.23.0
 */
public record ApiKeyView(
        String keyId, String service, Instant createdAt, Instant expiresAt, Instant revokedAt, Instant lastUsedAt) {

    /** @return whether it was revoked */
    public boolean revoked() {
        return revokedAt != null;
    }

    static ApiKeyView of(ApiKeyRecord k) {
        return new ApiKeyView(k.keyId(), k.service(), k.createdAt(), k.expiresAt(), k.revokedAt(), k.lastUsedAt());
    }
}
