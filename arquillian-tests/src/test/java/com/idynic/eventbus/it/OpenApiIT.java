package com.idynic.eventbus.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The REST API's OpenAPI document at {@code /openapi}, open to everyone, describes every operation of the API with a
 * summary, a tag, examples and its refusals as the error JSON, and its UI at {@code /openapi/ui} renders it in a
 * browser.
 */
class OpenApiIT {
    /** Every operation of the API (OpenApiDocumentTest ties the document to the resource methods). */
    static final Set<String> OPERATIONS = Set.of(
            "POST /v1/auth/token",
            "POST /v1/events",
            "GET /v1/events",
            "POST /v1/events/batch",
            "GET /v1/events/export",
            "GET /v1/events/{id}",
            "GET /v1/events/{id}/deliveries",
            "GET /v1/schemas",
            "GET /v1/schemas/{eventType}/versions",
            "POST /v1/schemas/{eventType}/versions",
            "GET /v1/schemas/{eventType}/versions/{version}",
            "POST /v1/schemas/{eventType}/versions/{version}/deprecate",
            "PUT /v1/schemas/{eventType}/config",
            "GET /v1/subscriptions",
            "GET /v1/subscriptions/{id}",
            "PUT /v1/subscriptions/{id}",
            "DELETE /v1/subscriptions/{id}",
            "POST /v1/subscriptions/{id}/pause",
            "POST /v1/subscriptions/{id}/resume",
            "POST /v1/subscriptions/{id}/pull",
            "POST /v1/subscriptions/{id}/ack",
            "POST /v1/subscriptions/{id}/nack",
            "POST /v1/subscriptions/{id}/replays",
            "GET /v1/subscriptions/{id}/replays/{replayId}",
            "DELETE /v1/subscriptions/{id}/replays/{replayId}",
            "GET /v1/subscriptions/{id}/dead-letters",
            "GET /v1/subscriptions/{id}/dead-letters/export",
            "GET /v1/subscriptions/{id}/dead-letters/{eventId}",
            "POST /v1/subscriptions/{id}/dead-letters/redrive",
            "POST /v1/subscriptions/{id}/dead-letters/discard",
            "POST /v1/subscriptions/{id}/dead-letters/redrives",
            "GET /v1/subscriptions/{id}/dead-letters/redrives/{redriveId}",
            "DELETE /v1/subscriptions/{id}/dead-letters/redrives/{redriveId}",
            "GET /v1/catalog",
            "GET /v1/catalog/{eventType}",
            "GET /v1/asyncapi",
            "GET /v1/retention",
            "PUT /v1/retention/{eventType}",
            "DELETE /v1/retention/{eventType}",
            "POST /v1/retention/run",
            "GET /v1/retention/runs/{runId}",
            "GET /v1/services",
            "GET /v1/services/{name}",
            "PUT /v1/services/{name}",
            "GET /v1/services/{name}/keys",
            "POST /v1/services/{name}/keys",
            "DELETE /v1/services/{name}/keys/{keyId}",
            "GET /v1/alerts",
            "GET /v1/alerts/history",
            "GET /v1/alerts/rules",
            "POST /v1/alerts/rules",
            "GET /v1/alerts/rules/{id}",
            "PUT /v1/alerts/rules/{id}",
            "DELETE /v1/alerts/rules/{id}",
            "GET /v1/audit");

    @BeforeAll
    static void ready() {
        Stack.awaitReady();
    }

    static HttpResponse<String> anonymous(String path) {
        return Stack.raw(
                HttpRequest.newBuilder(URI.create(Stack.baseUrl() + path)).GET().build());
    }

    static JsonObject document() {
        HttpResponse<String> r = anonymous("/openapi?format=JSON");
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(
                r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
                r.headers().map().toString());
        return Stack.parse(r.body());
    }

    /** @return the object a local $ref names, or the object itself */
    static JsonObject resolve(JsonObject doc, JsonObject o) {
        if (!o.containsKey("$ref")) {
            return o;
        }
        JsonValue at = doc;
        for (String part : o.getString("$ref").substring(2).split("/")) {
            at = at.asJsonObject().get(part);
            if (at == null) {
                fail("unresolved " + o.getString("$ref"));
            }
        }
        return resolve(doc, at.asJsonObject());
    }

    @Test
    void theDocumentDescribesEveryOperationWithASummaryExamplesAndItsRefusalsAsTheErrorJson() {
        JsonObject doc = document();
        assertTrue(doc.getString("openapi").startsWith("3."), doc.getString("openapi"));
        assertEquals("idynic-event-bus", doc.getJsonObject("info").getString("title"));
        Set<String> served = new TreeSet<>();
        List<String> problems = new ArrayList<>();
        doc.getJsonObject("paths").forEach((path, item) -> item.asJsonObject().forEach((verb, op) -> {
            if (!Set.of("get", "put", "post", "delete", "patch").contains(verb)) {
                return;
            }
            String key = verb.toUpperCase(Locale.ROOT) + " " + path;
            served.add(key);
            problems.addAll(check(doc, key, op.asJsonObject()));
        }));
        assertEquals(new TreeSet<>(OPERATIONS), served, "the operations served");
        assertEquals(List.of(), problems);

        JsonObject bearer =
                doc.getJsonObject("components").getJsonObject("securitySchemes").getJsonObject("bearer");
        assertEquals("http", bearer.getString("type"));
        assertEquals("bearer", bearer.getString("scheme"));
        assertEquals("JWT", bearer.getString("bearerFormat"));
        assertEquals(
                Json.createArrayBuilder()
                        .add(Json.createObjectBuilder().add("bearer", JsonValue.EMPTY_JSON_ARRAY))
                        .build(),
                doc.getJsonArray("security"));
        assertEquals(
                JsonValue.EMPTY_JSON_ARRAY,
                doc.getJsonObject("paths")
                        .getJsonObject("/v1/auth/token")
                        .getJsonObject("post")
                        .getJsonArray("security"),
                "the token exchange needs no token");
    }

