package com.idynic.eventbus.subscribers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.idynic.eventbus.api.Auditor;
import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.ErrorCode;
import com.idynic.eventbus.api.InvalidFieldException;
import com.idynic.eventbus.broker.AttemptResult;
import com.idynic.eventbus.broker.Signal;
import com.idynic.eventbus.security.Role;
import com.idynic.eventbus.security.ServiceAccount;
import com.idynic.eventbus.subscribers.delivery.SubscriberHealth;
import com.idynic.eventbus.subscribers.delivery.WebhookDelivery;
import com.idynic.eventbus.subscribers.delivery.WebhookSender;
import com.idynic.eventbus.subscribers.spi.ReadPermissions;
import com.idynic.eventbus.testing.SettableClock;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/** The subscription service's rules, on subscriptions, replays and webhook delivery in memory. */
class SubscriptionServiceTest {
    static final String SECRET = "whsec_" + "A".repeat(44);

    final SettableClock clock = new SettableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final InMemorySubscriptions subscriptions = new InMemorySubscriptions();
    final AddressGuard publicAddresses =
            new AddressGuard(List.of(), host -> new java.net.InetAddress[] {AddressLiterals.literal("93.184.216.34")});
    final SubscriptionRegistry registry = new SubscriptionRegistry(
            subscriptions.store,
            subscriptions.cache,
            clock,
            Duration.ofSeconds(1),
            ReadPermissions.ALL,
            publicAddresses);
    final ReplaysTest.History history = new ReplaysTest.History(5);
    final Signal enqueued = new Signal();
    final Executor noCalls = task -> {
        throw new AssertionError("no webhook is called here");
    };
    final RecordingDeliveryStore recorded = new RecordingDeliveryStore();
    final WebhookDelivery webhooks = new WebhookDelivery(
            registry,
            recorded,
            recorded,
            new WebhookSender(noCalls, clock, publicAddresses),
            enqueued,
            clock,
            new WebhookDelivery.Settings(
                    Duration.ofMillis(100),
                    Duration.ofSeconds(5),
                    3,
                    Duration.ofSeconds(10),
                    Duration.ofMinutes(5),
                    Duration.ofMinutes(10)));
    final List<String> audited = new java.util.ArrayList<>();
    final Auditor auditor = (actor, action, sub, detail) -> audited.add(actor + " " + action + " " + sub);
    final SubscriptionService service = new SubscriptionService(
            registry, new ReplayService(history, registry, clock, 100, Auditor.NONE), webhooks, enqueued, 2, auditor);

    static ServiceAccount account(String name, Integer quota, Role... roles) {
        return new ServiceAccount(name, Set.of(roles), List.of(), List.of("*"), List.of(), null, quota);
    }

    final ServiceAccount billing = account("billing", null, Role.SUBSCRIBER);
    final ServiceAccount shop = account("shop", null, Role.SUBSCRIBER);
    final ServiceAccount operator = account("ops", null, Role.OPERATOR);
    final ServiceAccount admin = account("root", null, Role.ADMIN);

    static JsonObjectBuilder pull() {
        return Json.createObjectBuilder()
                .add("eventTypes", Json.createArrayBuilder().add("order.placed"))
                .add("target", Json.createObjectBuilder().add("type", "pull"));
    }

    static JsonObjectBuilder webhook(String secret) {
        JsonObjectBuilder target =
                Json.createObjectBuilder().add("type", "webhook").add("url", "https://hooks.example.com/in");
        if (secret != null) {
            target.add("secret", secret);
        }
        return Json.createObjectBuilder()
                .add("eventTypes", Json.createArrayBuilder().add("order.placed"))
                .add("target", target);
    }

    SubscriptionService.Saved save(ServiceAccount me, String id, JsonObjectBuilder body) {
        return service.save(me, id, body.build());
    }

    @Test
    void everyChangeIsAuditedWithTheCallerAndARefusalIsNot() {
        save(billing, "orders", pull());
        save(billing, "orders", pull());
        service.pause(operator, "orders");
        assertThrows(BusException.class, () -> service.pause(shop, "orders"));
        service.resume(operator, "orders");
        service.delete(admin, "orders");

        assertEquals(
                List.of(
                        "billing subscription-create orders",
                        "billing subscription-update orders",
                        "ops subscription-pause orders",
                        "ops subscription-resume orders",
                        "root subscription-delete orders"),
                audited);
    }

    @Test
    void aNewSubscriptionWithoutOwnerBelongsToTheCaller() {
        SubscriptionService.Saved saved = save(billing, "orders", pull());

        assertEquals("billing", saved.subscription().owner());
        assertTrue(saved.created());
        assertEquals("billing", subscriptions.rows.get("orders").owner());
    }

    @Test
    void aReplaceWithoutOwnerKeepsTheExistingOwner() {
        save(billing, "orders", pull());

        SubscriptionService.Saved saved = save(admin, "orders", pull());

        assertEquals("billing", saved.subscription().owner());
        assertFalse(saved.created());
    }

