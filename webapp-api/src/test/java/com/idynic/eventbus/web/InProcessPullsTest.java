package com.idynic.eventbus.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.idynic.eventbus.security.Credentials;
import com.idynic.eventbus.security.Role;
import com.idynic.eventbus.security.ServiceAccount;
import com.idynic.eventbus.security.spi.ApiKeyRecord;
import com.idynic.eventbus.security.spi.ServiceStore;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The in-process endpoint decides who may call exactly as the REST API does: a key as a token exchange checks it
 * (re-checked at least every second, so a revoked key stops in-process delivery), a role that may pull, and the
 * pull API's own body rules; every refusal in the seed's error format with the REST status.
 */
class InProcessPullsTest {
    private final Map<String, ServiceAccount> services = new HashMap<>();
    private final Map<String, ApiKeyRecord> keys = new HashMap<>();
    private final Instant now = Instant.parse("2026-12-07T10:00:00Z");
    private InProcessPulls endpoint;
    private Credentials credentials;

    @BeforeEach
    void wire() {
        ServiceStore store = (ServiceStore) Proxy.newProxyInstance(
                ServiceStore.class.getClassLoader(),
                new Class<?>[] {ServiceStore.class},
                (p, m, a) -> switch (m.getName()) {
                    case "find" -> Optional.ofNullable(services.get((String) a[0]));
                    case "findKey" -> Optional.ofNullable(keys.get((String) a[0]));
                    case "addKey" -> keys.put(((ApiKeyRecord) a[0]).keyId(), (ApiKeyRecord) a[0]);
                    case "used" -> null;
                    default -> throw new UnsupportedOperationException(m.getName());
                });
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        credentials = new Credentials(store, null, clock);
        endpoint = new InProcessPulls();
        endpoint.credentials = credentials;
        endpoint.clock = clock;
    }

    private String key(String service, Role role) {
        services.put(
                service, new ServiceAccount(service, Set.of(role), List.of(), List.of("*"), List.of(), null, null));
        return credentials.issue(service, null).key();
    }

    private static JsonObject answer(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }

    private static void assertRefused(int status, String errorCode, String text) {
        JsonObject o = answer(text);
        assertEquals(status, o.getInt("status"), text);
        assertEquals("error", o.getJsonObject("body").getString("status"), text);
        assertEquals(errorCode, o.getJsonObject("body").getString("errorCode"), text);
    }

    @Test
    void aMissingOrUnknownKeyIsRefusedAs401() {
        assertRefused(401, "UNAUTHORIZED", endpoint.call(null, "pull", "s", "{}"));
        assertRefused(401, "UNAUTHORIZED", endpoint.call("", "pull", "s", "{}"));
        assertRefused(401, "UNAUTHORIZED", endpoint.call("ebk_nothere_secret", "pull", "s", "{}"));
    }

    @Test
    void aServiceWithoutARoleThatMayPullIsRefusedAs403() {
        String publisher = key("writer", Role.PUBLISHER);
        assertRefused(403, "FORBIDDEN", endpoint.call(publisher, "pull", "s", "{}"));
    }

    @Test
    void theBodyIsReadByThePullApisRules() {
        String reader = key("reader", Role.SUBSCRIBER);
        assertRefused(400, "VALIDATION_ERROR", endpoint.call(reader, "pull", "s", "{\"maxEvents\":501}"));
        assertRefused(400, "MALFORMED_JSON", endpoint.call(reader, "ack", "s", "{not json"));
        assertRefused(404, "NOT_FOUND", endpoint.call(reader, "peek", "s", "{}"));
    }

    @Test
    void aRevokedKeyIsRefusedOnceTheRecheckIntervalHasPassed() {
        String reader = key("reader", Role.SUBSCRIBER);
        assertRefused(404, "NOT_FOUND", endpoint.call(reader, "peek", "s", "{}"));
        String keyId = keys.keySet().iterator().next();
        keys.put(keyId, revoked(keys.get(keyId)));

        endpoint.clock = Clock.fixed(now.plus(InProcessPulls.RECHECK).minusMillis(1), ZoneOffset.UTC);
        assertRefused(404, "NOT_FOUND", endpoint.call(reader, "peek", "s", "{}"));
        endpoint.clock = Clock.fixed(now.plus(InProcessPulls.RECHECK), ZoneOffset.UTC);
        assertRefused(401, "UNAUTHORIZED", endpoint.call(reader, "peek", "s", "{}"));
    }

    private ApiKeyRecord revoked(ApiKeyRecord k) {
        return new ApiKeyRecord(k.keyId(), k.service(), k.hash(), k.createdAt(), k.expiresAt(), now, null);
    }
}
