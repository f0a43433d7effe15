package com.idynic.eventbus.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The deny-list devstack writes for the run mode and the tests, which allow webhooks to loopback. */
class WebhookDenyListTest {
    static String onLoopback(int... ports) {
        StringBuilder out = new StringBuilder();
        for (int port : ports) {
            out.append(out.length() == 0 ? "" : ",")
                    .append("127.0.0.0/8:")
                    .append(port)
                    .append(",::1/128:")
                    .append(port);
        }
        return out.toString();
    }

    @Test
    void refusesTheBussPortsItsDependenciesAndTheControlPortOnLoopbackAfterTheEntriesGiven() {
        Map<String, String> env = Map.of(
                "EVENTBUS_HTTP_PORT", "9080",
                "EVENTBUS_HTTPS_PORT", "9443",
                "EVENTBUS_DB_PORT", "15432",
                "EVENTBUS_KAFKA_BOOTSTRAP", "127.0.0.1:19092",
                "EVENTBUS_REDIS_URL", "redis://:pa-ss_word@127.0.0.1:16379",
                "DEVSTACK_CONTROL", "http://127.0.0.1:24000",
                "EVENTBUS_WEBHOOK_DENY", " 10.0.0.1/32:22 ");

        assertEquals(
                "10.0.0.1/32:22," + onLoopback(9080, 9443, 15432, 16379, 19092, 19093, 24000),
                WebhookDenyList.of(env, List.of(19093)));
    }

    @Test
    void usesThePortsTheBusFallsBackToWhenTheSettingsNameNone() {
        Map<String, String> env = Map.of(
                "EVENTBUS_KAFKA_BOOTSTRAP", "kafka-a.internal:9092,kafka-b.internal:9093",
                "EVENTBUS_REDIS_URL", "redis://cache.internal",
                "EVENTBUS_WEBHOOK_DENY", "");

        assertEquals(onLoopback(5432, 6379, 9080, 9092, 9093, 9443), WebhookDenyList.of(env, List.of()));
    }
}
