package com.idynic.eventbus.subscribers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.idynic.eventbus.api.EventEnvelope;
import com.idynic.eventbus.api.InvalidFieldException;
import com.idynic.eventbus.broker.RelayedEvent;
import com.idynic.eventbus.subscribers.spi.ReadPermissions;
import com.idynic.eventbus.subscribers.spi.SubscriptionCache;
import com.idynic.eventbus.subscribers.spi.SubscriptionStore;
import jakarta.json.Json;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SubscriptionRegistryTest {
    final TreeMap<String, Subscription> rows = new TreeMap<>();
    boolean secretsUnreadable;
    final SubscriptionStore store = new SubscriptionStore() {
        @Override
        public boolean upsert(Subscription s) {
            return rows.put(s.id(), s) == null;
        }

        @Override
        public Optional<Subscription> find(String id) {
            return Optional.ofNullable(rows.get(id));
        }

        @Override
        public List<Subscription> all() {
            return List.copyOf(rows.values());
        }

        @Override
        public boolean delete(String id) {
            return rows.remove(id) != null;
        }

        @Override
        public Optional<String> secretOf(String id) {
            if (secretsUnreadable) {
                throw new IllegalStateException("subscription " + id + ": secret is encrypted with key 0badc0de");
            }
            return Optional.ofNullable(rows.get(id)).map(s -> s.target().secret());
        }
    };
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    boolean cacheDown;
    final TreeMap<String, Subscription> cached = new TreeMap<>();
    long version;
    final SubscriptionCache cache = new SubscriptionCache() {
        void check() {
            if (cacheDown) {
                throw new IllegalStateException("connection refused");
            }
        }

        @Override
        public OptionalLong version() {
            check();
            return version == 0 ? OptionalLong.empty() : OptionalLong.of(version);
        }

        @Override
        public List<Subscription> all() {
            check();
            return List.copyOf(cached.values());
        }

        @Override
        public void put(Subscription s) {
            check();
            cached.put(s.id(), s);
            version++;
        }

        @Override
        public void remove(String id) {
            check();
            cached.remove(id);
            version++;
        }

        @Override
        public void replaceAll(List<Subscription> all) {
            check();
            cached.clear();
            all.forEach(s -> cached.put(s.id(), s));
            version++;
        }

        @Override
        public String ping() {
            check();
            return "PONG";
        }
    };
    final SubscriptionRegistry registry = new SubscriptionRegistry(store, cache, clock, Duration.ofSeconds(1));

    static Subscription sub(String id, String... types) {
        return Subscription.pull(id, "svc", List.of(types));
    }

    static EventEnvelope event(String type) {
        return EventEnvelope.of(
                "evt-1",
                type,
                "svc",
                Json.createObjectBuilder().add("tier", "gold").build());
    }

    static Subscription filtered(String id, String type, Filter filter) {
        Subscription p = sub(id, type);
        return new Subscription(
                p.id(),
                p.owner(),
                p.eventTypes(),
                filter,
                p.target(),
                p.ordering(),
                p.retryPolicy(),
                p.startPosition(),
                p.maxConcurrency(),
                p.maxRatePerSecond(),
                p.state(),
                p.disabledReason(),
                p.schemaVersions());
    }

    /** A relayed event whose record value is not JSON: it can be matched only by its type. */
    static RelayedEvent unparsable(String type) {
        return RelayedEvent.of("evt-1", type, null, 1, "{not json");
    }

    @Test
    void matchesARelayedEventByItsTypeWithoutParsingItWhenNoSubscriptionFiltersItsBody() {
        registry.save(sub("a", "user.created"));
        registry.save(sub("b", "order.*"));
        registry.save(sub("c", "*"));

        RelayedEvent user = unparsable("user.created");
        assertEquals(List.of("a", "c"), registry.matching(user));
        assertEquals(List.of("b", "c"), registry.matching(unparsable("order.placed")));
        assertEquals(List.of("c"), registry.matching(unparsable("invoice.sent")));
        assertFalse(user.parsed());
    }

    @Test
    void parsesARelayedEventForASubscriptionThatFiltersItsBodyAndAppliesTheFilter() {
        registry.save(sub("all", "user.created"));
        registry.save(filtered("gold", "user.created", new Filter(null, Map.of("/tier", Json.createValue("gold")))));
        registry.save(filtered("silver", "user.*", new Filter(null, Map.of("/tier", Json.createValue("silver")))));
        registry.save(filtered("orders", "order.*", new Filter(null, Map.of("/tier", Json.createValue("gold")))));
        String json = event("user.created").toJson().toString();

        RelayedEvent e = RelayedEvent.of("evt-1", "user.created", null, 1, json);
        assertEquals(List.of("all", "gold"), registry.matching(e));
        assertTrue(e.parsed());
        assertEquals(List.of(), registry.matching(unparsable("invoice.sent")), "no subscription selects the type");
        assertThrows(RelayedEvent.Unreadable.class, () -> registry.matching(unparsable("user.created")));
    }

    @Test
    void aRelayedEventIsMatchedAgainstTheSubscriptionsAsTheyAreNow() {
        registry.save(sub("a", "user.created"));
        assertEquals(List.of("a"), registry.matching(unparsable("user.created")));

        registry.save(sub("b", "user.*"));
        registry.delete("a");

        assertEquals(List.of("b"), registry.matching(unparsable("user.created")));
    }

    @Test
    void matchesExactPatternAndWildcardSelectors() {
        registry.save(sub("a", "user.created"));
        registry.save(sub("b", "order.*"));
        registry.save(sub("c", "*"));
        assertEquals(List.of("a", "c"), registry.matching(event("user.created")));
        assertEquals(List.of("b", "c"), registry.matching(event("order.placed")));
        assertEquals(List.of("c"), registry.matching(event("invoice.sent")));
    }

    @Test
    void queuesEventsForPausedAndDisabledSubscriptionsSoTheyArriveOnResume() {
        registry.save(sub("active", "user.created"));
        registry.save(sub("paused", "user.created").withState("paused", null));
        registry.save(sub("disabled", "user.*").withState("disabled", "failing since yesterday"));
        registry.save(sub("elsewhere", "order.*").withState("paused", null));
        assertEquals(List.of("active", "disabled", "paused"), registry.matching(event("user.created")));
    }

    @Test
    void filtersOnSourceAndDataPointers() {
        String body = "{\"eventTypes\":[\"*\"],\"filter\":{\"source\":\"svc\",\"data\":{\"/tier\":\"gold\"}}}";
        registry.save(SubscriptionJson.read(
                "gold", Json.createReader(new java.io.StringReader(body)).readObject()));
        String other = body.replace("gold\"}", "silver\"}");
        registry.save(SubscriptionJson.read(
                "silver", Json.createReader(new java.io.StringReader(other)).readObject()));
        assertEquals(List.of("gold"), registry.matching(event("user.created")));
    }

    @Test
    void seesChangesOtherServersSharedThroughTheCacheAtTheNextVersionPoll() {
        registry.save(sub("a", "user.created"));
        assertEquals(List.of("a"), registry.matching(event("user.created")));
        Subscription z = sub("z", "user.created");
        rows.put("z", z);
        cached.put("z", z);
        version++;
        assertEquals(List.of("a"), registry.matching(event("user.created")));
        now = now.plusMillis(250);
        assertEquals(List.of("a", "z"), registry.matching(event("user.created")));
    }

    @Test
    void fallsBackToTheStoreWhileTheCacheIsDownAndRewritesItWhenItReturns() {
        registry.save(sub("a", "user.created"));
        cacheDown = true;
        registry.save(sub("b", "user.created"));
        now = now.plusSeconds(2);
        assertEquals(List.of("a", "b"), registry.matching(event("user.created")));
        cached.clear();
        version = 0;
        cacheDown = false;
        now = now.plusSeconds(2);
        assertEquals(List.of("a", "b"), registry.matching(event("user.created")));
        assertEquals(List.of("a", "b"), List.copyOf(cached.keySet()));
    }

    @Test
    void refusesInvalidSubscriptionsNamingTheField() {
        InvalidFieldException e =
                assertThrows(InvalidFieldException.class, () -> registry.save(sub("a", "user created")));
        assertEquals("eventTypes[0]", e.details().get("field"));
        e = assertThrows(InvalidFieldException.class, () -> registry.save(sub("a")));
        assertEquals("eventTypes", e.details().get("field"));
        e = assertThrows(
                InvalidFieldException.class,
                () -> registry.save(sub("a", "x").withTarget(new Target("carrier-pigeon", null, null, null))));
        assertEquals("target.type", e.details().get("field"));
        assertTrue(rows.isEmpty());
    }

    @Test
    void dispatchesOnlyTypesTheOwnerMayReadNowAndPausesWhatItCanNoLongerReadAtAll() {
        java.util.Set<String> readable = new java.util.HashSet<>(List.of("user.created", "order.placed"));
        ReadPermissions perms = new ReadPermissions() {
            @Override
            public boolean mayRead(String owner, String eventType) {
                return readable.contains(eventType);
            }

            @Override
            public boolean mayReadSome(String owner, String selector) {
                return readable.stream().anyMatch(t -> com.idynic.eventbus.api.EventTypes.matches(selector, t));
            }
        };
        SubscriptionRegistry guarded = new SubscriptionRegistry(store, cache, clock, Duration.ofSeconds(1), perms);
        guarded.save(sub("users", "user.*"));
        guarded.save(sub("orders", "order.placed"));
        guarded.save(Subscription.pull("mine", "other", List.of("order.placed")));
        assertEquals(List.of("users"), guarded.matching(event("user.created")));

        readable.remove("user.created");
        assertEquals(List.of(), guarded.matching(event("user.created")));
        List<Subscription> changed = guarded.applyPermissions("svc");
        assertEquals(List.of("users"), changed.stream().map(Subscription::id).toList());
        Subscription paused = rows.get("users");
        assertEquals("paused", paused.state());
        assertEquals(
                "permissions withdrawn: service 'svc' may no longer read any of [user.*]", paused.disabledReason());
        assertEquals("active", rows.get("orders").state());
        assertEquals(
                List.of(),
                guarded.matching(event("user.created")),
                "paused for withdrawn permissions: nothing accumulates for it");

        readable.add("user.deleted");
        assertEquals(
                List.of("users"),
                guarded.applyPermissions("svc").stream().map(Subscription::id).toList());
        assertEquals("active", rows.get("users").state());
        assertEquals(null, rows.get("users").disabledReason());
    }

    @Test
    void leavesSubscriptionsPausedByTheirOwnerAloneWhenPermissionsChange() {
        ReadPermissions none = new ReadPermissions() {
            @Override
            public boolean mayRead(String owner, String eventType) {
                return true;
            }

            @Override
            public boolean mayReadSome(String owner, String selector) {
                return true;
            }
        };
        SubscriptionRegistry guarded = new SubscriptionRegistry(store, cache, clock, Duration.ofSeconds(1), none);
        guarded.save(sub("held", "user.created").withState("paused", null));
        assertEquals(List.of(), guarded.applyPermissions("svc"));
        assertEquals("paused", rows.get("held").state());
    }

    static Subscription webhook(String id, String secret) {
        return sub(id, "user.created")
                .withTarget(new Target("webhook", "https://93.184.216.34/" + id, secret, Target.DEFAULT_TIMEOUT));
    }

    @Test
    void readsAWebhookSecretFromTheStoreAndReadsItAgainOnlyAfterASubscriptionChanged() {
        registry.save(webhook("hook", "whsec_one"));
        Subscription fromCache = webhook("hook", null);
        assertEquals("whsec_one", registry.withSecret(fromCache).target().secret());

        rows.put("hook", webhook("hook", "whsec_unseen"));
        assertEquals("whsec_one", registry.withSecret(fromCache).target().secret());

        registry.save(webhook("hook", "whsec_two"));
        assertEquals("whsec_two", registry.withSecret(fromCache).target().secret());
        assertEquals("whsec_two", registry.find("hook").orElseThrow().target().secret());
    }

    @Test
    void aSecretThatCannotBeDecryptedFailsTheLookupButNotFind() {
        registry.save(webhook("hook", "whsec_one"));
        secretsUnreadable = true;

        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> registry.withSecret(webhook("hook", null)));
        assertTrue(e.getMessage().contains("0badc0de"), e.getMessage());
        assertEquals("hook", registry.find("hook").orElseThrow().id());
        Subscription pull = sub("pull", "user.created");
        assertEquals(pull, registry.withSecret(pull));
    }
}