    @Test
    void aServiceThatIsNotAdminMayNotCreateForAnother() {
        BusException e = assertThrows(BusException.class, () -> save(shop, "orders", pull().add("owner", "billing")));

        assertEquals(ErrorCode.FORBIDDEN, e.errorCode());
        assertEquals("owner", e.details().get("field"));
        assertTrue(subscriptions.rows.isEmpty());
    }

    @Test
    void anAdminMayCreateForAnotherService() {
        assertEquals(
                "billing",
                save(admin, "orders", pull().add("owner", "billing"))
                        .subscription()
                        .owner());
    }

    @Test
    void aServiceThatIsNotOwnerMayNotReplaceNamingItselfAsOwner() {
        save(billing, "orders", pull());

        BusException e = assertThrows(BusException.class, () -> save(shop, "orders", pull().add("owner", "shop")));

        assertEquals(ErrorCode.FORBIDDEN, e.errorCode());
        assertEquals("billing", subscriptions.rows.get("orders").owner());
    }

    @Test
    void aServiceAtItsQuotaMayNotCreateAnother() {
        save(billing, "a", pull());
        save(billing, "b", pull());

        BusException e = assertThrows(BusException.class, () -> save(billing, "c", pull()));

        assertEquals(ErrorCode.QUOTA_EXCEEDED, e.errorCode());
        assertEquals(2, e.details().get("limit"));
        assertFalse(subscriptions.rows.containsKey("c"));
    }

    @Test
    void aServiceAtItsQuotaMayStillReplaceOneItOwns() {
        save(billing, "a", pull());
        save(billing, "b", pull());

        assertFalse(save(billing, "b", pull()).created());
    }

    @Test
    void anAdminIsExemptFromTheQuota() {
        save(admin, "a", pull().add("owner", "root"));
        save(admin, "b", pull().add("owner", "root"));

        assertTrue(save(admin, "c", pull().add("owner", "root")).created());
    }

    @Test
    void aServicesOwnQuotaOverridesTheDefault() {
        ServiceAccount big = account("big", 3, Role.SUBSCRIBER);
        save(big, "a", pull());
        save(big, "b", pull());

        assertTrue(save(big, "c", pull()).created());
        BusException e = assertThrows(BusException.class, () -> save(big, "d", pull()));
        assertEquals(3, e.details().get("limit"));
    }

    @Test
    void aReplaceWithoutStateKeepsTheStateAndItsReason() {
        save(billing, "orders", pull());
        registry.changeState("orders", SubscriptionState.DISABLED, "circuit open for 10 minutes");

        Subscription s = save(billing, "orders", pull()).subscription();

        assertEquals("disabled", s.state());
        assertEquals("circuit open for 10 minutes", s.disabledReason());
    }

    @Test
    void aReplaceWithAnotherStateDropsTheReason() {
        save(billing, "orders", pull());
        registry.changeState("orders", SubscriptionState.DISABLED, "circuit open for 10 minutes");

        Subscription s = save(billing, "orders", pull().add("state", "paused")).subscription();

        assertEquals("paused", s.state());
        assertEquals(null, s.disabledReason());
    }

    @Test
    void aReplaceWithTheSameStateKeepsItsReason() {
        save(billing, "orders", pull());
        registry.changeState("orders", SubscriptionState.DISABLED, "circuit open");

        assertEquals(
                "circuit open",
                save(billing, "orders", pull().add("state", "disabled"))
                        .subscription()
                        .disabledReason());
    }

    @Test
    void aNewWebhooksSecretIsShownOnce() {
        SubscriptionService.Saved saved = save(billing, "hook", webhook(null));

        assertTrue(saved.showSecret());
        assertTrue(saved.subscription().target().secret().startsWith("whsec_"));
    }

    @Test
    void aReplaceWithoutSecretKeepsTheOldOneAndDoesNotShowIt() {
        save(billing, "hook", webhook(SECRET));

        SubscriptionService.Saved saved = save(billing, "hook", webhook(null));

        assertEquals(SECRET, saved.subscription().target().secret());
        assertEquals(SECRET, subscriptions.rows.get("hook").target().secret());
        assertFalse(saved.showSecret());
    }

    @Test
    void aReplaceWithANewSecretStoresAndShowsIt() {
        save(billing, "hook", webhook(null));
        String other = "whsec_" + "B".repeat(44);

        SubscriptionService.Saved saved = save(billing, "hook", webhook(other));

        assertEquals(other, subscriptions.rows.get("hook").target().secret());
        assertTrue(saved.showSecret());
    }

    @Test
    void aPullSubscriptionHasNoSecretToShow() {
        assertFalse(save(billing, "orders", pull()).showSecret());
    }

