package com.idynic.eventbus.it;

import static com.idynic.eventbus.it.Stack.await;
import static com.idynic.eventbus.it.Stack.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The example {@code reactive-service} on a second, small Liberty ({@code reactive}: restfulWS, cdi, mpConfig,
 * mpReactiveMessaging, nothing of the bus) reaches the bus under test over HTTP through the {@code idynic-eventbus}
 * connector: its {@code @Incoming("orders-in")} consumes a pull subscription the connector declares, its emitter
 * publishes. Black box: the bus's REST API on one side, the example's demo endpoints on the other.
 */
class ReactiveMessagingIT {
    static final String SERVER = "reactive";
    static final String ORDER_TYPE = "it.reactive.order.placed";
    static final String SHIPMENT_TYPE = "it.reactive.shipment.sent";
    static final String CONFIRMED_TYPE = "it.reactive.order.confirmed";

    static String service;
    static String subscription;
    static String confirmations;
    static int port;

    @BeforeAll
    static void startTheExampleOnItsOwnServer() throws Exception {
        Stack.awaitReady();
        service = "it-reactive-" + UUID.randomUUID().toString().substring(0, 8);
        subscription = "reactive-orders-" + UUID.randomUUID().toString().substring(0, 8);
        confirmations = "reactive-confirmations-" + UUID.randomUUID().toString().substring(0, 8);
        String apiKey = AuthIT.service(
                service,
                "{\"roles\":[\"publisher\",\"subscriber\"],\"publish\":[\"it.reactive.*\"],"
                        + "\"subscribe\":[\"it.reactive.*\"]}");
        Path dir = Path.of(System.getProperty("wlpHome"), "usr", "servers", SERVER);
        TwoServersIT.copyServer(Path.of(System.getProperty("it.reactive.dir")), dir);
        port = TwoServersIT.freePort();
        Files.writeString(dir.resolve("bootstrap.properties"), "reactive.http.port=" + port + "\n");
        Files.writeString(dir.resolve("jvm.options"), "-Xmx256m\n-Xms64m\n");
        Files.write(
                dir.resolve("server.env"),
                List.of(
                        "EVENTBUS_URL=" + Stack.baseUrl(),
                        "EVENTBUS_API_KEY=" + apiKey,
                        "MP_MESSAGING_INCOMING_ORDERS_IN_SUBSCRIPTION=" + subscription,
                        "MP_MESSAGING_INCOMING_ORDERS_IN_TYPES=" + ORDER_TYPE,
                        "MP_MESSAGING_OUTGOING_SHIPMENTS_OUT_TYPE=" + SHIPMENT_TYPE,
                        "MP_MESSAGING_INCOMING_ORDERS_CONFIRM_SUBSCRIPTION=" + confirmations,
                        "MP_MESSAGING_INCOMING_ORDERS_CONFIRM_TYPES=" + ORDER_TYPE,
                        "MP_MESSAGING_OUTGOING_CONFIRMATIONS_OUT_TYPE=" + CONFIRMED_TYPE));
        Process start = new ProcessBuilder(System.getProperty("wlpHome") + "/bin/server", "start", SERVER)
                .inheritIO()
                .start();
        assertEquals(0, start.waitFor());
        await(Duration.ofSeconds(120), "the example's server ready", () -> {
            try {
                return example("GET", "/received", null).statusCode() == 200;
            } catch (RuntimeException notYet) {
                return false;
            }
        });
    }

    @AfterAll
    static void stopTheExamplesServer() throws Exception {
        Process stop = new ProcessBuilder(System.getProperty("wlpHome") + "/bin/server", "stop", SERVER)
                .inheritIO()
                .start();
        stop.waitFor();
    }

