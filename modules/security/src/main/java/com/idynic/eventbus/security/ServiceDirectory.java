package com.idynic.eventbus.security;

import com.idynic.eventbus.security.spi.ApiKeyRecord;
import com.idynic.eventbus.security.spi.ServiceStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Services and API keys by name, each cached for {@code ttl}: a change made on another server reaches
 * this one within that; this server forgets its own copy when it saves or revokes. While the store is
 * unreachable the last known copy is used; with no copy at all the store's error propagates.
 *
 * @since 0.8.0
 */
public final class ServiceDirectory {
    private static final int MAX_ENTRIES = 10_000;

    private record Entry<T>(Optional<T> value, long at) {}

    private final Map<String, Entry<ServiceAccount>> services = new ConcurrentHashMap<>();
    private final Map<String, Entry<ApiKeyRecord>> keys = new ConcurrentHashMap<>();
    private final ServiceStore store;
    private final Clock clock;
    private final long ttlNanos;
    private final LongSupplier nanoTime;

    /**
     * @param store where services and keys are kept
     * @param clock decides whether a key has expired
     * @param ttl how long a copy is used before the store is read again
     */
    public ServiceDirectory(ServiceStore store, Clock clock, Duration ttl) {
        this(store, clock, ttl, System::nanoTime);
    }

    ServiceDirectory(ServiceStore store, Clock clock, Duration ttl, LongSupplier nanoTime) {
        this.store = store;
        this.clock = clock;
        this.ttlNanos = ttl.toNanos();
        this.nanoTime = nanoTime;
    }

    /** @return the service, if the bus knows it */
    public Optional<ServiceAccount> find(String name) {
        return cached(services, name, store::find);
    }

    /** @return whether the key exists, is not revoked and has not expired */
    public boolean keyActive(String keyId) {
        Instant now = clock.instant();
        return cached(keys, keyId, store::findKey)
                .filter(k -> k.revokedAt() == null)
                .filter(k -> k.expiresAt() == null || k.expiresAt().isAfter(now))
                .isPresent();
    }

    private <T> Optional<T> cached(Map<String, Entry<T>> cache, String key, Function<String, Optional<T>> load) {
        long now = nanoTime.getAsLong();
        Entry<T> e = cache.get(key);
        if (e == null || now - e.at() > ttlNanos) {
            try {
                e = new Entry<>(load.apply(key), now);
            } catch (RuntimeException storeDown) {
                if (e == null) {
                    throw storeDown;
                }
                return e.value();
            }
            if (cache.size() > MAX_ENTRIES) {
                cache.clear();
            }
            cache.put(key, e);
        }
        return e.value();
    }

    /** Saves and forgets the cached copy on this server. */
    public void save(ServiceAccount s) {
        store.save(s);
        services.remove(s.name());
    }

    /** Revokes a key and forgets the cached copy on this server. @return true when it was active */
    public boolean revoke(String service, String keyId, Instant at) {
        boolean revoked = store.revoke(service, keyId, at);
        keys.remove(keyId);
        return revoked;
    }

    /** @return every service, read from the store */
    public List<ServiceAccount> list() {
        return store.list();
    }

    /** @return the service's keys, newest first, read from the store */
    public List<ApiKeyRecord> keys(String service) {
        return store.keys(service);
    }

    /** @return the service as stored now, bypassing the cache */
    public Optional<ServiceAccount> stored(String name) {
        return store.find(name);
    }
}
