package com.idynic.eventbus.it;

import static com.idynic.eventbus.it.Stack.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The small promises of the HTTP surface that a user meets first: one timestamp format, idempotent schema
 * registration, {@code Allow} on 405, no cookie from the API or the health checks, no CORS or session on
 * {@code /metrics} after its first scrape, refusal counters from the start,
 * and no FFDC incident for a client's harmless mistake.
 */
class HttpEdgesIT {
    static final Pattern MILLIS = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");

    @BeforeAll
    static void ready() {
        Stack.awaitReady();
    }

    @Test
    void aReceiptTimestampAlwaysHasExactlyThreeFractionDigits() {
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> r = Stack.postJson("/v1/events", Stack.userCreated(Stack.newId("evt-edges")));
            assertEquals(202, r.statusCode(), r.body());
            String t = json(r).getString("timestamp");
            assertTrue(MILLIS.matcher(t).matches(), t);
        }
    }

    @Test
    void aKeysExpiryReadsTheSameWhenCreatedAndWhenListed() {
        String service = WebhookIT.unique("edges-svc-");
        HttpResponse<String> put = Stack.send(HttpRequest.newBuilder(
                        URI.create(Stack.baseUrl() + "/v1/services/" + service))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"roles\":[\"subscriber\"],\"subscribe\":[\"user.*\"]}")));
        assertEquals(201, put.statusCode(), put.body());
        HttpResponse<String> key =
                Stack.postJson("/v1/services/" + service + "/keys", "{\"expiresInSeconds\": 7776000}");
        assertEquals(201, key.statusCode(), key.body());
        String created = json(key).getString("expiresAt");
        assertTrue(MILLIS.matcher(created).matches(), created);

        JsonObject listed = json(Stack.get("/v1/services/" + service + "/keys"))
                .getJsonArray("keys")
                .getJsonObject(0);
        assertEquals(json(key).getString("keyId"), listed.getString("keyId"));
        assertEquals(created, listed.getString("expiresAt"));
        assertTrue(MILLIS.matcher(listed.getString("createdAt")).matches(), listed.toString());
    }

    @Test
    void registeringTheSameSchemaAgainAnswers200WithTheExistingVersion() {
        String type = WebhookIT.unique("it.edges.schema");
        String schema = "{\"schema\":{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"integer\"}}}}";
        String reordered = "{\"schema\":{\"properties\":{\"n\":{\"type\":\"integer\"}},\"type\":\"object\"}}";

        HttpResponse<String> first = Stack.postJson("/v1/schemas/" + type + "/versions", schema);
        assertEquals(201, first.statusCode(), first.body());
        assertEquals(1, json(first).getInt("version"));
        assertFalse(json(first).getBoolean("existing"));

        HttpResponse<String> again = Stack.postJson("/v1/schemas/" + type + "/versions", reordered);
        assertEquals(200, again.statusCode(), again.body());
        assertEquals(1, json(again).getInt("version"));
        assertTrue(json(again).getBoolean("existing"));
        assertEquals(
                1,
                json(Stack.get("/v1/schemas/" + type + "/versions"))
                        .getJsonArray("versions")
                        .size());
    }

    @Test
    void aMethodTheResourceDoesNotTakeIsA405NamingTheMethodsItTakes() {
        HttpResponse<String> r = Stack.send(HttpRequest.newBuilder(URI.create(Stack.baseUrl() + "/v1/events"))
                .DELETE());
        assertEquals(405, r.statusCode(), r.body());
        assertEquals("METHOD_NOT_ALLOWED", json(r).getString("errorCode"));
        Set<String> allow = Arrays.stream(
                        r.headers().firstValue("Allow").orElse("").split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .collect(Collectors.toCollection(TreeSet::new));
        assertTrue(allow.containsAll(Set.of("GET", "POST")), allow.toString());
        assertFalse(allow.contains("DELETE"), allow.toString());
    }

    @Test
    void theApiAndTheHealthChecksNeverSetACookie() {
        record Answer(String what, int status, HttpResponse<String> response) {}
        List<Answer> answers = new ArrayList<>(List.of(
                new Answer("POST /v1/auth/token", 200, token(Stack.adminKey())),
                new Answer("POST /v1/auth/token, a wrong key", 401, token("ebk_nope.nope")),
                new Answer("GET /v1/subscriptions", 200, Stack.get("/v1/subscriptions")),
                new Answer("GET /v1/subscriptions, anonymous", 401, anonymous("GET", "/v1/subscriptions")),
                new Answer("GET /v1/events/{unknown}", 404, Stack.get("/v1/events/" + Stack.newId("edges-none"))),
                new Answer(
                        "POST /v1/events",
                        202,
                        Stack.postJson("/v1/events", Stack.userCreated(Stack.newId("evt-edges")))),
                new Answer("OPTIONS /v1/events", 200, anonymous("OPTIONS", "/v1/events")),
                new Answer("GET /v1/nothing", 404, anonymous("GET", "/v1/nothing"))));
        for (String health : List.of("/health", "/health/live", "/health/ready", "/health/started")) {
            answers.add(new Answer("GET " + health, 200, anonymous("GET", health)));
        }
        for (Answer a : answers) {
            assertEquals(
                    a.status(),
                    a.response().statusCode(),
                    a.what() + ": " + a.response().body());
            assertEquals(List.of(), a.response().headers().allValues("Set-Cookie"), a.what());
        }
    }

    static HttpResponse<String> token(String key) {
        return Stack.raw(HttpRequest.newBuilder(URI.create(Stack.baseUrl() + "/v1/auth/token"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"apiKey\":\"" + key + "\"}"))
                .build());
    }

    static HttpResponse<String> anonymous(String method, String path) {
        return Stack.raw(HttpRequest.newBuilder(URI.create(Stack.baseUrl() + path))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build());
    }

    @Test
    void metricsCarryNoCorsHeadersNoSessionAndEveryRefusalReasonFromTheStart() {
        // Liberty's metrics application opens one HTTP session on the first scrape after the server starts (that
        // answer carries Set-Cookie: JSESSIONID=...; Path=/; Secure; HttpOnly); later scrapes carry none. Set-Cookie
        // is no longer taken off every answer, since the console's sign-in is a session
        Stack.raw(HttpRequest.newBuilder(URI.create(Stack.baseUrl() + "/metrics"))
                .GET()
                .build());
        HttpResponse<String> r = Stack.raw(HttpRequest.newBuilder(URI.create(Stack.baseUrl() + "/metrics"))
                .header("Origin", "https://evil.example")
                .GET()
                .build());
        assertEquals(200, r.statusCode());
        List<String> cors = r.headers().map().keySet().stream()
                .filter(h -> h.toLowerCase().startsWith("access-control-"))
                .toList();
        assertEquals(List.of(), cors);
        assertEquals(List.of(), r.headers().allValues("Set-Cookie"));
        for (String reason : List.of("rate_limited", "overloaded")) {
            assertTrue(
                    Pattern.compile("(?m)^eventbus_publish_refused_total\\{[^}]*reason=\"" + reason + "\"")
                            .matcher(r.body())
                            .find(),
                    reason + " missing from /metrics");
        }
    }

    @Test
    void discardingWithoutASelectionNamesBothAcceptedForms() {
        String sub = WebhookIT.unique("edges-dl-");
        Subscriptions.create(sub, "{\"eventTypes\":[\"it.edges.t\"],\"target\":{\"type\":\"pull\"}}");
        HttpResponse<String> r =
                Stack.postJson("/v1/subscriptions/" + sub + "/dead-letters/discard", "{\"reason\":\"cleanup\"}");
        assertEquals(400, r.statusCode(), r.body());
        JsonObject d = json(r).getJsonObject("details");
        assertEquals("eventIds", d.getString("field"));
        assertEquals(
                "is required: give either \"eventIds\": [\"<event id>\", ...] (up to 500) or \"all\": true",
                d.getString("error"));
    }

    /** Posts the sign-in form with this view state and no script nonce. */
    static HttpResponse<String> consolePost(HttpClient client, String viewState) {
        return Stack.raw(
                client,
                HttpRequest.newBuilder(URI.create(Stack.baseUrl() + "/admin/sign-in.xhtml"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "signIn=signIn&signIn%3AapiKey=x&signIn%3Asubmit=&" + viewState))
                        .build());
    }

    @Test
    void harmlessClientMistakesWriteNoFfdcIncident() {
        Set<String> before = ServerLogs.ffdcFiles();
        HttpResponse<String> missing = Stack.raw(HttpRequest.newBuilder(URI.create(Stack.baseUrl() + "/admin/nothing"))
                .GET()
                .build());
        assertEquals(404, missing.statusCode());
        // console forms posted without a session (it ended, or the form never came from the console): to sign-in
        for (String state : List.of("stateless", "x", "")) {
            HttpResponse<String> ended = consolePost(Stack.HTTP, "jakarta.faces.ViewState=" + state);
            assertEquals(303, ended.statusCode(), state + ": " + ended.body());
            assertEquals(
                    "/admin/sign-in.xhtml",
                    ended.headers().firstValue("Location").orElse(""));
        }
        // within a session, but without the script nonce of the page it came from (forged): 400
        HttpClient browser = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .cookieHandler(new CookieManager())
                .build();
        HttpResponse<String> page = Stack.raw(
                browser,
                HttpRequest.newBuilder(URI.create(Stack.baseUrl() + "/admin/sign-in.xhtml"))
                        .GET()
                        .build());
        java.util.regex.Matcher state = Pattern.compile("name=\"jakarta\\.faces\\.ViewState\"[^>]*value=\"([^\"]+)\"")
                .matcher(page.body());
        assertTrue(
                state.find(),
                page.body().length() + " chars, ending "
                        + page.body().substring(Math.max(0, page.body().length() - 600)));
        HttpResponse<String> forged = consolePost(
                browser, "jakarta.faces.ViewState=" + URLEncoder.encode(state.group(1), StandardCharsets.UTF_8));
        assertEquals(400, forged.statusCode(), forged.body());
        assertFalse(forged.body().contains("Exception"), forged.body());
        String order =
                "{\"orderId\":\"" + Stack.newId("ord-edges") + "\",\"customerId\":\"cust-1\",\"totalAmount\":5998}";
        HttpResponse<String> rejected = Stack.postJson("/profile-service/api/orders?reject=true", order);
        assertEquals(409, rejected.statusCode(), rejected.body());
        assertFalse(json(rejected).getBoolean("committed"));
        String eventId = json(rejected).getString("eventId");
        assertEquals(0, Stack.count("select count(*) from eb_event_id where id = ?", eventId));
        // a request after them, so anything they logged is on disk
        assertEquals(200, Stack.get("/health/live").statusCode());

        Set<String> after = new TreeSet<>(ServerLogs.ffdcFiles());
        after.removeAll(before);
        assertEquals(Set.of(), after, "new FFDC incidents");
    }
}
