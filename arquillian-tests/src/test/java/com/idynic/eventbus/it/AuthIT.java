package com.idynic.eventbus.it;

import static com.idynic.eventbus.it.Stack.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every API call needs a valid token; roles and per-service permissions decide the rest. */
class AuthIT {
    @BeforeAll
    static void ready() {
        Stack.awaitReady();
    }

    /** Creates (or replaces) a service and issues it a key. @return the API key */
    static String service(String name, String spec) {
        HttpResponse<String> put =
                Stack.send(HttpRequest.newBuilder(URI.create(Stack.baseUrl() + "/v1/services/" + name))
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(spec)));
        assertTrue(put.statusCode() == 201 || put.statusCode() == 200, put.body());
        HttpResponse<String> key = Stack.postJson("/v1/services/" + name + "/keys", "{}");
        assertEquals(201, key.statusCode(), key.body());
        return json(key).getString("apiKey");
    }

    static HttpResponse<String> call(String method, String path, String token, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(Stack.baseUrl() + path))
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return Stack.raw(b.build());
    }

    static void assertError(int status, String code, HttpResponse<String> r) {
        assertEquals(status, r.statusCode(), r.body());
        JsonObject o = json(r);
        assertEquals("error", o.getString("status"), r.body());
        assertEquals(code, o.getString("errorCode"), r.body());
    }

    /** Signs claims with the bus's dev key (or another key) as RS256. */
    static String jwt(PrivateKey key, JsonObject claims) throws Exception {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String input = b64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initSign(key);
        s.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + b64.encodeToString(s.sign());
    }

    static PrivateKey busKey() throws Exception {
        String pem = Files.readString(Path.of(Stack.env().get("EVENTBUS_JWT_PRIVATE_KEY")));
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
    }

    static JsonObject claims(String iss, String aud, long exp) {
        long now = Instant.now().getEpochSecond();
        return Json.createObjectBuilder()
                .add("iss", iss)
                .add("aud", aud)
                .add("sub", "admin")
                .add("upn", "admin")
                .add("groups", Json.createArrayBuilder().add("admin"))
                .add("iat", now - 10)
                .add("exp", exp)
                .add("jti", UUID.randomUUID().toString())
                .build();
    }

    @Test
    void missingExpiredForgedOrMisaddressedTokensGet401InTheErrorFormat() throws Exception {
        long later = Instant.now().getEpochSecond() + 600;
        assertError(401, "UNAUTHORIZED", call("GET", "/v1/subscriptions", null, null));
        assertError(401, "UNAUTHORIZED", call("POST", "/v1/events", null, Stack.userCreated(Stack.newId("evt-auth-"))));
        assertError(
                401,
                "UNAUTHORIZED",
                call("POST", "/v1/events/batch", null, "[" + Stack.userCreated(Stack.newId("evt-auth-")) + "]"));
        assertEquals(
                200,
                call(
                                "GET",
                                "/v1/subscriptions",
                                jwt(busKey(), claims("idynic-event-bus", "idynic-event-bus", later)),
                                null)
                        .statusCode(),
                "a well-formed token signed by the bus is accepted (control)");
        long past = Instant.now().getEpochSecond() - 600;
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        PrivateKey forged = g.generateKeyPair().getPrivate();
        Map<String, String> refused = Map.of(
                "expired", jwt(busKey(), claims("idynic-event-bus", "idynic-event-bus", past)),
                "wrong issuer", jwt(busKey(), claims("https://evil.example", "idynic-event-bus", later)),
                "wrong audience", jwt(busKey(), claims("idynic-event-bus", "someone-else", later)),
                "wrong signature", jwt(forged, claims("idynic-event-bus", "idynic-event-bus", later)),
                "not a JWT", "not.a.jwt");
        refused.forEach((why, token) -> {
            HttpResponse<String> r = call("GET", "/v1/subscriptions", token, null);
            assertEquals(401, r.statusCode(), why + ": " + r.body());
            assertEquals("UNAUTHORIZED", json(r).getString("errorCode"), why);
        });
        assertEquals(
                200,
                Stack.raw(HttpRequest.newBuilder(URI.create(Stack.baseUrl() + "/health/ready"))
                                .build())
                        .statusCode(),
                "health stays open");
    }

    @Test
    void aPublisherMayPublishOnlyItsTypesWithItsOwnSourceAndNothingElse() {
        String name = "it-pub-" + UUID.randomUUID().toString().substring(0, 8);
        String token = Stack.token(service(name, "{\"roles\":[\"publisher\"],\"publish\":[\"it.auth.*\"]}"));
        String ok = "{\"id\":\"" + Stack.newId("evt-auth-") + "\",\"eventType\":\"it.auth.done\",\"source\":\"" + name
                + "\",\"data\":{}}";
        assertEquals(202, call("POST", "/v1/events", token, ok).statusCode());

        HttpResponse<String> otherType = call(
                "POST",
                "/v1/events",
                token,
                "{\"id\":\"" + Stack.newId("evt-auth-") + "\",\"eventType\":\"order.placed\",\"source\":\"" + name
                        + "\",\"data\":{}}");
        assertError(403, "FORBIDDEN", otherType);
        assertEquals("order.placed", json(otherType).getJsonObject("details").getString("eventType"));

        String spoofId = Stack.newId("evt-auth-");
        HttpResponse<String> spoofed = call(
                "POST",
                "/v1/events",
                token,
                "{\"id\":\"" + spoofId
                        + "\",\"eventType\":\"it.auth.done\",\"source\":\"billing-service\",\"data\":{}}");
        assertError(403, "FORBIDDEN", spoofed);
        assertEquals("source", json(spoofed).getJsonObject("details").getString("field"));
        assertEquals(0, Stack.count("select count(*) from eb_event where id = ?", spoofId), "nothing stored");

        assertError(403, "FORBIDDEN", call("GET", "/v1/retention", token, null));
        assertError(403, "FORBIDDEN", call("GET", "/v1/subscriptions", token, null));
        assertError(403, "FORBIDDEN", call("PUT", "/v1/services/" + name, token, "{\"roles\":[\"admin\"]}"));
    }

    /** One CloudEvents publish in {@code mode} (binary, structured or batch), with {@code token} or none. */
    static HttpResponse<String> cloudEvent(String mode, String token, String id, String type, String source) {
        String structured = "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"type\":\"" + type + "\",\"source\":\""
                + source + "\",\"data\":{}}";
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(Stack.baseUrl() + "/v1/events"));
        switch (mode) {
            case "binary" -> b.header("Content-Type", "application/json")
                    .header("ce-specversion", "1.0")
                    .header("ce-id", id)
                    .header("ce-type", type)
                    .header("ce-source", source)
                    .POST(HttpRequest.BodyPublishers.ofString("{}"));
            case "structured" -> b.header("Content-Type", "application/cloudevents+json")
                    .POST(HttpRequest.BodyPublishers.ofString(structured));
            default -> b.header("Content-Type", "application/cloudevents-batch+json")
                    .POST(HttpRequest.BodyPublishers.ofString("[" + structured + "]"));
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return Stack.raw(b.build());
    }

    @Test
    void cloudEventsInEveryModeNeedATokenAndThePublishersTypeAndSource() {
        String name = "it-cepub-" + UUID.randomUUID().toString().substring(0, 8);
        String token = Stack.token(service(name, "{\"roles\":[\"publisher\"],\"publish\":[\"it.auth.*\"]}"));
        String subscriber = Stack.token(
                service("it-cesub-" + UUID.randomUUID().toString().substring(0, 8), "{\"roles\":[\"subscriber\"]}"));
        for (String mode : List.of("binary", "structured", "batch")) {
            String id = Stack.newId("evt-auth-ce-");
            assertError(401, "UNAUTHORIZED", cloudEvent(mode, null, id, "it.auth.done", name));
            assertError(403, "FORBIDDEN", cloudEvent(mode, subscriber, id, "it.auth.done", name));
            assertError(403, "FORBIDDEN", cloudEvent(mode, token, id, "order.placed", name));
            HttpResponse<String> spoofed = cloudEvent(mode, token, id, "it.auth.done", "billing-service");
            assertError(403, "FORBIDDEN", spoofed);
            assertEquals(0, Stack.count("select count(*) from eb_event where id = ?", id), mode + ": nothing stored");
            assertEquals(202, cloudEvent(mode, token, id, "it.auth.done", name).statusCode(), mode);
        }
    }

    @Test
    void aSubscriberSubscribesOnlyToItsTypesAndSeesOnlyItsOwnSubscriptions() {
        String name = "it-sub-" + UUID.randomUUID().toString().substring(0, 8);
        String token = Stack.token(service(name, "{\"roles\":[\"subscriber\"],\"subscribe\":[\"it.auth.*\"]}"));
        String mine = "sub-" + name;
        HttpResponse<String> created = call(
                "PUT",
                "/v1/subscriptions/" + mine,
                token,
                "{\"eventTypes\":[\"it.auth.*\"],\"target\":{\"type\":\"pull\"}}");
        assertEquals(201, created.statusCode(), created.body());
        assertEquals(name, json(created).getString("owner"));
        assertError(
                403,
                "FORBIDDEN",
                call(
                        "PUT",
                        "/v1/subscriptions/" + mine + "-all",
                        token,
                        "{\"eventTypes\":[\"*\"],\"target\":{\"type\":\"pull\"}}"));
        String theirs = Stack.newId("sub-admin-");
        Subscriptions.create(theirs, "{\"eventTypes\":[\"it.auth.x\"],\"target\":{\"type\":\"pull\"}}");
        assertError(403, "FORBIDDEN", call("GET", "/v1/subscriptions/" + theirs, token, null));
        assertError(403, "FORBIDDEN", call("POST", "/v1/subscriptions/" + theirs + "/pull", token, "{}"));
        var list = json(call("GET", "/v1/subscriptions", token, null)).getJsonArray("subscriptions");
        assertEquals(1, list.size(), list.toString());
    }

    @Test
    void aRevokedOrExpiredKeyGetsNoTokenAndKeysAreNeverShownAgain() {
        String name = "it-rev-" + UUID.randomUUID().toString().substring(0, 8);
        String key = service(name, "{\"roles\":[\"publisher\"],\"publish\":[\"it.auth.*\"]}");
        String keyId = key.split("_")[1];
        HttpResponse<String> exchanged = call("POST", "/v1/auth/token", null, "{\"apiKey\":\"" + key + "\"}");
        assertEquals(200, exchanged.statusCode(), exchanged.body());
        assertEquals("Bearer", json(exchanged).getString("tokenType"));
        String token = json(exchanged).getString("accessToken");
        String missing = Stack.newId("evt-auth-none-");
        assertEquals(404, call("GET", "/v1/events/" + missing, token, null).statusCode(), "the token works");

        HttpResponse<String> keys = Stack.get("/v1/services/" + name + "/keys");
        assertFalse(keys.body().contains(key.substring(22)), "the secret is never listed");
        assertEquals(keyId, json(keys).getJsonArray("keys").getJsonObject(0).getString("keyId"));

        var revoke = Stack.send(
                HttpRequest.newBuilder(URI.create(Stack.baseUrl() + "/v1/services/" + name + "/keys/" + keyId))
                        .DELETE());
        assertEquals(204, revoke.statusCode(), revoke.body());
        assertError(401, "UNAUTHORIZED", call("POST", "/v1/auth/token", null, "{\"apiKey\":\"" + key + "\"}"));
        HttpResponse<String> revokedToken = call("GET", "/v1/events/" + missing, token, null);
        assertError(401, "UNAUTHORIZED", revokedToken);
        assertEquals(keyId, json(revokedToken).getJsonObject("details").getString("keyId"), "at once on this server");
        assertError(
                401,
                "UNAUTHORIZED",
                call("POST", "/v1/auth/token", null, "{\"apiKey\":\"ebk_0000000000000000_" + "A".repeat(43) + "\"}"));
        assertError(400, "VALIDATION_ERROR", call("POST", "/v1/auth/token", null, "{\"key\":1}"));

        HttpResponse<String> shortLived = Stack.postJson("/v1/services/" + name + "/keys", "{\"expiresInSeconds\":2}");
        String expiring = json(shortLived).getString("apiKey");
        String expiringId = expiring.split("_")[1];
        HttpResponse<String> whileValid = call("POST", "/v1/auth/token", null, "{\"apiKey\":\"" + expiring + "\"}");
        assertEquals(200, whileValid.statusCode(), "a key works until it expires: " + whileValid.body());
        String fromExpiring = json(whileValid).getString("accessToken");
        assertEquals(
                404, call("GET", "/v1/events/" + missing, fromExpiring, null).statusCode(), "the token works");
        AtomicReference<HttpResponse<String>> refused = new AtomicReference<>();
        Stack.await(Duration.ofSeconds(10), "the 2-second key expires", () -> {
            refused.set(call("POST", "/v1/auth/token", null, "{\"apiKey\":\"" + expiring + "\"}"));
            return refused.get().statusCode() != 200;
        });
        assertError(401, "UNAUTHORIZED", refused.get());
        HttpResponse<String> expiredToken = call("GET", "/v1/events/" + missing, fromExpiring, null);
        assertError(401, "UNAUTHORIZED", expiredToken);
        assertEquals(expiringId, json(expiredToken).getJsonObject("details").getString("keyId"), expiredToken.body());
    }

    @Test
    void operatorsReadOtherServicesSubscriptionsButDoNotConsumeThemAndRemovedRolesStopAtOnce() {
        String name = "it-op-" + UUID.randomUUID().toString().substring(0, 8);
        String key = service(name, "{\"roles\":[\"operator\",\"publisher\"],\"publish\":[\"it.auth.*\"]}");
        String token = Stack.token(key);
        String theirs = Stack.newId("sub-theirs-");
        Subscriptions.create(theirs, "{\"eventTypes\":[\"it.auth.x\"],\"target\":{\"type\":\"pull\"}}");
        assertEquals(
                200, call("GET", "/v1/subscriptions/" + theirs, token, null).statusCode());
        assertError(403, "FORBIDDEN", call("POST", "/v1/subscriptions/" + theirs + "/pull", token, "{}"));
        assertError(403, "FORBIDDEN", call("DELETE", "/v1/subscriptions/" + theirs, token, null));

        String other = Stack.newId("evt-auth-other-");
        assertEquals(202, Stack.postJson("/v1/events", Stack.userCreated(other)).statusCode());
        assertEquals(200, call("GET", "/v1/events/" + other, token, null).statusCode(), "operators read any event");

        HttpResponse<String> demote = Stack.send(HttpRequest.newBuilder(
                        URI.create(Stack.baseUrl() + "/v1/services/" + name))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"roles\":[\"publisher\"],\"publish\":[\"it.auth.*\"]}")));
        assertEquals(200, demote.statusCode(), demote.body());
        HttpResponse<String> stale = call("GET", "/v1/retention", token, null);
        assertError(401, "UNAUTHORIZED", stale);
        assertTrue(json(stale).getString("message").contains("operator"), stale.body());

        String fresh = call("POST", "/v1/auth/token", null, "{\"apiKey\":\"" + key + "\"}")
                .body()
                .replaceAll(".*\"accessToken\":\"([^\"]+)\".*", "$1");
        assertEquals(
                404,
                call("GET", "/v1/events/" + other, fresh, null).statusCode(),
                "a publisher does not see events of types it may not publish");
    }

    /** Every alerts endpoint with a body that would be accepted, for the role checks. */
    static final List<List<String>> ALERT_CALLS = List.of(
            List.of("GET", "/v1/alerts", ""),
            List.of("GET", "/v1/alerts/history", ""),
            List.of("GET", "/v1/alerts/rules", ""),
            List.of(
                    "POST",
                    "/v1/alerts/rules",
                    "{\"name\":\"auth\",\"metric\":\"queue_depth\",\"operator\":\">\",\"threshold\":1}"),
            List.of("GET", "/v1/alerts/rules/queue-depth", ""),
            List.of(
                    "PUT",
                    "/v1/alerts/rules/queue-depth",
                    "{\"name\":\"Queue depth\",\"metric\":\"queue_depth\",\"operator\":\">\",\"threshold\":10000,"
                            + "\"forSeconds\":60}"),
            List.of("DELETE", "/v1/alerts/rules/alr-000000000000", ""));

    @Test
    void alertsAreReadAndWrittenByOperatorsAndAdminsAndByNoOneElse() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String subscriber =
                Stack.token(service("it-alsub-" + suffix, "{\"roles\":[\"subscriber\"],\"subscribe\":[\"*\"]}"));
        String publisher =
                Stack.token(service("it-alpub-" + suffix, "{\"roles\":[\"publisher\"],\"publish\":[\"*\"]}"));
        String operator = Stack.token(service("it-alop-" + suffix, "{\"roles\":[\"operator\"]}"));
        for (List<String> c : ALERT_CALLS) {
            String body = c.get(2).isEmpty() ? null : c.get(2);
            String what = c.get(0) + " " + c.get(1);
            assertError(401, "UNAUTHORIZED", call(c.get(0), c.get(1), null, body));
            HttpResponse<String> sub = call(c.get(0), c.get(1), subscriber, body);
            assertError(403, "FORBIDDEN", sub);
            assertEquals(
                    List.of("operator", "admin"),
                    json(sub)
                            .getJsonObject("details")
                            .getJsonArray("requiredRoles")
                            .getValuesAs(JsonString::getString),
                    what);
            assertError(403, "FORBIDDEN", call(c.get(0), c.get(1), publisher, body));
            HttpResponse<String> op = call(c.get(0), c.get(1), operator, body);
            int expected =
                    switch (c.get(0)) {
                        case "POST" -> 201;
                        case "DELETE" -> 404;
                        default -> 200;
                    };
            assertEquals(expected, op.statusCode(), what + " as operator: " + op.body());
            if (c.get(0).equals("POST")) {
                String id = json(op).getString("id");
                assertEquals(
                        204,
                        call("DELETE", "/v1/alerts/rules/" + id, operator, null).statusCode());
            }
        }
    }

    /** The audit log is read by operators and admins (who act on the bus and answer for it), by no one else. */
    @Test
    void theAuditLogIsReadByOperatorsAndAdminsAndByNoOneElse() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String subscriber =
                Stack.token(service("it-ausub-" + suffix, "{\"roles\":[\"subscriber\"],\"subscribe\":[\"*\"]}"));
        String publisher =
                Stack.token(service("it-aupub-" + suffix, "{\"roles\":[\"publisher\"],\"publish\":[\"*\"]}"));
        String operator = Stack.token(service("it-auop-" + suffix, "{\"roles\":[\"operator\"]}"));
        String path = "/v1/audit?limit=5";
        assertError(401, "UNAUTHORIZED", call("GET", path, null, null));
        HttpResponse<String> sub = call("GET", path, subscriber, null);
        assertError(403, "FORBIDDEN", sub);
        assertEquals(
                List.of("operator", "admin"),
                json(sub).getJsonObject("details").getJsonArray("requiredRoles").getValuesAs(JsonString::getString));
        assertError(403, "FORBIDDEN", call("GET", path, publisher, null));
        HttpResponse<String> op = call("GET", path, operator, null);
        assertEquals(200, op.statusCode(), op.body());
        assertEquals(5, json(op).getJsonArray("entries").size(), "creating the services above was audited");
        assertEquals(200, call("GET", path, Stack.token(Stack.adminKey()), null).statusCode());
    }

    @Test
    void bulkRedrivesAndExportsAreForOperatorsAndAdminsAndAnOwnerReadsOnlyItsOwn() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String type = "it.authbulk." + suffix;
        String sub = "it-authbulk-" + suffix;
        Subscriptions.create(
                sub, "{\"eventTypes\":[\"" + type + "\"],\"target\":{\"type\":\"pull\"},\"ordering\":\"unordered\"}");
        String subscriber =
                Stack.token(service("it-blsub-" + suffix, "{\"roles\":[\"subscriber\"],\"subscribe\":[\"*\"]}"));
        String publisher =
                Stack.token(service("it-blpub-" + suffix, "{\"roles\":[\"publisher\"],\"publish\":[\"*\"]}"));
        String operator = Stack.token(service("it-blop-" + suffix, "{\"roles\":[\"operator\"]}"));
        String base = "/v1/subscriptions/" + sub + "/dead-letters";
        List<List<String>> calls = List.of(
                List.of("POST", base + "/redrives", "{\"dryRun\":true}", "200"),
                List.of("GET", base + "/redrives/rdr-none", "", "404"),
                List.of("DELETE", base + "/redrives/rdr-none", "", "404"),
                List.of("GET", base + "/export?format=csv", "", "200"),
                List.of("GET", "/v1/events/export?format=json&type=" + type, "", "200"));
        for (List<String> c : calls) {
            String body = c.get(2).isEmpty() ? null : c.get(2);
            String what = c.get(0) + " " + c.get(1);
            assertError(401, "UNAUTHORIZED", call(c.get(0), c.get(1), null, body));
            // another service's subscription: refused to subscribers (by role or by ownership) and publishers
            assertError(403, "FORBIDDEN", call(c.get(0), c.get(1), subscriber, body));
            assertError(403, "FORBIDDEN", call(c.get(0), c.get(1), publisher, body));
            HttpResponse<String> op = call(c.get(0), c.get(1), operator, body);
            assertEquals(Integer.parseInt(c.get(3)), op.statusCode(), what + " as operator: " + op.body());
        }
        // the start itself, as an operator (nothing is dead: a job of 0 that ends at once)
        HttpResponse<String> start = call("POST", base + "/redrives", operator, "{}");
        assertEquals(202, start.statusCode(), start.body());
        assertError(403, "FORBIDDEN", call("POST", base + "/redrives", subscriber, "{}"));
    }

    /**
     * A change written by another server (here: straight into the shared database) reaches this server once
     * its cached copy expires, {@code eventbus.auth.directory-ttl} (0.5 s on the test server).
     */
    @Test
    void aRoleRemovedOrAKeyRevokedByAnotherServerStopsTokensHereWhenTheCachedCopyExpires() {
        String name = "it-far-" + UUID.randomUUID().toString().substring(0, 8);
        String key = service(name, "{\"roles\":[\"operator\",\"publisher\"],\"publish\":[\"it.auth.*\"]}");
        String keyId = key.split("_")[1];
        String operatorToken = Stack.token(key);
        assertEquals(200, call("GET", "/v1/retention", operatorToken, null).statusCode(), "cached as an operator");

        Stack.sql("update eb_service set roles = 'publisher' where name = ?", name);
        AtomicReference<HttpResponse<String>> last = new AtomicReference<>();
        Stack.await(Duration.ofSeconds(10), "the removed role is seen", () -> {
            last.set(call("GET", "/v1/retention", operatorToken, null));
            return last.get().statusCode() != 200;
        });
        assertError(401, "UNAUTHORIZED", last.get());
        assertEquals("operator", json(last.get()).getJsonObject("details").getString("role"));

        HttpResponse<String> fresh = call("POST", "/v1/auth/token", null, "{\"apiKey\":\"" + key + "\"}");
        assertEquals(200, fresh.statusCode(), fresh.body());
        String publisherToken = json(fresh).getString("accessToken");
        String missing = "/v1/events/" + Stack.newId("evt-auth-none-");
        assertEquals(404, call("GET", missing, publisherToken, null).statusCode(), "the key is cached as active");
        Stack.sql("update eb_api_key set revoked_at = now() where key_id = ?", keyId);
        Stack.await(Duration.ofSeconds(10), "the revocation is seen", () -> {
            last.set(call("GET", missing, publisherToken, null));
            return last.get().statusCode() != 404;
        });
        assertError(401, "UNAUTHORIZED", last.get());
        assertEquals(keyId, json(last.get()).getJsonObject("details").getString("keyId"));
    }

    @Test
    void aTokenOlderThanARoleItsServiceGainedGets403NamingTheRolesNeededAndTheTokensRoles() {
        String name = "it-gain-" + UUID.randomUUID().toString().substring(0, 8);
        String key = service(name, "{\"roles\":[\"subscriber\"],\"subscribe\":[\"it.auth.*\"]}");
        String token = Stack.token(key);
        HttpResponse<String> promote =
                Stack.send(HttpRequest.newBuilder(URI.create(Stack.baseUrl() + "/v1/services/" + name))
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString("{\"roles\":[\"subscriber\",\"publisher\"],"
                                + "\"subscribe\":[\"it.auth.*\"],\"publish\":[\"it.auth.*\"]}")));
        assertEquals(200, promote.statusCode(), promote.body());
        String event = "{\"id\":\"" + Stack.newId("evt-auth-") + "\",\"eventType\":\"it.auth.done\",\"source\":\""
                + name + "\",\"data\":{}}";
        AtomicReference<HttpResponse<String>> last = new AtomicReference<>();
        Stack.await(Duration.ofSeconds(30), "the bus sees the role the service gained", () -> {
            last.set(call("POST", "/v1/events", token, event));
            return last.get().statusCode() != 403
                    || !json(last.get()).getString("message").startsWith("Service '");
        });

        HttpResponse<String> stale = last.get();
        assertError(403, "FORBIDDEN", stale);
        JsonObject details = json(stale).getJsonObject("details");
        assertFalse(details.isEmpty(), "a 403 names what was refused: " + stale.body());
        assertEquals(
                List.of("publisher", "admin"),
                details.getJsonArray("requiredRoles").getValuesAs(JsonString::getString),
                stale.body());
        assertEquals(List.of("subscriber"), details.getJsonArray("tokenRoles").getValuesAs(JsonString::getString));
        assertTrue(details.getString("reason").contains("get a new token"), stale.body());

        String fresh = json(call("POST", "/v1/auth/token", null, "{\"apiKey\":\"" + key + "\"}"))
                .getString("accessToken");
        assertEquals(202, call("POST", "/v1/events", fresh, event).statusCode(), "a new token carries the role");
    }

    @Test
    void theCatalogIsReadByOperatorsAndAdminsAndByNoOneElse() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String subscriber =
                Stack.token(service("it-catsub-" + suffix, "{\"roles\":[\"subscriber\"],\"subscribe\":[\"*\"]}"));
        String publisher =
                Stack.token(service("it-catpub-" + suffix, "{\"roles\":[\"publisher\"],\"publish\":[\"*\"]}"));
        String operator = Stack.token(service("it-catop-" + suffix, "{\"roles\":[\"operator\"]}"));
        String admin = Stack.token(Stack.adminKey());
        for (String path : List.of("/v1/catalog", "/v1/catalog/user.created")) {
            assertError(401, "UNAUTHORIZED", call("GET", path, null, null));
            assertError(403, "FORBIDDEN", call("GET", path, subscriber, null));
            assertError(403, "FORBIDDEN", call("GET", path, publisher, null));
            assertEquals(200, call("GET", path, operator, null).statusCode(), path + " as operator");
            assertEquals(200, call("GET", path, admin, null).statusCode(), path + " as admin");
        }
        assertError(404, "NOT_FOUND", call("GET", "/v1/catalog/it.never-" + suffix, operator, null));
        assertError(400, "VALIDATION_ERROR", call("GET", "/v1/catalog/order.*", operator, null));
    }

    /**
     * The OpenAPI document and its UI are open to everyone, as the README that shows the same calls is: they describe
     * the API and hold no data. Liberty serves them: a client that sends its token along (good or bad) still gets the
     * document; the UI is a page a browser loads without one. The AsyncAPI document is read by the roles that read
     * the catalog it comes from.
     */
    @Test
    void theOpenApiDocumentIsOpenToEveryoneAndTheAsyncApiDocumentToOperatorsAndAdmins() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        for (String path : List.of("/openapi", "/openapi/ui/")) {
            assertEquals(200, call("GET", path, null, null).statusCode(), path + " without a token");
        }
        assertEquals(200, call("GET", "/openapi", "not.a.jwt", null).statusCode(), "the document with a bad token");
        String subscriber =
                Stack.token(service("it-aasub-" + suffix, "{\"roles\":[\"subscriber\"],\"subscribe\":[\"*\"]}"));
        String publisher =
                Stack.token(service("it-aapub-" + suffix, "{\"roles\":[\"publisher\"],\"publish\":[\"*\"]}"));
        String operator = Stack.token(service("it-aaop-" + suffix, "{\"roles\":[\"operator\"]}"));
        String admin = Stack.token(Stack.adminKey());
        assertError(401, "UNAUTHORIZED", call("GET", "/v1/asyncapi", null, null));
        assertError(401, "UNAUTHORIZED", call("GET", "/v1/asyncapi", "not.a.jwt", null));
        assertError(403, "FORBIDDEN", call("GET", "/v1/asyncapi", subscriber, null));
        assertError(403, "FORBIDDEN", call("GET", "/v1/asyncapi", publisher, null));
        assertEquals(200, call("GET", "/v1/asyncapi", operator, null).statusCode(), "as operator");
        assertEquals(200, call("GET", "/v1/asyncapi", admin, null).statusCode(), "as admin");
    }
}
