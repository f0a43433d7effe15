package com.idynic.eventbus.it;

import static com.idynic.eventbus.it.Stack.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Fields a schema marks {@code "x-sensitive": true}: masked for an operator in REST reads and the console, clear for
 * the role {@code sensitive} and for the event's publisher, and delivered clear to a webhook.
 */
class SensitiveDataIT {
    @RegisterExtension
    static final WebhookReceiver receiver = new WebhookReceiver();

    static final String CARD = "4111111111111111";
    static final String EMAIL = "ada@example.org";

    static String type;
    static String sub;
    static String eventId;
    static String operatorKey;
    static String clearedKey;
    static String publisherKey;

    @BeforeAll
    static void published() {
        Stack.awaitReady();
        type = WebhookIT.unique("it.sensitive.t");
        HttpResponse<String> schema = Stack.postJson(
                "/v1/schemas/" + type + "/versions",
                "{\"schema\":{\"type\":\"object\",\"properties\":{"
                        + "\"card\":{\"type\":\"object\",\"properties\":{"
                        + "\"number\":{\"type\":\"string\",\"x-sensitive\":true},\"brand\":{\"type\":\"string\"}}},"
                        + "\"contacts\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{"
                        + "\"email\":{\"type\":\"string\",\"x-sensitive\":true}}}}}}}");
        assertEquals(201, schema.statusCode(), schema.body());
        operatorKey = AuthIT.service(WebhookIT.unique("sens-op-"), "{\"roles\":[\"operator\"]}");
        clearedKey = AuthIT.service(WebhookIT.unique("sens-clear-"), "{\"roles\":[\"operator\",\"sensitive\"]}");
        publisherKey = AuthIT.service(
                WebhookIT.unique("sens-pub-"),
                "{\"roles\":[\"publisher\"],\"publish\":[\"" + type + "\"],\"sources\":[\"user-service\"]}");
        sub = WebhookIT.unique("sens-");
        Subscriptions.webhook(sub, type, receiver.url("/" + sub), "unordered", 3);
        eventId = Subscriptions.publish(
                type,
                null,
                "{\"card\":{\"number\":\"" + CARD + "\",\"brand\":\"visa\"},\"contacts\":[{\"email\":\"" + EMAIL
                        + "\"},{\"email\":\"bob@example.org\"}],\"amount\":12}");
    }

    static JsonObject event(String key) {
        HttpResponse<String> r = AuthIT.call("GET", "/v1/events/" + eventId, Stack.token(key), null);
        assertEquals(200, r.statusCode(), r.body());
        return Stack.json(r).getJsonObject("event").getJsonObject("data");
    }

    static JsonObject searchHit(String key) {
        HttpResponse<String> r = AuthIT.call("GET", "/v1/events?type=" + type, Stack.token(key), null);
        assertEquals(200, r.statusCode(), r.body());
        return Stack.json(r)
                .getJsonArray("events")
                .getJsonObject(0)
                .getJsonObject("event")
                .getJsonObject("data");
    }

    static final String MASKED = "{\"card\":{\"number\":\"***\",\"brand\":\"visa\"},"
            + "\"contacts\":[{\"email\":\"***\"},{\"email\":\"***\"}],\"amount\":12}";
    static final String CLEAR = "{\"card\":{\"number\":\"" + CARD + "\",\"brand\":\"visa\"},"
            + "\"contacts\":[{\"email\":\"" + EMAIL + "\"},{\"email\":\"bob@example.org\"}],\"amount\":12}";

    @Test
    void anOperatorReadsTheSensitiveFieldsMaskedInALookUpAndASearch() {
        assertEquals(Stack.parse(MASKED), event(operatorKey));
        assertEquals(Stack.parse(MASKED), searchHit(operatorKey));
    }

    @Test
    void theRoleSensitiveAndThePublisherReadThemInClear() {
        assertEquals(Stack.parse(CLEAR), event(clearedKey));
        assertEquals(Stack.parse(CLEAR), searchHit(clearedKey));
        assertEquals(Stack.parse(CLEAR), event(publisherKey), "the publisher reads its own data");
    }

    @Test
    void theWebhookReceivesTheEventInClear() {
        await(Duration.ofSeconds(30), "webhook called", () -> !receiver.calls("/" + sub, eventId)
                .isEmpty());
        JsonObject body = Stack.parse(receiver.calls("/" + sub, eventId).get(0).body());
        assertEquals(Stack.parse(CLEAR), body.getJsonObject("data"));
    }

    @Test
    void theConsoleShowsAnOperatorTheSensitiveFieldsMasked() {
        try (Browser b = Browser.open()) {
            b.signIn(operatorKey);
            b.awaitText("Signed in as");
            b.go("/admin/events.xhtml?id=" + eventId);
            b.awaitText("Timeline of " + eventId);
            String payload = b.find("#payload").getText();
            assertTrue(payload.contains("\"number\": \"***\""), payload);
            assertTrue(payload.contains("\"brand\": \"visa\""), payload);
            assertFalse(payload.contains(CARD), payload);
            assertFalse(payload.contains(EMAIL), payload);
            b.screenshot("event-sensitive-masked");
        }
    }
}
