package com.idynic.eventbus.security;

import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.ErrorCode;
import com.idynic.eventbus.api.Timestamps;
import com.idynic.eventbus.security.spi.ApiKeyRecord;
import com.idynic.eventbus.security.spi.ServiceStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Issues API keys and exchanges them for tokens. Every failed exchange gives the same answer, so a
 * caller cannot learn whether a key id exists.
 *
 * @since 0.3.0
 */
public final class Credentials {
    private final ServiceStore store;
    private final TokenIssuer issuer;
    private final Clock clock;

    /** @param issuer null when this bus issues no tokens (no signing key configured) */
    public Credentials(ServiceStore store, TokenIssuer issuer, Clock clock) {
        this.store = store;
        this.issuer = issuer;
        this.clock = clock;
    }

    /** @return whether this bus signs its own tokens (then only services it knows may call it) */
    public boolean issuesTokens() {
        return issuer != null;
    }

    /**
     * @param validFor null for a key that does not expire
     * @return the key, to be shown once
     */
    public ApiKeys.Issued issue(String service, Duration validFor) {
        ApiKeys.Issued k = ApiKeys.generate();
        Instant now = Timestamps.millis(clock.instant());
        Instant expiresAt = validFor == null ? null : now.plus(validFor);
        store.addKey(new ApiKeyRecord(k.keyId(), service, k.hash(), now, expiresAt, null, null));
        return k.expiringAt(expiresAt);
    }

    /**
     * Stores a key given by configuration (the bootstrap admin key) unless it is already stored.
     *
     * @return false when the text is not shaped like a key
     */
    public boolean ensure(String service, String key) {
        Optional<ApiKeys.Presented> p = ApiKeys.parse(key);
        if (p.isEmpty()) {
            return false;
        }
        if (store.findKey(p.get().keyId()).isEmpty()) {
            store.addKey(new ApiKeyRecord(p.get().keyId(), service, p.get().hash(), clock.instant(), null, null, null));
        }
        return true;
    }

    /**
     * @return a token for the key's service
     * @throws BusException {@code UNAUTHORIZED} (401) for an unknown, wrong, revoked or expired key, or a
     *     service that no longer exists; {@code SERVICE_UNAVAILABLE} when no signing key is configured
     */
    public TokenIssuer.Token exchange(String key) {
        if (issuer == null) {
            throw new BusException(
                    ErrorCode.SERVICE_UNAVAILABLE,
                    "This bus issues no tokens: no signing key is configured (EVENTBUS_JWT_PRIVATE_KEY)",
                    Map.of());
        }
        Verified v = verify(key);
        return issuer.issue(v.service(), v.keyId());
    }

    /**
     * A presented key checked against the store: its service and the key's id.
     *
     * @param service the service as stored now (its roles decide what the key may do)
     * @param keyId the key's public id, e.g. {@code ebk_abc123} (to check later that it is still active)
     * @since 0.9.0
     */
    public record Verified(ServiceAccount service, String keyId) {}

    /**
     * Checks a key as {@link #exchange} does and records its use, without issuing a token (the console
     * keeps the result in its HTTP session instead).
     *
     * @throws BusException {@code UNAUTHORIZED} (401) for an unknown, wrong, revoked or expired key, or a
     *     service that no longer exists
     * @since 0.9.0
     */
    public Verified verify(String key) {
        Instant now = clock.instant();
        ApiKeys.Presented p = ApiKeys.parse(key).orElseThrow(Credentials::refused);
        ApiKeyRecord stored = store.findKey(p.keyId())
                .filter(r -> ApiKeys.sameHash(r.hash(), p.hash()))
                .filter(r -> r.revokedAt() == null)
                .filter(r -> r.expiresAt() == null || r.expiresAt().isAfter(now))
                .orElseThrow(Credentials::refused);
        ServiceAccount service = store.find(stored.service()).orElseThrow(Credentials::refused);
        store.used(stored.keyId(), now);
        return new Verified(service, stored.keyId());
    }

    private static BusException refused() {
        return new BusException(
                ErrorCode.UNAUTHORIZED,
                "The API key is not valid (unknown, revoked or expired)",
                Map.of("field", "apiKey"));
    }
}
