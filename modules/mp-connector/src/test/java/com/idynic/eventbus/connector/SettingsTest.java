package com.idynic.eventbus.connector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Channel attributes read into typed settings: defaults, every attribute, and refusals that name the attribute. */
class SettingsTest {
    static Attributes attributes(String... pairs) {
        Map<String, String> m = new HashMap<>();
        m.put("channel-name", "orders-in");
        m.put("url", "http://bus:9080");
        m.put("api-key", "ebk_x");
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return name -> Optional.ofNullable(m.get(name));
    }

    @Test
    void anIncomingChannelWithOnlyUrlAndKeyPullsTheSubscriptionNamedLikeTheChannel() {
        assertEquals(
                new IncomingSettings(
                        "http://bus:9080",
                        "ebk_x",
                        "orders-in",
                        "orders-in",
                        List.of(),
                        IncomingSettings.Ordering.ORDERED,
                        0,
                        10,
                        1,
                        Duration.ofSeconds(30),
                        IncomingSettings.Payload.STRING),
                IncomingSettings.from(attributes()));
    }

    @Test
    void everyIncomingAttributeIsRead() {
        assertEquals(
                new IncomingSettings(
                        "http://bus:9080",
                        "ebk_x",
                        "orders-in",
                        "reactive-orders",
                        List.of("order.placed", "order.*"),
                        IncomingSettings.Ordering.UNORDERED,
                        2,
                        50,
                        3,
                        Duration.ofSeconds(5),
                        IncomingSettings.Payload.EVENT),
                IncomingSettings.from(attributes(
                        "subscription", "reactive-orders",
                        "types", " order.placed, order.*,",
                        "ordering", "Unordered",
                        "max-attempts", "2",
                        "batch", "50",
                        "workers", "3",
                        "ack-deadline-ms", "5000",
                        "payload", "event")));
    }

    @Test
    void outgoingAttributesAndTheirDefaults() {
        assertEquals(
                new OutgoingSettings(
                        "http://bus:9080", "ebk_x", "orders-in", null, null, Duration.ofMillis(2), 1, 1000),
                OutgoingSettings.from(attributes()));
        assertEquals(
                new OutgoingSettings(
                        "http://bus:9080", "ebk_x", "orders-in", "shipment.sent", "shipping", Duration.ZERO, 4, 50),
                OutgoingSettings.from(attributes(
                        "type",
                        "shipment.sent",
                        "source",
                        "shipping",
                        "linger-ms",
                        "0",
                        "max-in-flight",
                        "4",
                        "max-pending",
                        "50")));
    }

    @Test
    void wrongValuesAreRefusedNamingTheChannelAndAttribute() {
        assertEquals(
                "channel orders-in: attribute api-key is required",
                assertThrows(IllegalArgumentException.class, () -> IncomingSettings.from(attributes("api-key", " ")))
                        .getMessage());
        assertEquals(
                "channel orders-in: attribute batch must be 1–500, got 0",
                assertThrows(IllegalArgumentException.class, () -> IncomingSettings.from(attributes("batch", "0")))
                        .getMessage());
        assertEquals(
                "channel orders-in: attribute workers must be 1–8, got many",
                assertThrows(IllegalArgumentException.class, () -> IncomingSettings.from(attributes("workers", "many")))
                        .getMessage());
        assertEquals(
                "channel orders-in: attribute ordering must be one of [ordered, unordered], got by-key",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> IncomingSettings.from(attributes("ordering", "by-key")))
                        .getMessage());
    }
}
