package com.idynic.eventbus.web;

import com.idynic.eventbus.security.SecuritySettings;
import com.idynic.eventbus.security.ServiceAccount;
import com.idynic.eventbus.security.spi.ApiKeyRecord;
import com.idynic.eventbus.security.spi.ServiceStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Services and API keys by name, cached for {@code eventbus.auth.directory-ttl} each (2 s unless set): a
 * change made on another server reaches this one within that; this server forgets its own copy when it
 * saves or revokes. While PostgreSQL is unreachable the last known copy is used; with no copy at all the
 * store's error propagates (503).
 */
@ApplicationScoped
public class ServiceDirectory {
    private record Entry<T>(Optional<T> value, long at) {}

    private final Map<String, Entry<ServiceAccount>> services = new ConcurrentHashMap<>();
    private final Map<String, Entry<ApiKeyRecord>> keys = new ConcurrentHashMap<>();

    @Inject
    ServiceStore store;

    @Inject
    Clock clock;

    @Inject
    SecuritySettings settings;

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
        long now = System.nanoTime();
        Entry<T> e = cache.get(key);
        if (e == null || now - e.at() > settings.directoryTtl().toNanos()) {
            try {
                e = new Entry<>(load.apply(key), now);
            } catch (RuntimeException storeDown) {
                if (e == null) {
                    throw storeDown;
                }
                return e.value();
            }
            if (cache.size() > 10_000) {
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

    /** @return the store, for keys */
    public ServiceStore store() {
        return store;
    }
}
