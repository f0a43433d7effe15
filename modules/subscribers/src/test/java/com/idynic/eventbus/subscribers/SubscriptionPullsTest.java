package com.idynic.eventbus.subscribers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.ErrorCode;
import com.idynic.eventbus.broker.Signal;
import com.idynic.eventbus.broker.spi.Leased;
import com.idynic.eventbus.security.Role;
import com.idynic.eventbus.security.ServiceAccount;
import com.idynic.eventbus.subscribers.delivery.LongPolls;
import com.idynic.eventbus.subscribers.delivery.PullService;
import com.idynic.eventbus.subscribers.delivery.WebhookSenderTest;
import com.idynic.eventbus.subscribers.spi.ReadPermissions;
import com.idynic.eventbus.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pull delivery's rules, on subscriptions and deliveries in memory; no pull here waits. */
class SubscriptionPullsTest {
    final SettableClock clock = new SettableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final InMemorySubscriptions subscriptions = new InMemorySubscriptions();
    final ReadPermissions noSecrets = new ReadPermissions() {
        @Override
        public boolean mayRead(String owner, String eventType) {
            return !eventType.startsWith("secret.");
        }

        @Override
        public boolean mayReadSome(String owner, String selector) {
            return true;
        }
    };
    final SubscriptionRegistry registry =
            new SubscriptionRegistry(subscriptions.store, subscriptions.cache, clock, Duration.ofSeconds(1), noSecrets);
    final RecordingDeliveryStore deliveries = new RecordingDeliveryStore();
    final LongPolls longPolls = new LongPolls(
            1,
            new Signal(),
            task -> {
                throw new AssertionError("no pull waits here");
            },
            (delay, task) -> () -> {},
            LongPolls.RECHECK);
    final SubscriptionPulls pulls = new SubscriptionPulls(registry, new PullService(deliveries, clock), longPolls);

    final ServiceAccount billing = account("billing", Role.SUBSCRIBER);

    static ServiceAccount account(String name, Role... roles) {
        return new ServiceAccount(name, java.util.Set.of(roles), List.of(), List.of("*"), List.of(), null, null);
    }

    SubscriptionPullsTest() {
        subscriptions.rows.put("orders", Subscription.pull("orders", "billing", List.of("*")));
    }

    List<Leased> pull(ServiceAccount me, String id) {
        return pulls.pull(me, id, 10, Duration.ZERO, Duration.ofSeconds(30)).join();
    }

    @Test
    void aPullHandsOutTheEventsTheOwnerMayReadAndWithholdsTheOthers() {
        String order = deliveries.queue("orders", "order.placed");
        String secret = deliveries.queue("orders", "secret.rotated");

        List<Leased> got = pull(billing, "orders");

        assertEquals(
                List.of(order), got.stream().map(l -> l.event().envelope().id()).toList());
        assertEquals(1, deliveries.withheld.size());
        assertEquals(true, deliveries.withheld.get(0).startsWith(secret + ": "));
    }

    @Test
    void aWebhookSubscriptionCannotBePulledNamingTheTargetType() {
        Subscription hook = WebhookSenderTest.webhook("https://hooks.example.com/in", 5000);
        subscriptions.rows.put(
                "hook",
                new Subscription(
                        "hook",
                        "billing",
                        hook.eventTypes(),
                        hook.filter(),
                        hook.target(),
                        hook.ordering(),
                        hook.retryPolicy(),
                        hook.startPosition(),
                        hook.maxConcurrency(),
                        hook.maxRatePerSecond(),
                        hook.state(),
                        null,
                        hook.schemaVersions()));

        BusException e = assertThrows(BusException.class, () -> pull(billing, "hook"));

        assertEquals(ErrorCode.VALIDATION_ERROR, e.errorCode());
        assertEquals("target.type", e.details().get("field"));
    }

    @Test
    void anOperatorMayNotConsumeAnotherServicesSubscriptionButAnAdminMay() {
        deliveries.queue("orders", "order.placed");

        BusException e = assertThrows(BusException.class, () -> pull(account("ops", Role.OPERATOR), "orders"));

        assertEquals(ErrorCode.FORBIDDEN, e.errorCode());
        assertEquals(1, pull(account("root", Role.ADMIN), "orders").size());
    }

    @Test
    void anUnknownSubscriptionIsNotFound() {
        assertEquals(
                ErrorCode.NOT_FOUND,
                assertThrows(BusException.class, () -> pulls.ack(billing, "nothing", List.of("e1")))
                        .errorCode());
    }

    @Test
    void anAckSettlesTheLeasedEventsItNames() {
        String first = deliveries.queue("orders", "order.placed");
        deliveries.queue("orders", "order.placed");
        pull(billing, "orders");

        assertEquals(1, pulls.ack(billing, "orders", List.of(first)));
        assertEquals(List.of(first), deliveries.settledIds());
    }

    @Test
    void aNackKeepsTheFirst2000CharactersOfItsReason() {
        String id = deliveries.queue("orders", "order.placed");
        pull(billing, "orders");

        assertEquals(1, pulls.nack(billing, "orders", List.of(id), "x".repeat(2500), true));

        assertEquals("x".repeat(2000), deliveries.settled.get(0).attempt().error());
    }

    @Test
    void aShortNackReasonIsKeptWhole() {
        String id = deliveries.queue("orders", "order.placed");
        pull(billing, "orders");

        pulls.nack(billing, "orders", List.of(id), "bad payload", true);

        assertEquals("bad payload", deliveries.settled.get(0).attempt().error());
    }
}