    static HttpResponse<String> example(String method, String path, String body) {
        return Stack.raw(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/reactive-service/api" + path))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    /** @return what the example's {@code @Incoming} method was handed for these ids, in arrival order */
    static List<JsonObject> received(List<String> ids) {
        JsonArray all = Stack.parse(
                        "{\"r\":" + example("GET", "/received", null).body() + "}")
                .getJsonArray("r");
        return all.stream()
                .map(JsonValue::asJsonObject)
                .filter(d -> ids.contains(d.getString("id")))
                .toList();
    }

    static void publishOrder(String id, String key, String data) {
        HttpResponse<String> r =
                Stack.postJson("/v1/events", Stack.event(id, ORDER_TYPE, data, "{\"partitionKey\":\"" + key + "\"}"));
        assertEquals(202, r.statusCode(), r.body());
    }

    static String deliveryState(String eventId) {
        return deliveryState(eventId, subscription);
    }

    static String deliveryState(String eventId, String subscription) {
        return json(Stack.get("/v1/events/" + eventId + "/deliveries")).getJsonArray("deliveries").stream()
                .map(JsonValue::asJsonObject)
                .filter(d -> d.getString("subscriptionId").equals(subscription))
                .map(d -> d.getString("state"))
                .findFirst()
                .orElse("none");
    }

    @Test
    void ordersPublishedOnTheBusReachTheIncomingMethodInEachKeysOrderAndItsAcksAreBusAcks() {
        String[] keys = {"k1-" + UUID.randomUUID(), "k2-" + UUID.randomUUID()};
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String id = Stack.newId("rx-order");
            publishOrder(id, keys[i % 2], "{\"n\":" + i + "}");
            ids.add(id);
        }
        await(Duration.ofSeconds(30), "10 orders received", () -> received(ids).size() == 10);
        List<JsonObject> got = received(ids);
        for (String key : keys) {
            List<String> published = Stream.iterate(0, i -> i + 1)
                    .limit(10)
                    .filter(i -> keys[i % 2].equals(key))
                    .map(ids::get)
                    .toList();
            List<String> seen = got.stream()
                    .filter(d -> d.getString("orderingKey").equals(key))
                    .map(d -> d.getString("id"))
                    .toList();
            assertEquals(published, seen, "key " + key + " in publish order");
        }
        got.forEach(d -> assertEquals("ack@1", d.getString("outcome") + "@" + d.getInt("attempt"), d.toString()));
        await(Duration.ofSeconds(15), "every order DELIVERED on the bus", () -> ids.stream()
                .allMatch(id -> deliveryState(id).equals("DELIVERED")));
    }

    @Test
    void anOrderTheMethodNacksIsRetriedByTheSubscriptionsPolicyThenDeadLettered() {
        String id = Stack.newId("rx-fail");
        publishOrder(id, "kf-" + UUID.randomUUID(), "{\"fail\":true}");
        await(
                Duration.ofSeconds(30),
                "the failing order handed out twice",
                () -> received(List.of(id)).size() == 2);
        assertEquals(
                List.of("nack@1", "nack@2"),
                received(List.of(id)).stream()
                        .map(d -> d.getString("outcome") + "@" + d.getInt("attempt"))
                        .toList());
        await(Duration.ofSeconds(15), "the order dead-lettered", () -> deliveryState(id)
                .equals("DEAD"));
        HttpResponse<String> dead = Stack.get("/v1/subscriptions/" + subscription + "/dead-letters/" + id);
        assertEquals(200, dead.statusCode(), dead.body());
        assertEquals(
                "retries exhausted after 2 attempts: IllegalStateException: refused by the example",
                json(dead).getJsonObject("deadLetter").getString("lastError"),
                dead.body());
    }

    @Test
    void aShipmentSentThroughTheEmitterIsStoredOnTheBusBeforeTheSendCompletes() {
        String id = Stack.newId("rx-shipment");
        HttpResponse<String> sent =
                example("POST", "/shipments", "{\"id\":\"" + id + "\",\"orderId\":\"ord-" + id + "\"}");
        assertEquals(202, sent.statusCode(), sent.body());
        HttpResponse<String> stored = Stack.get("/v1/events/" + id);
        assertEquals(200, stored.statusCode(), stored.body());
        JsonObject event = json(stored).getJsonObject("event");
        assertEquals(SHIPMENT_TYPE, event.getString("eventType"));
        assertEquals(service, event.getString("source"));
        assertEquals("ord-" + id, event.getJsonObject("data").getString("orderId"));
        assertEquals("ord-" + id, event.getJsonObject("metadata").getString("partitionKey"));
    }

    @Test
    void anOrderThroughTheProcessorIsAckedOnTheBusOnlyOnceItsConfirmationIsStoredThere() {
        String id = Stack.newId("rx-confirm");
        publishOrder(id, "cust-confirm", "{\"orderId\":\"ord-" + id + "\"}");
        await(Duration.ofSeconds(60), "the order acked on the processor's subscription", () -> deliveryState(
                        id, confirmations)
                .equals("DELIVERED"));
        HttpResponse<String> stored = Stack.get("/v1/events/conf-" + id);
        assertEquals(200, stored.statusCode(), "the confirmation was stored before the order's ack: " + stored.body());
        JsonObject event = json(stored).getJsonObject("event");
        assertEquals(CONFIRMED_TYPE, event.getString("eventType"));
        assertEquals(service, event.getString("source"));
        assertEquals("ord-" + id, event.getJsonObject("data").getString("orderId"));
        assertEquals(id, event.getJsonObject("metadata").getString("correlationId"));
        assertEquals("cust-confirm", event.getJsonObject("metadata").getString("partitionKey"));
    }
}
