package com.idynic.eventbus.it;

import static com.idynic.eventbus.it.Stack.count;
import static com.idynic.eventbus.it.Stack.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every client mistake gets its status and the seed's error JSON; nothing is stored. */
class BadInputIT {
    static final String ID = "evt-bad-input";

    @BeforeAll
    static void ready() {
        Stack.awaitReady();
    }

    static Stream<Arguments> badPublishes() {
        String ok = Stack.userCreated(ID);
        return Stream.of(
                Arguments.of("malformed JSON", "application/json", "{\"eventType\": ", 400, "MALFORMED_JSON", null),
                Arguments.of("not an object", "application/json", "[1,2,3]", 400, "MALFORMED_JSON", null),
                Arguments.of("empty body", "application/json", "", 400, "MALFORMED_JSON", null),
                Arguments.of(
                        "missing eventType",
                        "application/json",
                        ok.replace("\"eventType\":\"user.created\",", ""),
                        400,
                        "VALIDATION_ERROR",
                        "eventType"),
                Arguments.of(
                        "missing source",
                        "application/json",
                        ok.replace("\"source\":\"user-service\",", ""),
                        400,
                        "VALIDATION_ERROR",
                        "source"),
                Arguments.of(
                        "missing id",
                        "application/json",
                        ok.replace("\"id\":\"" + ID + "\",", ""),
                        400,
                        "VALIDATION_ERROR",
                        "id"),
                Arguments.of(
                        "missing data",
                        "application/json",
                        "{\"eventType\":\"user.created\",\"source\":\"s\",\"id\":\"" + ID + "\"}",
                        400,
                        "VALIDATION_ERROR",
                        "data"),
                Arguments.of(
                        "eventType not a string",
                        "application/json",
                        ok.replace("\"eventType\":\"user.created\"", "\"eventType\":42"),
                        400,
                        "VALIDATION_ERROR",
                        "eventType"),
                Arguments.of(
                        "data not an object",
                        "application/json",
                        "{\"eventType\":\"user.created\",\"source\":\"s\",\"id\":\"" + ID + "\",\"data\":\"x\"}",
                        400,
                        "VALIDATION_ERROR",
                        "data"),
                Arguments.of(
                        "bad timestamp",
                        "application/json",
                        ok.replace("2023-05-20T13:45:30Z", "last tuesday"),
                        400,
                        "VALIDATION_ERROR",
                        "timestamp"),
                Arguments.of(
                        "correlationId not a string",
                        "application/json",
                        ok.replace("\"correlationId\":\"corr-" + ID + "\"", "\"correlationId\":7"),
                        400,
                        "VALIDATION_ERROR",
                        "metadata.correlationId"),
                Arguments.of(
                        "a number no double holds",
                        "application/json",
                        ok.replace("\"name\":\"John Doe\"", "\"name\":\"John Doe\",\"n\":1e999999999"),
                        400,
                        "VALIDATION_ERROR",
                        "data.n"),
                Arguments.of(
                        "a number no double holds in metadata",
                        "application/json",
                        ok.replace("\"correlationId\"", "\"retries\":-1e400,\"correlationId\""),
                        400,
                        "VALIDATION_ERROR",
                        "metadata.retries"),
                Arguments.of("wrong content type", "text/plain", ok, 415, "UNSUPPORTED_MEDIA_TYPE", null),
                Arguments.of("no content type", null, ok, 415, "UNSUPPORTED_MEDIA_TYPE", null),
                Arguments.of(
                        "body over 1 MiB",
                        "application/json",
                        ok.replace("John Doe", "x".repeat(1_100_000)),
                        413,
                        "PAYLOAD_TOO_LARGE",
                        null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badPublishes")
    void badPublishIsRefusedWithTheSeedsErrorJsonAndStoresNothing(
            String name, String contentType, String body, int status, String code, String field) {
        HttpResponse<String> r = Stack.post("/v1/events", contentType, body);
        assertEquals(status, r.statusCode(), r.body());
        JsonObject err = assertErrorJson(r, code);
        if (field != null) {
            assertEquals(field, err.getJsonObject("details").getString("field"), r.body());
        }
        assertEquals(0, count("select count(*) from eb_event where id = ?", ID));
    }

    @Test
    void unknownRoutesAnswer404InTheErrorFormat() {
        assertErrorJson(expect(404, Stack.get("/v1/nothing-here")), "NOT_FOUND");
        assertErrorJson(expect(404, Stack.postJson("/v2/events", "{}")), "NOT_FOUND");
        assertErrorJson(expect(404, Stack.get("/v1/events/evt-that-was-never-published")), "NOT_FOUND");
    }

    @Test
    void aWrongMethodAnswers405InTheErrorFormat() {
        HttpResponse<String> r = Stack.send(HttpRequest.newBuilder(URI.create(Stack.baseUrl() + "/v1/events"))
                .DELETE());
        assertErrorJson(expect(405, r), "METHOD_NOT_ALLOWED");
    }

    @Test
    void aNumberNoDoubleHoldsIsRefusedInBodiesBesidesEvents() {
        HttpResponse<String> r = Stack.raw(HttpRequest.newBuilder(URI.create(Stack.baseUrl() + "/v1/auth/token"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"apiKey\":\"ebk_0000000000000000_" + "A".repeat(43) + "\",\"padding\":[1,1e999999999]}"))
                .build());
        JsonObject err = assertErrorJson(expect(400, r), "VALIDATION_ERROR");
        assertEquals("padding[1]", err.getJsonObject("details").getString("field"), r.body());
    }

    @Test
    void anUnknownQueryParameterIsRefusedNamingItOnEveryEndpointThatTakesQueryParameters() {
        String type = WebhookIT.unique("it.badinput.query");
        Map<String, HttpResponse<String>> refused = new LinkedHashMap<>();
        refused.put("tpye", Stack.get("/v1/events?tpye=order.placed"));
        refused.put("event_type", Stack.get("/v1/subscriptions/profile-service/dead-letters?event_type=order.placed"));
        refused.put(
                "dry-run", Stack.postJson("/v1/schemas/" + type + "/versions?dry-run=true", "{\"type\":\"object\"}"));
        refused.forEach((parameter, r) -> {
            JsonObject err = assertErrorJson(expect(400, r), "VALIDATION_ERROR");
            assertEquals(parameter, err.getJsonObject("details").getString("field"), r.body());
        });
        assertEquals(404, Stack.get("/v1/schemas/" + type + "/versions").statusCode(), "nothing registered");

        expect(200, Stack.get("/v1/events?type=" + type + "&limit=1&after=0"));
        expect(200, Stack.get("/v1/subscriptions/profile-service/dead-letters?eventType=order.placed&limit=1"));
    }

    static final String BODIES_TYPE = WebhookIT.unique("it.bodies.t");
    static final String BODIES_SUBSCRIPTION = WebhookIT.unique("bodies-");
    static final String BODIES_SERVICE = WebhookIT.unique("bodies-svc-");
    private static boolean bodyTargetsExist;

    /** The subscription and service the body checks address, so that no endpoint answers 404 instead. */
    static synchronized void bodyTargets() {
        if (!bodyTargetsExist) {
            Subscriptions.create(
                    BODIES_SUBSCRIPTION, "{\"eventTypes\":[\"" + BODIES_TYPE + "\"],\"target\":{\"type\":\"pull\"}}");
            AuthIT.service(BODIES_SERVICE, "{\"roles\":[\"subscriber\"]}");
            bodyTargetsExist = true;
        }
    }

    /**
     * Every {@code @POST}/{@code @PUT} in webapp-api's resources that reads a body, with its size limit. The
     * POSTs without a body (pause, resume, deprecate, retention run) read none and are not listed.
     */
    static Stream<Arguments> endpointsThatTakeABody() {
        String sub = "/v1/subscriptions/" + BODIES_SUBSCRIPTION;
        return Stream.of(
                Arguments.of("POST", "/v1/auth/token", 4 * 1024),
                Arguments.of("POST", "/v1/events", 1024 * 1024),
                Arguments.of("PUT", sub, 64 * 1024),
                Arguments.of("POST", sub + "/pull", 64 * 1024),
                Arguments.of("POST", sub + "/ack", 64 * 1024),
                Arguments.of("POST", sub + "/nack", 64 * 1024),
                Arguments.of("POST", sub + "/dead-letters/redrive", 64 * 1024),
                Arguments.of("POST", sub + "/dead-letters/discard", 64 * 1024),
                Arguments.of("POST", sub + "/replays", 64 * 1024),
                Arguments.of("PUT", "/v1/retention/" + BODIES_TYPE, 64 * 1024),
                Arguments.of("POST", "/v1/schemas/" + BODIES_TYPE + "/versions", 256 * 1024),
                Arguments.of("PUT", "/v1/schemas/" + BODIES_TYPE + "/config", 64 * 1024),
                Arguments.of("PUT", "/v1/services/" + BODIES_SERVICE, 16 * 1024),
                Arguments.of("POST", "/v1/services/" + BODIES_SERVICE + "/keys", 4 * 1024));
    }

    static HttpResponse<String> sendBody(String method, String path, String contentType, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(Stack.baseUrl() + path))
                .method(method, HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return Stack.send(b);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("endpointsThatTakeABody")
    void everyEndpointThatTakesABodyRefusesMalformedOversizedAndNonJsonBodiesInTheErrorFormat(
            String method, String path, int limit) {
        bodyTargets();
        assertErrorJson(expect(400, sendBody(method, path, "application/json", "{\"a\":")), "MALFORMED_JSON");
        assertErrorJson(expect(400, sendBody(method, path, "application/json", "[1]")), "MALFORMED_JSON");
        JsonObject wrongType =
                assertErrorJson(expect(415, sendBody(method, path, "text/plain", "{}")), "UNSUPPORTED_MEDIA_TYPE");
        assertEquals("text/plain", wrongType.getJsonObject("details").getString("contentType"));
        assertErrorJson(expect(415, sendBody(method, path, null, "{}")), "UNSUPPORTED_MEDIA_TYPE");

        // a body of exactly the limit is read to its end (and found malformed); one byte more is too large
        String atLimit = "{" + " ".repeat(limit - 1);
        assertErrorJson(expect(400, sendBody(method, path, "application/json", atLimit)), "MALFORMED_JSON");
        JsonObject tooLarge = assertErrorJson(
                expect(413, sendBody(method, path, "application/json", atLimit + " ")), "PAYLOAD_TOO_LARGE");
        assertEquals(limit, tooLarge.getJsonObject("details").getInt("limitBytes"), path);
    }

    static HttpResponse<String> expect(int status, HttpResponse<String> r) {
        assertEquals(status, r.statusCode(), r.body());
        return r;
    }

    static JsonObject assertErrorJson(HttpResponse<String> r, String code) {
        assertTrue(
                r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
                r.headers().toString());
        JsonObject err = json(r);
        assertEquals("error", err.getString("status"));
        assertEquals(code, err.getString("errorCode"), r.body());
        assertFalse(err.getString("message").isBlank());
        assertFalse(r.body().contains("Exception"), "no stack trace or exception names: " + r.body());
        assertEquals(
                JsonValue.ValueType.OBJECT,
                err.containsKey("details") ? err.get("details").getValueType() : null,
                "details is an object: " + r.body());
        return err;
    }
}
