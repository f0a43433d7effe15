package com.idynic.eventbus.subscribers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.idynic.eventbus.api.InvalidFieldException;
import com.idynic.eventbus.subscribers.delivery.WebhookSenderTest;
import com.idynic.eventbus.subscribers.spi.ReadPermissions;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WebhookTargetRegistrationTest {
    final InMemorySubscriptions subscriptions = new InMemorySubscriptions();
    final Map<String, Subscription> rows = subscriptions.rows;
    final List<String> lookedUp = new ArrayList<>();
    String answer = "93.184.216.34";
    final SubscriptionRegistry registry = new SubscriptionRegistry(
            subscriptions.store,
            subscriptions.cache,
            Clock.systemUTC(),
            Duration.ofSeconds(1),
            ReadPermissions.ALL,
            new AddressGuard(
                    AddressGuard.parse("127.0.0.5/32"), AddressGuard.parse("127.0.0.0/8:9080"), this::resolve));

    InetAddress[] resolve(String host) throws UnknownHostException {
        lookedUp.add(host);
        if (!host.equals("hooks.example.com")) {
            throw new UnknownHostException(host);
        }
        return new InetAddress[] {AddressLiterals.literal(answer)};
    }

    InvalidFieldException refusal(String url) {
        return assertThrows(InvalidFieldException.class, () -> registry.save(WebhookSenderTest.webhook(url, 5000)));
    }

    @Test
    void refusesAWebhookAtAnInternalAddressNamingTargetUrl() {
        InvalidFieldException e = refusal("http://127.0.0.1:9080/v1/events");
        assertEquals("target.url", e.details().get("field"));
        assertEquals(
                "must not point at a loopback, link-local or private address (allow it with EVENTBUS_WEBHOOK_ALLOW)",
                e.details().get("error"));
        answer = "169.254.169.254";
        assertEquals(
                "target.url", refusal("http://hooks.example.com/hook").details().get("field"));
        assertTrue(rows.isEmpty());
    }

    @Test
    void refusesAWebhookAtAReservedPortOfAnAllowedAddressNamingTargetUrlAndThePort() {
        InvalidFieldException e = refusal("http://127.0.0.5:9080/v1/services");
        assertEquals("target.url", e.details().get("field"));
        assertEquals(
                "must not point at port 9080 of this address, which is reserved for the bus and its dependencies"
                        + " (EVENTBUS_WEBHOOK_DENY)",
                e.details().get("error"));
        assertTrue(rows.isEmpty());
    }

    @Test
    void refusesAWebhookWhoseHostDoesNotResolve() {
        InvalidFieldException e = refusal("https://nowhere.example.com/hook");
        assertEquals("target.url", e.details().get("field"));
        assertEquals("host does not resolve", e.details().get("error"));
        assertTrue(rows.isEmpty());
    }

    @Test
    void savesAPublicOrAllowedTargetAndLeavesPullSubscriptionsAlone() {
        assertTrue(registry.save(WebhookSenderTest.webhook("https://hooks.example.com/hook", 5000)));
        assertTrue(registry.save(Subscription.pull("puller", "svc", List.of("user.created"))));
        assertEquals(List.of("hooks.example.com"), lookedUp);
        assertFalse(registry.save(WebhookSenderTest.webhook("http://127.0.0.5:4000/hook", 5000)));
        assertEquals("http://127.0.0.5:4000/hook", rows.get("hook").target().url());
    }

    @Test
    void aStateChangeDoesNotLookTheTargetUpAgain() {
        registry.save(WebhookSenderTest.webhook("https://hooks.example.com/hook", 5000));
        answer = "127.0.0.1";

        Optional<Subscription> disabled =
                registry.changeState("hook", SubscriptionState.DISABLED, "failing since yesterday");

        assertEquals("disabled", disabled.orElseThrow().state());
        assertEquals("disabled", rows.get("hook").state());
        assertEquals(List.of("hooks.example.com"), lookedUp);
    }
}
