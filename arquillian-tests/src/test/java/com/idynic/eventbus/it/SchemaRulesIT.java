package com.idynic.eventbus.it;

import static com.idynic.eventbus.it.Stack.json;
import static com.idynic.eventbus.it.Stack.newId;
import static com.idynic.eventbus.it.Stack.postJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Schema rules beyond the basics: deprecation, each compatibility mode, and the JSON Schema keywords events
 * lean on, each refusal naming the field. {@code EVENTBUS_SCHEMAS_UNREGISTERED=reject} is server-wide (no
 * per-type or per-call switch) and would refuse the schema-less types every other IT publishes, so it is
 * covered by {@code SchemaRegistryTest} instead.
 */
class SchemaRulesIT {
    static final String NAME_REQUIRED = "{\"type\":\"object\",\"properties\":{\"userId\":{\"type\":\"string\"},"
            + "\"name\":{\"type\":\"string\"}},\"required\":[\"userId\",\"name\"]}";
    static final String NAME_OPTIONAL = NAME_REQUIRED.replace("[\"userId\",\"name\"]", "[\"userId\"]");
    static final String EMAIL_REQUIRED = NAME_REQUIRED
            .replace(
                    "\"name\":{\"type\":\"string\"}}",
                    "\"name\":{\"type\":\"string\"},\"email\":{\"type\":\"string\"}}")
            .replace("[\"userId\",\"name\"]", "[\"userId\",\"name\",\"email\"]");
    static final String NICKNAME_OPTIONAL = NAME_REQUIRED.replace(
            "\"name\":{\"type\":\"string\"}}", "\"name\":{\"type\":\"string\"},\"nickname\":{\"type\":\"string\"}}");

    @BeforeAll
    static void ready() {
        Stack.awaitReady();
    }

    static HttpResponse<String> register(String type, String schema) {
        return postJson("/v1/schemas/" + type + "/versions", "{\"schema\":" + schema + "}");
    }

