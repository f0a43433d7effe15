package com.idynic.eventbus.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The services configuration bootstraps: admin, and the co-deployed apps' own subscriber. */
class ConfiguredServicesTest {
    private final SecurityTest.MemoryStore store = new SecurityTest.MemoryStore();
    private final KeyPair pair;
    private final Credentials credentials;
    private final ConfiguredServices configured;

    ConfiguredServicesTest() throws Exception {
        pair = SecurityTest.rsa();
        Clock clock = Clock.fixed(SecurityTest.NOW, ZoneOffset.UTC);
        credentials = new Credentials(
                store, new TokenIssuer(pair.getPrivate(), "bus", "bus-api", Duration.ofMinutes(15), clock), clock);
        configured = new ConfiguredServices(store, credentials);
    }

    @Test
    void theCoDeployedAppsKeyGetsASubscriberTokenForItsOwnServiceThatMayNeitherPublishNorOperate() throws Exception {
        String key = ApiKeys.generate().key();

        assertEquals(Optional.empty(), configured.subscriber("profile-service", key));

        ServiceAccount s = store.find("profile-service").orElseThrow();
        assertEquals(Set.of(Role.SUBSCRIBER), s.roles());
        assertTrue(s.maySubscribe("*"), "its observers choose their types in code");
        assertTrue(s.mayRead("order.placed"));
        assertFalse(s.has(Role.PUBLISHER) || s.mayPublish("order.placed"), "co-deployed apps publish through SQL");
        assertFalse(s.has(Role.OPERATOR));
        JsonObject claims = SecurityTest.verify(credentials.exchange(key).jwt(), pair);
        assertEquals("profile-service", claims.getString("upn"));
        assertEquals(
                List.of("subscriber"),
                claims.getJsonArray("groups").getValuesAs(JsonString.class).stream()
                        .map(JsonString::getString)
                        .toList());
    }

    @Test
    void theAdminKeyIsRefusedAsTheCoDeployedAppsKey() throws Exception {
        String key = ApiKeys.generate().key();
        assertEquals(Optional.empty(), configured.admin(key));

        Optional<String> refused = configured.subscriber("profile-service", key);

        assertEquals(
                Optional.of("the key for service 'profile-service' is a key of service 'admin';"
                        + " give each service a key of its own"),
                refused);
        assertEquals(Optional.empty(), store.find("profile-service"), "no service without a key of its own");
        assertEquals(
                "admin",
                SecurityTest.verify(credentials.exchange(key).jwt(), pair).getString("upn"),
                "the key still belongs to admin");
    }

    @Test
    void aServiceAnAdminChangedKeepsItsPermissionsAndItsOneKeyAtTheNextStart() {
        String key = ApiKeys.generate().key();
        configured.subscriber("profile-service", key);
        ServiceAccount narrowed = new ServiceAccount(
                "profile-service",
                Set.of(Role.SUBSCRIBER),
                List.of(),
                List.of("user.created", "order.placed"),
                List.of(),
                null,
                null);
        store.save(narrowed);

        assertEquals(Optional.empty(), configured.subscriber("profile-service", key));

        assertEquals(narrowed, store.find("profile-service").orElseThrow());
        assertEquals(1, store.keys("profile-service").size());
    }

    @Test
    void neitherANameOfAdminNorTextThatIsNoKeyCreatesAService() {
        assertEquals(
                Optional.of("the co-deployed apps' service may not be 'admin'"),
                configured.subscriber("admin", ApiKeys.generate().key()));
        assertEquals(
                Optional.of("the key for service 'profile-service' is not an API key (ebk_<16 hex>_<43 chars>)"),
                configured.subscriber("profile-service", "not-a-key"));
        assertEquals(List.of(), store.list());
    }
}