    @Test
    void aNewSubscriptionFromEarliestStartsItsHistoryReplay() {
        SubscriptionService.Saved saved = save(billing, "orders", pull().add("startPosition", "earliest"));

        assertEquals("running", saved.history().orElseThrow().state());
        assertEquals(100.0, saved.history().orElseThrow().ratePerSecond());
        assertEquals(List.of(saved.history().get().id()), List.copyOf(history.stored.keySet()));
    }

    @Test
    void aNewSubscriptionFromLatestHasNoReplay() {
        assertEquals(Optional.empty(), save(billing, "orders", pull()).history());
        assertTrue(history.stored.isEmpty());
    }

    @Test
    void aReplacedSubscriptionStartsNoReplay() {
        save(billing, "orders", pull());

        assertEquals(
                Optional.empty(),
                save(billing, "orders", pull().add("startPosition", "earliest")).history());
    }

    @Test
    void aHistoryThatCannotStartRemovesTheNewSubscriptionNamingStartPosition() {
        InvalidFieldException e = assertThrows(
                InvalidFieldException.class, () -> save(billing, "orders", pull().add("startPosition", "evt-404")));

        assertEquals("startPosition", e.details().get("field"));
        assertEquals("no event with id 'evt-404'", e.details().get("error"));
        assertFalse(subscriptions.rows.containsKey("orders"));
    }

    @Test
    void aServiceListsItsOwnSubscriptionsAndAnOperatorListsAll() {
        save(billing, "a", pull());
        save(shop, "b", pull());

        assertEquals(List.of("a"), ids(service.list(billing)));
        assertEquals(List.of("a", "b"), ids(service.list(operator)));
    }

    static List<String> ids(List<Subscription> l) {
        return l.stream().map(Subscription::id).sorted().toList();
    }

    @Test
    void anOwnerAndAnOperatorMayReadASubscriptionAndOthersMayNot() {
        save(billing, "a", pull());

        assertEquals("a", service.get(billing, "a").id());
        assertEquals("a", service.get(operator, "a").id());
        assertEquals(
                ErrorCode.FORBIDDEN,
                assertThrows(BusException.class, () -> service.get(shop, "a")).errorCode());
        assertEquals(
                ErrorCode.NOT_FOUND,
                assertThrows(BusException.class, () -> service.get(billing, "zz"))
                        .errorCode());
    }

    @Test
    void anOperatorMayNotDeleteASubscriptionItDoesNotOwnButItsOwnerAndAnAdminMay() {
        save(billing, "a", pull());
        save(billing, "b", pull());

        assertEquals(
                ErrorCode.FORBIDDEN,
                assertThrows(BusException.class, () -> service.delete(operator, "a"))
                        .errorCode());
        service.delete(billing, "a");
        service.delete(admin, "b");

        assertTrue(subscriptions.rows.isEmpty());
        assertEquals(
                ErrorCode.NOT_FOUND,
                assertThrows(BusException.class, () -> service.delete(billing, "a"))
                        .errorCode());
    }

    @Test
    void anOperatorMayPauseAndResumeButAnotherServiceMayNot() {
        save(billing, "a", pull());

        assertEquals("paused", service.pause(operator, "a").state());
        assertEquals("paused", subscriptions.rows.get("a").state());
        assertEquals(
                ErrorCode.FORBIDDEN,
                assertThrows(BusException.class, () -> service.resume(shop, "a"))
                        .errorCode());
        assertEquals("active", service.resume(billing, "a").state());
    }

    @Test
    void aResumeClosesTheCircuitAndWakesDelivery() {
        save(billing, "hook", webhook(null));
        SubscriberHealth health = webhooks.healthOf("hook");
        for (int i = 0; i < 3; i++) {
            health.record(new AttemptResult(
                    AttemptResult.Outcome.FAILURE, clock.instant(), Duration.ofMillis(5), "webhook", 500, null, null));
        }
        assertEquals("open", webhooks.healthOf("hook").snapshot().circuit());
        registry.changeState("hook", SubscriptionState.DISABLED, "circuit open");
        long before = enqueued.generation();

        Subscription s = service.resume(billing, "hook");

        assertEquals("active", s.state());
        assertEquals(null, s.disabledReason());
        assertEquals("closed", webhooks.healthOf("hook").snapshot().circuit());
        assertEquals(before + 1, enqueued.generation());
    }

    @Test
    void aPauseWakesNothing() {
        save(billing, "a", pull());
        long before = enqueued.generation();

        service.pause(billing, "a");

        assertEquals(before, enqueued.generation());
    }

    @Test
    void onlyAWebhookHasHealth() {
        Subscription hook = save(billing, "hook", webhook(null)).subscription();
        Subscription pulled = save(billing, "orders", pull()).subscription();

        assertTrue(service.health(hook).isPresent());
        assertEquals(Optional.empty(), service.health(pulled));
        assertNotEquals(null, service.health(hook).get().circuit());
    }
}
