package com.idynic.eventbus.security.spi;

import java.time.Instant;

/**
 * A stored API key: never the key itself, only its hash.
 *
 * @param expiresAt null for never
 * @param revokedAt null while valid
 * @param lastUsedAt null before the first token exchange
 * @since 0.3.0
 */
public record ApiKeyRecord(
        String keyId,
        String service,
        String hash,
        Instant createdAt,
        Instant expiresAt,
        Instant revokedAt,
        Instant lastUsedAt) {}
