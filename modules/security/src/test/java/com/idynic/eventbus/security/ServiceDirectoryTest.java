package com.idynic.eventbus.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.idynic.eventbus.security.spi.ApiKeyRecord;
import com.idynic.eventbus.security.spi.ServiceStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ServiceDirectoryTest {
    static final Duration TTL = Duration.ofSeconds(2);
    static final Instant NOW = SecurityTest.NOW;

    int reads;
    boolean down;
    long nanos;

    final SecurityTest.MemoryStore store = new SecurityTest.MemoryStore();

    /** The store as the directory sees it: counts reads, and fails them while {@code down}. */
    final ServiceStore reading = new ServiceStore() {
        <T> T read(Supplier<T> r) {
            reads++;
            if (down) {
                throw new IllegalStateException("connection refused");
            }
            return r.get();
        }

        @Override
        public Optional<ServiceAccount> find(String name) {
            return read(() -> store.find(name));
        }

        @Override
        public List<ServiceAccount> list() {
            return read(store::list);
        }

        @Override
        public void save(ServiceAccount service) {
            store.save(service);
        }

        @Override
        public void addKey(ApiKeyRecord key) {
            store.addKey(key);
        }

        @Override
        public Optional<ApiKeyRecord> findKey(String keyId) {
            return read(() -> store.findKey(keyId));
        }

        @Override
        public List<ApiKeyRecord> keys(String service) {
            return read(() -> store.keys(service));
        }

        @Override
        public boolean revoke(String service, String keyId, Instant at) {
            return store.revoke(service, keyId, at);
        }

        @Override
        public void used(String keyId, Instant at) {}
    };

    final ServiceDirectory directory =
            new ServiceDirectory(reading, Clock.fixed(NOW, ZoneOffset.UTC), TTL, () -> nanos);

    static ServiceAccount service(String name, Role role) {
        return new ServiceAccount(name, Set.of(role), List.of(), List.of(), List.of(), null, null);
    }

    @Test
    void aServiceIsReadOnceWithinTheTtl() {
        store.save(service("orders", Role.PUBLISHER));
        directory.find("orders");
        nanos += TTL.toNanos();
        assertEquals(
                Role.PUBLISHER,
                directory.find("orders").orElseThrow().roles().iterator().next());
        assertEquals(1, reads);
    }

    @Test
    void aChangeOnAnotherServerIsSeenOnceTheTtlHasPassed() {
        store.save(service("orders", Role.PUBLISHER));
        directory.find("orders");
        store.save(service("orders", Role.SUBSCRIBER));
        nanos += TTL.toNanos() + 1;
        assertEquals(
                Set.of(Role.SUBSCRIBER), directory.find("orders").orElseThrow().roles());
        assertEquals(2, reads);
    }

    @Test
    void anUnknownServiceIsRememberedAsUnknownToo() {
        assertTrue(directory.find("ghost").isEmpty());
        assertTrue(directory.find("ghost").isEmpty());
        assertEquals(1, reads);
    }

    @Test
    void whileTheStoreIsDownTheLastCopyIsUsed() {
        ServiceAccount orders = service("orders", Role.PUBLISHER);
        store.save(orders);
        directory.find("orders");
        down = true;
        nanos += TTL.toNanos() * 10;
        assertSame(orders, directory.find("orders").orElseThrow());
        assertEquals(2, reads);
    }

    @Test
    void withNoCopyTheStoresErrorPropagates() {
        down = true;
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> directory.find("orders"));
        assertEquals("connection refused", e.getMessage());
    }

    @Test
    void savingOnThisServerIsSeenAtOnce() {
        directory.save(service("orders", Role.PUBLISHER));
        directory.find("orders");
        directory.save(service("orders", Role.ADMIN));
        assertEquals(Set.of(Role.ADMIN), directory.find("orders").orElseThrow().roles());
    }

    @Test
    void aKeyIsActiveUntilRevokedOrExpired() {
        store.addKey(new ApiKeyRecord("k1", "orders", "h", NOW, null, null, null));
        store.addKey(new ApiKeyRecord("k2", "orders", "h", NOW, NOW, null, null));
        store.addKey(new ApiKeyRecord("k3", "orders", "h", NOW, NOW.plusSeconds(1), null, null));
        assertTrue(directory.keyActive("k1"));
        assertFalse(directory.keyActive("k2"), "expires now");
        assertTrue(directory.keyActive("k3"));
        assertFalse(directory.keyActive("k9"));
        assertTrue(directory.revoke("orders", "k1", NOW));
        assertFalse(directory.keyActive("k1"), "revoked on this server: seen at once");
        assertFalse(directory.revoke("orders", "k1", NOW));
    }
}
