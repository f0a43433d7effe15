package com.idynic.eventbus.it;

import static com.idynic.eventbus.it.Stack.count;
import static com.idynic.eventbus.it.Stack.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
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
        err.getJsonObject("details");
        return err;
    }
}
