package com.idynic.eventbus.it;

import static com.idynic.eventbus.it.Stack.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The co-deployed example app accepts the bus's tokens and nothing less, on every endpoint. */
class ExampleAppAuthIT {
    private static final String ORDERS = "/profile-service/api/orders";
    private static final String RECEIVED = "/profile-service/api/received";

    @BeforeAll
    static void ready() {
        Stack.awaitReady();
    }

    static String order() {
        return "{\"orderId\":\"" + Stack.newId("ord-auth") + "\",\"customerId\":\"cust-auth\",\"totalAmount\":100}";
    }

    /** @return every endpoint of the example, called with {@code authorization} (or none when null) */
    static Map<String, HttpResponse<String>> callEveryEndpoint(String authorization) {
        Map<String, HttpResponse<String>> out = new LinkedHashMap<>();
        out.put("POST " + ORDERS, send(authorization, "POST", ORDERS, order()));
        out.put("POST " + ORDERS + "?reject=true", send(authorization, "POST", ORDERS + "?reject=true", order()));
        out.put("GET " + RECEIVED, send(authorization, "GET", RECEIVED, null));
        return out;
    }

    static HttpResponse<String> send(String authorization, String method, String path, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(Stack.baseUrl() + path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return Stack.raw(b.build());
    }

    @Test
    void everyEndpointWithoutATokenIs401InTheErrorFormat() {
        callEveryEndpoint(null).forEach((endpoint, r) -> {
            assertEquals(401, r.statusCode(), endpoint + ": " + r.body());
            assertEquals("UNAUTHORIZED", json(r).getString("errorCode"), endpoint);
        });
    }

    @Test
    void everyEndpointWithAGarbageOrForgedTokenIs401() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        long later = Instant.now().getEpochSecond() + 600;
        String forged = AuthIT.jwt(
                g.generateKeyPair().getPrivate(), AuthIT.claims("idynic-event-bus", "idynic-event-bus", later));
        for (String token : new String[] {"not.a.jwt", "garbage", forged}) {
            callEveryEndpoint("Bearer " + token)
                    .forEach((endpoint, r) -> assertEquals(401, r.statusCode(), endpoint + ": " + r.body()));
        }
    }

    @Test
    void everyEndpointWorksAsBeforeWithTheAdminToken() {
        String admin = "Bearer " + Stack.token(Stack.adminKey());
        HttpResponse<String> placed = send(admin, "POST", ORDERS, order());
        assertEquals(200, placed.statusCode(), placed.body());
        assertTrue(json(placed).getBoolean("committed"), placed.body());
        HttpResponse<String> rejected = send(admin, "POST", ORDERS + "?reject=true", order());
        assertEquals(409, rejected.statusCode(), "the demo's rollback answer: " + rejected.body());
        assertFalse(json(rejected).getBoolean("committed"), rejected.body());
        HttpResponse<String> received = send(admin, "GET", RECEIVED, null);
        assertEquals(200, received.statusCode(), received.body());
        assertTrue(json(received).containsKey("calls"), received.body());
    }

    @Test
    void aSchemaInvalidOrderIs400NamingTheFieldInTheBusErrorFormatWithoutAnIncident() {
        String admin = "Bearer " + Stack.token(Stack.adminKey());
        Set<String> incidents = ServerLogs.ffdcFiles();
        HttpResponse<String> r = send(
                admin,
                "POST",
                ORDERS,
                "{\"orderId\":\"" + Stack.newId("ord-bad")
                        + "\",\"customerId\":\"cust-auth\",\"totalAmount\":\"lots\"}");
        assertEquals(400, r.statusCode(), r.body());
        JsonObject err = json(r);
        assertEquals("error", err.getString("status"), r.body());
        assertEquals("SCHEMA_VALIDATION_ERROR", err.getString("errorCode"), r.body());
        assertEquals("data.totalAmount", err.getJsonObject("details").getString("field"), r.body());
        Set<String> added = new TreeSet<>(ServerLogs.ffdcFiles());
        added.removeAll(incidents);
        assertEquals(Set.of(), added, "bad input is no incident");
    }

    @Test
    void aTokenWithoutTheEndpointsRoleIs403() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String publisher = "Bearer "
                + Stack.token(AuthIT.service(
                        "it-ex-pub-" + suffix, "{\"roles\":[\"publisher\"],\"publish\":[\"it.example.*\"]}"));
        String subscriber = "Bearer "
                + Stack.token(AuthIT.service(
                        "it-ex-sub-" + suffix, "{\"roles\":[\"subscriber\"],\"subscribe\":[\"it.example.*\"]}"));
        HttpResponse<String> read = send(publisher, "GET", RECEIVED, null);
        assertEquals(403, read.statusCode(), "a publisher reads no received events: " + read.body());
        HttpResponse<String> publisherPlace = send(publisher, "POST", ORDERS, order());
        assertEquals(
                403,
                publisherPlace.statusCode(),
                "the example publishes as itself, so only an admin may make it: " + publisherPlace.body());
        HttpResponse<String> place = send(subscriber, "POST", ORDERS, order());
        assertEquals(403, place.statusCode(), "a subscriber places no orders: " + place.body());
        HttpResponse<String> subscriberRead = send(subscriber, "GET", RECEIVED, null);
        assertEquals(
                403, subscriberRead.statusCode(), "received events are an operator's view: " + subscriberRead.body());
    }
}
