package com.idynic.eventbus.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.idynic.eventbus.api.Auditor;
import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.ErrorCode;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ServiceAdminTest {
    final SecurityTest.MemoryStore store = new SecurityTest.MemoryStore();
    final Clock clock = Clock.fixed(SecurityTest.NOW, ZoneOffset.UTC);
    final ServiceDirectory directory = new ServiceDirectory(store, clock, Duration.ofHours(1));
    final List<String> permissionsChanged = new ArrayList<>();
    final List<String> audited = new ArrayList<>();
    final Auditor auditor = (actor, action, sub, detail) -> audited.add(actor + " " + action + " " + detail);
    final Credentials credentials = new Credentials(store, null, clock);
    final ServiceAdmin admin = new ServiceAdmin(directory, credentials, permissionsChanged::add, clock, auditor);
    final ConsoleSessions console = new ConsoleSessions(credentials, auditor);

    static ServiceAccount service(String name, Role role) {
        return new ServiceAccount(name, Set.of(role), List.of(), List.of(), List.of(), null, null);
    }

    static void assertNoService(String name, BusException e) {
        assertEquals(ErrorCode.NOT_FOUND, e.errorCode());
        assertEquals("No service '" + name + "'", e.getMessage());
        assertEquals(Map.of("service", name), e.details());
    }

    @Test
    void savingANewServiceCreatesItAndItsSubscriptionsFollowItsPermissions() {
        assertTrue(admin.save("root", service("orders", Role.PUBLISHER)));
        assertEquals(List.of("orders"), permissionsChanged);
        assertEquals(service("orders", Role.PUBLISHER), admin.get("orders"));
    }

    @Test
    void savingAnExistingServiceReplacesItAndIsSeenAtOnceDespiteTheCache() {
        admin.save("root", service("orders", Role.PUBLISHER));
        directory.find("orders");
        assertFalse(admin.save("root", service("orders", Role.SUBSCRIBER)));
        assertEquals(
                Set.of(Role.SUBSCRIBER), directory.find("orders").orElseThrow().roles());
        assertEquals(List.of("orders", "orders"), permissionsChanged);
    }

    @Test
    void aServiceNameMustMatchTheGrammar() {
        for (String name : List.of("Orders", "-orders", "a b", "x".repeat(101))) {
            BusException e = assertThrows(BusException.class, () -> admin.save("root", service(name, Role.PUBLISHER)));
            assertEquals(ErrorCode.VALIDATION_ERROR, e.errorCode());
            assertEquals("name", e.details().get("field"));
        }
        assertEquals(List.of(), permissionsChanged);
        assertTrue(store.services.isEmpty());
    }

    @Test
    void anUnknownServiceIsNotFoundForReadingAndForItsKeys() {
        assertNoService("ghost", assertThrows(BusException.class, () -> admin.get("ghost")));
        assertNoService("ghost", assertThrows(BusException.class, () -> admin.keys("ghost")));
        assertNoService("ghost", assertThrows(BusException.class, () -> admin.issue("root", "ghost", null)));
        assertTrue(store.keys.isEmpty(), "no key for a service that does not exist");
    }

    @Test
    void anIssuedKeyIsListedAndExpiresAfterItsValidity() {
        admin.save("root", service("orders", Role.PUBLISHER));
        ApiKeys.Issued k = admin.issue("root", "orders", Duration.ofDays(1));
        assertEquals(SecurityTest.NOW.plus(Duration.ofDays(1)), k.expiresAt());
        List<ApiKeyView> keys = admin.keys("orders");
        assertEquals(
                List.of(new ApiKeyView(
                        k.keyId(), "orders", SecurityTest.NOW, SecurityTest.NOW.plus(Duration.ofDays(1)), null, null)),
                keys);
        assertTrue(directory.keyActive(k.keyId()));
    }

    @Test
    void revokingStopsTheKeyAtOnceAndASecondRevokeIsNotFound() {
        admin.save("root", service("orders", Role.PUBLISHER));
        ApiKeys.Issued k = admin.issue("root", "orders", null);
        assertTrue(directory.keyActive(k.keyId()));
        admin.revoke("root", "orders", k.keyId());
        assertEquals(SecurityTest.NOW, store.keys.get(k.keyId()).revokedAt());
        assertEquals(SecurityTest.NOW, admin.keys("orders").get(0).revokedAt());
        assertTrue(admin.keys("orders").get(0).revoked());
        assertFalse(directory.keyActive(k.keyId()));
        BusException e = assertThrows(BusException.class, () -> admin.revoke("root", "orders", k.keyId()));
        assertEquals(ErrorCode.NOT_FOUND, e.errorCode());
        assertEquals("No active key '" + k.keyId() + "' for service 'orders'", e.getMessage());
        assertEquals(Map.of("service", "orders", "keyId", k.keyId()), e.details());
    }

    @Test
    void servicesAndKeysAreAuditedWithTheCallerAndARefusalIsNot() {
        admin.save("root", service("orders", Role.PUBLISHER));
        admin.save("root", service("orders", Role.SUBSCRIBER));
        ApiKeys.Issued k = admin.issue("root", "orders", null);
        admin.revoke("root", "orders", k.keyId());
        assertThrows(BusException.class, () -> admin.revoke("root", "orders", k.keyId()));

        assertEquals(
                List.of(
                        "root service-create orders: roles publisher",
                        "root service-update orders: roles subscriber",
                        "root key-create orders: " + k.keyId(),
                        "root key-revoke orders: " + k.keyId()),
                audited);
    }

    @Test
    void consoleSignInIsForOperatorsAndEachSignInRefusalAndSignOutIsAudited() {
        admin.save("root", service("ops", Role.OPERATOR));
        admin.save("root", service("shop", Role.SUBSCRIBER));
        String opsKey = admin.issue("root", "ops", null).key();
        ApiKeys.Issued shopKey = admin.issue("root", "shop", null);
        audited.clear();

        Credentials.Verified v = console.signIn(opsKey);
        BusException refused = assertThrows(BusException.class, () -> console.signIn(shopKey.key()));
        BusException unknown = assertThrows(BusException.class, () -> console.signIn("ebk_nope.nope"));
        console.signOut("ops");

        assertEquals("ops", v.service().name());
        assertEquals(ErrorCode.FORBIDDEN, refused.errorCode());
        assertEquals(ErrorCode.UNAUTHORIZED, unknown.errorCode());
        assertEquals(
                List.of(
                        "ops console-sign-in key " + v.keyId(),
                        "shop console-sign-in-refused key " + shopKey.keyId() + ": no operator role",
                        "ops console-sign-out null"),
                audited);
    }
}