    /** The seed's own publish request, response and error are the examples of POST /v1/events. */
    @Test
    void publishingShowsTheSeedsRequestResponseAndError() {
        JsonObject doc = document();
        JsonObject publish =
                doc.getJsonObject("paths").getJsonObject("/v1/events").getJsonObject("post");
        assertEquals(
                Stack.parse(
                        "{\"eventType\":\"user.created\",\"source\":\"user-service\",\"id\":\"evt-123456\","
                                + "\"timestamp\":\"2023-05-20T13:45:30Z\",\"data\":{\"userId\":\"usr-789012\","
                                + "\"email\":\"user@example.com\",\"name\":\"John Doe\"},\"metadata\":{\"correlationId\":\"corr-123456\"}}"),
                publish.getJsonObject("requestBody")
                        .getJsonObject("content")
                        .getJsonObject("application/json")
                        .getJsonObject("example"));
        assertEquals(
                Stack.parse(
                        "{\"status\":\"accepted\",\"eventId\":\"evt-123456\",\"timestamp\":\"2023-05-20T13:45:31Z\","
                                + "\"receipt\":\"rcpt-345678\"}"),
                publish.getJsonObject("responses")
                        .getJsonObject("202")
                        .getJsonObject("content")
                        .getJsonObject("application/json")
                        .getJsonObject("example"));
        assertEquals(
                Stack.parse(
                        "{\"status\":\"error\",\"errorCode\":\"SCHEMA_VALIDATION_ERROR\",\"message\":\"Event data does not match"
                                + " schema for event type 'user.created'\",\"details\":{\"field\":\"data.email\",\"error\":\"must be a"
                                + " valid email address\"}}"),
                resolve(doc, publish.getJsonObject("responses").getJsonObject("400"))
                        .getJsonObject("content")
                        .getJsonObject("application/json")
                        .getJsonObject("example"));
    }

    static List<String> check(JsonObject doc, String key, JsonObject op) {
        List<String> p = new ArrayList<>();
        if (op.getString("summary", "").isBlank()) {
            p.add(key + ": no summary");
        }
        if (op.getJsonArray("tags") == null || op.getJsonArray("tags").isEmpty()) {
            p.add(key + ": no tag");
        }
        JsonObject responses = op.getJsonObject("responses");
        boolean success = false;
        boolean refusal = false;
        for (String status : responses.keySet()) {
            JsonObject r = resolve(doc, responses.getJsonObject(status));
            JsonObject content = r.getJsonObject("content");
            if (status.startsWith("2")) {
                success = true;
                if (content == null && !status.equals("204")) {
                    p.add(key + ": " + status + " without content");
                }
                if (content != null) {
                    content.forEach((type, media) -> {
                        if (!media.asJsonObject().containsKey("example")) {
                            p.add(key + ": " + status + " " + type + " without an example");
                        }
                    });
                }
            } else {
                refusal = true;
                JsonObject json = content == null ? null : content.getJsonObject("application/json");
                if (json == null
                        || !"#/components/schemas/Error"
                                .equals(json.getJsonObject("schema").getString("$ref", null))
                        || !json.containsKey("example")) {
                    p.add(key + ": " + status + " is not the error JSON with an example");
                }
            }
        }
        if (!success || !refusal || !responses.containsKey("401")) {
            p.add(key + ": success and refusals (at least 401) not both documented");
        }
        JsonObject body = op.getJsonObject("requestBody");
        if (body != null) {
            body.getJsonObject("content").forEach((type, media) -> {
                if (!media.asJsonObject().containsKey("example")) {
                    p.add(key + ": request " + type + " without an example");
                }
            });
        }
        return p;
    }

    @Test
    void theUiRendersTheDocumentInABrowser() {
        HttpResponse<String> page = anonymous("/openapi/ui/");
        assertEquals(200, page.statusCode(), page.body());
        assertTrue(page.body().contains("swagger"), page.body());
        try (Browser b = Browser.open()) {
            b.go("/openapi/ui/");
            b.awaitText("Publish one event");
            String text = b.text();
            for (String tag : List.of("Events", "Schemas", "Subscriptions", "Dead letters", "Catalog", "Services")) {
                assertTrue(text.contains(tag), tag + " in " + text);
            }
            b.screenshot("openapi-ui");
        }
    }
}
