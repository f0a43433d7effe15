package com.idynic.eventbus.web;

import com.idynic.eventbus.security.ServiceAccount;
import com.idynic.eventbus.security.spi.ServiceStore;
import com.idynic.eventbus.storage.JdbcServiceStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Services by name, cached for two seconds per name (changes reach every server within that). While
 * PostgreSQL is unreachable the last known copy is used.
 */
@ApplicationScoped
public class ServiceDirectory {
    private static final long TTL_NANOS = 2_000_000_000L;

    private record Entry(Optional<ServiceAccount> service, long at) {}

    private final Map<String, Entry> cache = new ConcurrentHashMap<>();

    @Inject
    JdbcServiceStore store;

    /** @return the service, if the bus knows it */
    public Optional<ServiceAccount> find(String name) {
        long now = System.nanoTime();
        Entry e = cache.get(name);
        if (e == null || now - e.at() > TTL_NANOS) {
            try {
                e = new Entry(store.find(name), now);
            } catch (RuntimeException storeDown) {
                if (e == null) {
                    throw storeDown;
                }
                return e.service();
            }
            cache.put(name, e);
        }
        return e.service();
    }

    /** Saves and forgets the cached copy on this server. */
    public void save(ServiceAccount s) {
        store.save(s);
        cache.remove(s.name());
    }

    /** @return the store, for keys */
    public ServiceStore store() {
        return store;
    }
}
