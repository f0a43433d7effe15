package com.idynic.eventbus.subscribers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.ErrorCode;
import com.idynic.eventbus.api.EventEnvelope;
import com.idynic.eventbus.broker.DeadLetters;
import com.idynic.eventbus.broker.Signal;
import com.idynic.eventbus.broker.spi.DeadLetterStore;
import com.idynic.eventbus.broker.spi.DeliveryHistory;
import com.idynic.eventbus.broker.spi.DeliveryState;
import com.idynic.eventbus.broker.spi.DeliveryStatus;
import com.idynic.eventbus.broker.spi.EventStore;
import com.idynic.eventbus.broker.spi.StoredEvent;
import com.idynic.eventbus.security.Role;
import com.idynic.eventbus.security.ServiceAccount;
import com.idynic.eventbus.subscribers.spi.ReadPermissions;
import com.idynic.eventbus.testing.SettableClock;
import jakarta.json.JsonObject;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Who may see and act on a subscription's dead letters, on a delivery store that records its calls. */
class SubscriptionDeadLettersTest {
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
    final List<List<Object>> calls = new ArrayList<>();
    final Object store = Proxy.newProxyInstance(
            DeadLetterStore.class.getClassLoader(),
            new Class<?>[] {DeadLetterStore.class, DeliveryHistory.class},
            (proxy, method, args) -> {
                List<Object> call = new ArrayList<>(List.of(method.getName()));
                call.addAll(Arrays.asList(args));
                calls.add(call);
                return switch (method.getName()) {
                    case "deadLetter" -> Optional.of(new DeliveryStatus(
                            7,
                            "orders",
                            (String) args[1],
                            DeliveryState.DEAD,
                            3,
                            "HTTP 500",
                            null,
                            null,
                            clock.instant(),
                            null));
                    case "attemptsOf", "deadLetters" -> List.of();
                    case "deadLetterCount" -> 0L;
                    default -> 1;
                };
            });
    String storedType = "order.placed";
    final EventStore events = (EventStore) Proxy.newProxyInstance(
            EventStore.class.getClassLoader(), new Class<?>[] {EventStore.class}, (proxy, method, args) -> {
                EventEnvelope e = EventEnvelope.of((String) args[0], storedType, "shop", JsonObject.EMPTY_JSON_OBJECT);
                return Optional.of(new StoredEvent(e, null, true, null));
            });
    final SubscriptionDeadLetters deadLetters = new SubscriptionDeadLetters(
            registry, new DeadLetters((DeadLetterStore) store, (DeliveryHistory) store, events, new Signal()));

    final ServiceAccount billing = account("billing", Role.SUBSCRIBER);
    final ServiceAccount shop = account("shop", Role.SUBSCRIBER);
    final ServiceAccount operator = account("ops", Role.OPERATOR);

    static ServiceAccount account(String name, Role... roles) {
        return new ServiceAccount(name, Set.of(roles), List.of(), List.of("*"), List.of(), null, null);
    }

    SubscriptionDeadLettersTest() {
        subscriptions.rows.put("orders", Subscription.pull("orders", "billing", List.of("*")));
    }

    @Test
    void theOwnerAndAnOperatorMayListAndAnotherServiceMayNot() {
        deadLetters.list(billing, "orders", null, null, 0, 100);
        deadLetters.list(operator, "orders", null, null, 0, 100);
        int before = calls.size();

        BusException e = assertThrows(BusException.class, () -> deadLetters.list(shop, "orders", null, null, 0, 100));

        assertEquals(ErrorCode.FORBIDDEN, e.errorCode());
        assertEquals(before, calls.size(), "nothing read");
    }

    @Test
    void theDeadLettersOfAnUnknownSubscriptionAreNotFound() {
        BusException e = assertThrows(BusException.class, () -> deadLetters.inspect(operator, "nothing", "e1"));

        assertEquals(ErrorCode.NOT_FOUND, e.errorCode());
        assertEquals("nothing", e.details().get("subscriptionId"));
    }

    @Test
    void theOwnerSeesTheEventOfAnInspectedDeadLetterWhileItMayReadItsType() {
        assertEquals(
                "e1",
                deadLetters
                        .inspect(billing, "orders", "e1")
                        .event()
                        .orElseThrow()
                        .id());

        storedType = "secret.rotated";

        assertEquals(
                Optional.empty(), deadLetters.inspect(billing, "orders", "e1").event());
    }

    @Test
    void anOperatorSeesTheEventWhateverTheOwnerMayRead() {
        storedType = "secret.rotated";

        assertEquals(
                "e1",
                deadLetters
                        .inspect(operator, "orders", "e1")
                        .event()
                        .orElseThrow()
                        .id());
    }

    @Test
    void aRedriveAndADiscardAreAuditedWithTheCallersName() {
        deadLetters.redrive(operator, "orders", List.of("e1"));
        deadLetters.discard(operator, "orders", null, "obsolete");

        assertEquals(
                List.of(
                        List.of("redrive", "orders", List.of("e1"), "ops"),
                        Arrays.asList("discard", "orders", null, "obsolete", "ops")),
                calls);
    }

    @Test
    void anotherServiceMayNotRedrive() {
        BusException e = assertThrows(BusException.class, () -> deadLetters.redrive(shop, "orders", null));

        assertEquals(ErrorCode.FORBIDDEN, e.errorCode());
        assertEquals(List.of(), calls);
    }
}
