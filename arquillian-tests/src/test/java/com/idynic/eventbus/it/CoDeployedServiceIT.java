package com.idynic.eventbus.it;

import static com.idynic.eventbus.it.Stack.await;
import static com.idynic.eventbus.it.Stack.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The co-deployed example calls the bus as a service of its own, {@code profile-service} (a subscriber the bus
 * bootstraps with the key devstack generates), not as admin: its CDI bridge's long poll counts against that
 * service's slots, so admin keeps all of its own (the test server allows 3 per service).
 */
class CoDeployedServiceIT {
    private static final int LONG_POLLS_PER_SERVICE = 3;

    @BeforeAll
    static void ready() {
        Stack.awaitReady();
    }

    @Test
    void theExamplesSubscriptionIsOwnedByASubscriberServiceOfItsOwnWhoseKeyTheBridgeUses() {
        JsonObject subscription = json(Stack.get("/v1/subscriptions/profile-service"));
        assertEquals("profile-service", subscription.getString("owner"), subscription.toString());

        HttpResponse<String> r = Stack.get("/v1/services/profile-service");
        assertEquals(200, r.statusCode(), "the bus bootstrapped the example's service: " + r.body());
        JsonObject service = json(r);
        assertEquals("[\"subscriber\"]", service.getJsonArray("roles").toString(), r.body());
        assertEquals("[]", service.getJsonArray("publish").toString(), "it publishes through SQL: " + r.body());

        String key = Stack.clientKey();
        assertNotEquals(Stack.adminKey(), key, "the example has a key of its own");
        String keyId = key.split("_")[1];
        Optional<JsonObject> stored = json(Stack.get("/v1/services/profile-service/keys")).getJsonArray("keys").stream()
                .map(JsonValue::asJsonObject)
                .filter(k -> k.getString("keyId").equals(keyId))
                .findFirst();
        assertTrue(stored.isPresent(), "the example's key is a key of profile-service");
        assertTrue(
                stored.get().containsKey("lastUsedAt"),
                "the bridge exchanged it for the token it subscribed with: " + stored.get());
    }

    @Test
    void adminHoldsAllItsLongPollsWhileTheBridgeKeepsDeliveringOnItsOwn() throws Exception {
        String admin = Stack.token(Stack.adminKey());
        List<String> types = new ArrayList<>();
        List<String> subs = new ArrayList<>();
        for (int i = 0; i < LONG_POLLS_PER_SERVICE; i++) {
            String type = WebhookIT.unique("it.codeployed.poll");
            String sub = WebhookIT.unique("codeployed-admin-");
            Subscriptions.create(sub, "{\"eventTypes\":[\"" + type + "\"],\"target\":{\"type\":\"pull\"}}");
            types.add(type);
            subs.add(sub);
        }
        ExecutorService pool = Executors.newFixedThreadPool(LONG_POLLS_PER_SERVICE);
        try {
            List<Future<HttpResponse<String>>> polls = new ArrayList<>();
            for (String sub : subs) {
                polls.add(pool.submit(() -> AuthIT.call(
                        "POST",
                        "/v1/subscriptions/" + sub + "/pull",
                        admin,
                        "{\"maxEvents\":1,\"waitMillis\":20000}")));
            }

            String toExample = Stack.newId("evt-codeployed");
            assertEquals(
                    202,
                    Stack.postJson("/v1/events", Stack.userCreated(toExample)).statusCode());
            await(
                    Duration.ofSeconds(60),
                    "the example's observer received " + toExample,
                    () -> CdiDeliveryIT.delivered(toExample));
            for (String type : types) {
                Subscriptions.publish(type, null, "{\"n\":1}");
            }

            for (Future<HttpResponse<String>> poll : polls) {
                HttpResponse<String> answer = poll.get();
                assertEquals(
                        200,
                        answer.statusCode(),
                        "none of admin's " + LONG_POLLS_PER_SERVICE + " long polls is taken by the bridge: "
                                + answer.body());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