    static void setMode(String type, String mode) {
        HttpResponse<String> r =
                Stack.send(HttpRequest.newBuilder(URI.create(Stack.baseUrl() + "/v1/schemas/" + type + "/config"))
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString("{\"compatibility\":\"" + mode + "\"}")));
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(mode, json(r).getString("compatibility"));
    }

    static HttpResponse<String> publish(String type, String data) {
        return postJson("/v1/events", Stack.event(newId("evt"), type, data, "{}"));
    }

    @Test
    void aDeprecatedLatestVersionIsSkippedAndEventsAreValidatedAgainstTheLatestOneNotDeprecated() {
        String type = WebhookIT.unique("it.deprecate.t");
        setMode(type, "NONE");
        assertEquals(201, register(type, NAME_OPTIONAL).statusCode());
        assertEquals(201, register(type, NAME_REQUIRED).statusCode());
        HttpResponse<String> underV2 = publish(type, "{\"userId\":\"u\"}");
        assertEquals(400, underV2.statusCode(), "version 2 requires a name: " + underV2.body());
        assertEquals("data.name", json(underV2).getJsonObject("details").getString("field"));

        HttpResponse<String> deprecated = postJson("/v1/schemas/" + type + "/versions/2/deprecate", "");
        assertEquals(200, deprecated.statusCode(), deprecated.body());
        assertTrue(json(deprecated).getBoolean("deprecated"), deprecated.body());
        assertEquals(
                1, json(Stack.get("/v1/schemas/" + type + "/versions/latest")).getInt("version"));
        HttpResponse<String> underV1 = publish(type, "{\"userId\":\"u\"}");
        assertEquals(202, underV1.statusCode(), "validated against version 1: " + underV1.body());
        HttpResponse<String> stillChecked = publish(type, "{\"name\":\"n\"}");
        assertEquals(400, stillChecked.statusCode(), stillChecked.body());
        JsonObject details = json(stillChecked).getJsonObject("details");
        assertEquals("data.userId", details.getString("field"));
        assertEquals(1, details.getInt("schemaVersion"));
        assertEquals(
                404,
                postJson("/v1/schemas/" + type + "/versions/3/deprecate", "").statusCode());
    }

    static Stream<Arguments> changesByMode() {
        String nameRequired = "field data.name became required";
        String emailRequired = "field data.email became required";
        return Stream.of(
                Arguments.of("BACKWARD", "drops a requirement", NAME_OPTIONAL, null),
                Arguments.of("BACKWARD", "adds a required field", EMAIL_REQUIRED, emailRequired),
                Arguments.of("BACKWARD", "adds an optional field", NICKNAME_OPTIONAL, null),
                Arguments.of("FORWARD", "drops a requirement", NAME_OPTIONAL, nameRequired),
                Arguments.of("FORWARD", "adds a required field", EMAIL_REQUIRED, null),
                Arguments.of("FORWARD", "adds an optional field", NICKNAME_OPTIONAL, null),
                Arguments.of("FULL", "drops a requirement", NAME_OPTIONAL, nameRequired),
                Arguments.of("FULL", "adds a required field", EMAIL_REQUIRED, emailRequired),
                Arguments.of("FULL", "adds an optional field", NICKNAME_OPTIONAL, null),
                Arguments.of("NONE", "drops a requirement", NAME_OPTIONAL, null),
                Arguments.of("NONE", "adds a required field", EMAIL_REQUIRED, null));
    }

    @ParameterizedTest(name = "{0}: a version that {1}")
    @MethodSource("changesByMode")
    void eachCompatibilityModeAcceptsOrRefusesAChangeNamingWhatBreaks(
            String mode, String change, String next, String refusal) {
        String type = WebhookIT.unique("it.compat.t");
        setMode(type, mode);
        assertEquals(201, register(type, NAME_REQUIRED).statusCode());
        HttpResponse<String> r = register(type, next);
        if (refusal == null) {
            assertEquals(201, r.statusCode(), r.body());
            assertEquals(2, json(r).getInt("version"));
            assertEquals(mode, json(r).getString("compatibility"));
            return;
        }
        assertEquals(409, r.statusCode(), r.body());
        JsonObject details =
                BadInputIT.assertErrorJson(r, "INCOMPATIBLE_SCHEMA").getJsonObject("details");
        assertEquals(mode, details.getString("compatibility"), r.body());
        assertEquals(refusal, details.getString("error"), r.body());
        assertEquals(
                1,
                json(Stack.get("/v1/schemas/" + type + "/versions"))
                        .getJsonArray("versions")
                        .size());
    }

    static final String KEYWORDS = "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"plan\"],"
            + "\"properties\":{\"plan\":{\"type\":\"string\",\"enum\":[\"free\",\"pro\"]},"
            + "\"address\":{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"zip\"],"
            + "\"properties\":{\"zip\":{\"type\":\"string\",\"pattern\":\"^[0-9]{5}$\"}}},"
            + "\"tags\":{\"type\":\"array\",\"items\":{\"type\":\"string\",\"maxLength\":5}}}}";
    static final String NOT_ALLOWED = "is not allowed: the schema does not allow additional properties";

    /** @return name, data, the field named, and the error where the bus words it (null: the validator's, localized) */
    static Stream<Arguments> violations() {
        return Stream.of(
                Arguments.of("a value outside the enum", "{\"plan\":\"gold\"}", "data.plan", null),
                Arguments.of("an unexpected property", "{\"plan\":\"free\",\"extra\":1}", "data.extra", NOT_ALLOWED),
                Arguments.of(
                        "an unexpected property in a nested object",
                        "{\"plan\":\"free\",\"address\":{\"zip\":\"12345\",\"street\":\"x\"}}",
                        "data.address.street",
                        NOT_ALLOWED),
                Arguments.of(
                        "a nested required field missing",
                        "{\"plan\":\"free\",\"address\":{}}",
                        "data.address.zip",
                        "is required"),
                Arguments.of(
                        "a nested field of the wrong shape",
                        "{\"plan\":\"free\",\"address\":{\"zip\":\"abc\"}}",
                        "data.address.zip",
                        null),
                Arguments.of(
                        "an array item of the wrong type",
                        "{\"plan\":\"free\",\"tags\":[\"ok\",7]}",
                        "data.tags[1]",
                        null),
                Arguments.of(
                        "an array item too long",
                        "{\"plan\":\"free\",\"tags\":[\"ok\",\"toolong\"]}",
                        "data.tags[1]",
                        null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("violations")
    void eachSchemaKeywordRefusesDataNamingTheFieldPath(String name, String data, String field, String error) {
        String type = WebhookIT.unique("it.keywords.t");
        assertEquals(201, register(type, KEYWORDS).statusCode());
        assertEquals(
                202,
                publish(type, "{\"plan\":\"pro\",\"address\":{\"zip\":\"12345\"},\"tags\":[\"a\",\"bb\"]}")
                        .statusCode(),
                "valid data passes");
        HttpResponse<String> r = publish(type, data);
        assertEquals(400, r.statusCode(), r.body());
        JsonObject details =
                BadInputIT.assertErrorJson(r, "SCHEMA_VALIDATION_ERROR").getJsonObject("details");
        assertEquals(field, details.getString("field"), r.body());
        if (error == null) {
            assertFalse(details.getString("error").isBlank(), r.body());
        } else {
            assertEquals(error, details.getString("error"), r.body());
        }
        assertEquals(1, details.getJsonArray("errors").size(), r.body());
    }
}
