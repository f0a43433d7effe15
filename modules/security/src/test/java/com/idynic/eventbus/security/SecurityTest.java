package com.idynic.eventbus.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.ErrorCode;
import com.idynic.eventbus.security.spi.ApiKeyRecord;
import com.idynic.eventbus.security.spi.ServiceStore;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class SecurityTest {
    static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

    static ServiceAccount publisher(String name, List<String> types, List<String> sources) {
        return new ServiceAccount(name, Set.of(Role.PUBLISHER), types, List.of("order.*"), sources, null, null);
    }

    /** In memory, for unit tests only. */
    static final class MemoryStore implements ServiceStore {
        final Map<String, ServiceAccount> services = new HashMap<>();
        final Map<String, ApiKeyRecord> keys = new HashMap<>();

        @Override
        public Optional<ServiceAccount> find(String name) {
            return Optional.ofNullable(services.get(name));
        }

        @Override
        public List<ServiceAccount> list() {
            return new ArrayList<>(services.values());
        }

        @Override
        public void save(ServiceAccount service) {
            services.put(service.name(), service);
        }

        @Override
        public void addKey(ApiKeyRecord key) {
            keys.put(key.keyId(), key);
        }

        @Override
        public Optional<ApiKeyRecord> findKey(String keyId) {
            return Optional.ofNullable(keys.get(keyId));
        }

        @Override
        public List<ApiKeyRecord> keys(String service) {
            return keys.values().stream()
                    .filter(k -> k.service().equals(service))
                    .toList();
        }

        @Override
        public boolean revoke(String service, String keyId, Instant at) {
            ApiKeyRecord k = keys.get(keyId);
            if (k == null || k.revokedAt() != null) {
                return false;
            }
            keys.put(keyId, new ApiKeyRecord(k.keyId(), k.service(), k.hash(), k.createdAt(), k.expiresAt(), at, null));
            return true;
        }

        @Override
        public void used(String keyId, Instant at) {}
    }

    @Test
    void aPublisherMayUseItsTypesAndItsOwnSourceOnly() {
        ServiceAccount s = publisher("order-service", List.of("order.*"), List.of());
        Permissions.checkPublish(s, "order.placed", "order-service");
        BusException type =
                assertThrows(BusException.class, () -> Permissions.checkPublish(s, "user.created", "order-service"));
        assertEquals(ErrorCode.FORBIDDEN, type.errorCode());
        assertEquals("eventType", type.details().get("field"));
        BusException source =
                assertThrows(BusException.class, () -> Permissions.checkPublish(s, "order.placed", "billing"));
        assertEquals("source", source.details().get("field"));
        Permissions.checkPublish(publisher("gateway", List.of("*"), List.of("billing")), "order.placed", "billing");
    }

    @Test
    void subscribingToAWiderSelectorThanGrantedIsRefused() {
        ServiceAccount s = new ServiceAccount(
                "reader", Set.of(Role.SUBSCRIBER), List.of(), List.of("order.*"), List.of(), null, null);
        Permissions.checkSubscribe(s, List.of("order.placed", "order.*", "order.eu.*"));
        assertForbidden(() -> Permissions.checkSubscribe(s, List.of("*")));
        assertForbidden(() -> Permissions.checkSubscribe(s, List.of("orders.*")));
        assertForbidden(() -> Permissions.checkSubscribe(s, List.of("user.created")));
    }

    @Test
    void readingNeedsTheSubscriberRoleAndAPatternThatSelectsTheTypeNow() {
        ServiceAccount reader = new ServiceAccount(
                "r", Set.of(Role.SUBSCRIBER), List.of(), List.of("order.*", "user.created"), List.of(), null, null);
        assertTrue(reader.mayRead("order.placed"));
        assertTrue(reader.mayRead("user.created"));
        assertFalse(reader.mayRead("user.deleted"));
        assertTrue(reader.mayReadSome("*"));
        assertTrue(reader.mayReadSome("order.placed"));
        assertTrue(reader.mayReadSome("order.placed.*"));
        assertTrue(reader.mayReadSome("user.*"));
        assertFalse(reader.mayReadSome("user.deleted"));
        assertFalse(reader.mayReadSome("invoice.*"));
        ServiceAccount demoted =
                new ServiceAccount("r", Set.of(Role.OPERATOR), List.of(), List.of("order.*"), List.of(), null, null);
        assertFalse(demoted.mayRead("order.placed"));
        assertFalse(demoted.mayReadSome("order.*"));
        ServiceAccount admin = new ServiceAccount("a", Set.of(Role.ADMIN), List.of(), List.of(), List.of(), null, null);
        assertTrue(admin.mayRead("anything.at.all"));
    }

    @Test
    void adminHasEveryRoleAndOperatorsSeeEverySubscription() {
        ServiceAccount admin =
                new ServiceAccount("admin", Set.of(Role.ADMIN), List.of(), List.of(), List.of(), null, null);
        assertTrue(admin.has(Role.PUBLISHER) && admin.has(Role.OPERATOR) && admin.mayPublish("x.y"));
        Permissions.checkOwner(admin, "sub-1", "someone");
        ServiceAccount other = publisher("other", List.of(), List.of());
        assertForbidden(() -> Permissions.checkOwner(other, "sub-1", "someone"));
        assertForbidden(() -> Permissions.requireRole(other, Role.OPERATOR));
    }

    @Test
    void keysAreCheckedByHashAndRevokedOrExpiredOnesGetNoToken() throws Exception {
        MemoryStore store = new MemoryStore();
        store.save(publisher("order-service", List.of("order.*"), List.of()));
        KeyPair pair = rsa();
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        Credentials c = new Credentials(
                store, new TokenIssuer(pair.getPrivate(), "bus", "bus-api", Duration.ofMinutes(15), clock), clock);
        ApiKeys.Issued k = c.issue("order-service", Duration.ofDays(1));
        assertFalse(store.keys.values().stream().anyMatch(r -> r.hash().contains(k.key())), "only the hash is stored");

        String jwt = c.exchange(k.key()).jwt();
        JsonObject claims = verify(jwt, pair);
        assertEquals("order-service", claims.getString("upn"));
        assertEquals("bus", claims.getString("iss"));
        assertEquals("bus-api", claims.getString("aud"));
        assertEquals(k.keyId(), claims.getString("ebk"));
        assertEquals(
                List.of("publisher"),
                claims.getJsonArray("groups").getValuesAs(jakarta.json.JsonString.class).stream()
                        .map(jakarta.json.JsonString::getString)
                        .toList());
        assertEquals(
                NOW.plus(Duration.ofMinutes(15)).getEpochSecond(),
                claims.getJsonNumber("exp").longValue());

        String tampered = k.key().substring(0, k.key().length() - 1) + (k.key().endsWith("A") ? "B" : "A");
        assertUnauthorized(() -> c.exchange(tampered));
        assertUnauthorized(() -> c.exchange("not a key"));
        store.revoke("order-service", k.keyId(), NOW);
        assertUnauthorized(() -> c.exchange(k.key()));

        ApiKeys.Issued expired = c.issue("order-service", Duration.ofSeconds(1));
        Credentials later = new Credentials(
                store,
                new TokenIssuer(pair.getPrivate(), "bus", "bus-api", Duration.ofMinutes(15), clock),
                Clock.fixed(NOW.plusSeconds(2), ZoneOffset.UTC));
        assertUnauthorized(() -> later.exchange(expired.key()));
    }

    @Test
    void aVerifiedKeyNamesItsStoredServiceWithoutATokenAndAWrongOrRevokedOneIsRefused() {
        MemoryStore store = new MemoryStore();
        store.save(publisher("order-service", List.of("order.*"), List.of()));
        Credentials c = new Credentials(store, null, Clock.fixed(NOW, ZoneOffset.UTC));
        ApiKeys.Issued k = c.issue("order-service", null);

        Credentials.Verified v = c.verify(k.key());
        assertEquals("order-service", v.service().name());
        assertEquals(Set.of(Role.PUBLISHER), v.service().roles());
        assertEquals(k.keyId(), v.keyId());

        String tampered = k.key().substring(0, k.key().length() - 1) + (k.key().endsWith("A") ? "B" : "A");
        assertUnauthorized(() -> c.verify(tampered));
        store.revoke("order-service", k.keyId(), NOW);
        assertUnauthorized(() -> c.verify(k.key()));
    }

    /** Every refused key gets the same answer: 401 naming the apiKey field, whatever the reason. */
    static void assertUnauthorized(Executable exchange) {
        BusException e = assertThrows(BusException.class, exchange);
        assertEquals(ErrorCode.UNAUTHORIZED, e.errorCode(), e.getMessage());
        assertEquals("apiKey", e.details().get("field"));
    }

    static void assertForbidden(Executable call) {
        assertEquals(ErrorCode.FORBIDDEN, assertThrows(BusException.class, call).errorCode());
    }

    @Test
    void withTheSharedStoreDownLimitsHoldPerServerAndRecover() {
        boolean[] down = {false};
        RateLimiter limiter = new RateLimiter(
                (key, limit) -> {
                    if (down[0]) {
                        throw new IllegalStateException("Redis down");
                    }
                    return Duration.ZERO;
                },
                Clock.fixed(NOW, ZoneOffset.UTC));
        RateLimit two = new RateLimit(1, 2);
        assertEquals(Duration.ZERO, limiter.acquire("svc", two));
        down[0] = true;
        assertEquals(Duration.ZERO, limiter.acquire("svc", two));
        assertEquals(Duration.ZERO, limiter.acquire("svc", two));
        assertEquals(Duration.ofSeconds(1), limiter.acquire("svc", two), "burst used up locally");
        assertTrue(limiter.degraded());
        down[0] = false;
        assertEquals(Duration.ZERO, limiter.acquire("svc", two));
        assertFalse(limiter.degraded());
    }

    static KeyPair rsa() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    static JsonObject verify(String jwt, KeyPair pair) throws Exception {
        String[] parts = jwt.split("\\.");
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initVerify(pair.getPublic());
        s.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertTrue(s.verify(Base64.getUrlDecoder().decode(parts[2])), "RS256 signature verifies");
        String json = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        return Json.createReader(new StringReader(json)).readObject();
    }
}
