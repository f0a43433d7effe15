package com.idynic.eventbus.it;

import static com.idynic.eventbus.it.Stack.await;
import static com.idynic.eventbus.it.Stack.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Permissions apply at dispatch and at delivery, not only when subscribing: narrowing a service's
 * {@code subscribe} patterns or removing its {@code subscriber} role stops its existing pull and webhook
 * subscriptions (the CDI bridge consumes through the same pull path); a subscription left with nothing
 * it may read is paused with a reason, and restoring the permission resumes it.
 */
class WithdrawnPermissionsIT {
    @RegisterExtension
    static final WebhookReceiver receiver = new WebhookReceiver();

    static String suffix() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    static void permissions(String service, String roles, String subscribe) {
        PathSpellingIT.put("/v1/services/" + service, "{\"roles\":" + roles + ",\"subscribe\":" + subscribe + "}");
    }

    static List<String> pull(String sub, String token) {
        HttpResponse<String> r = AuthIT.call(
                "POST", "/v1/subscriptions/" + sub + "/pull", token, "{\"maxEvents\":50,\"waitMillis\":1000}");
        assertEquals(200, r.statusCode(), r.body());
        List<String> ids = new ArrayList<>();
        for (JsonValue v : json(r).getJsonArray("events")) {
            ids.add(v.asJsonObject().getJsonObject("event").getString("id"));
        }
        if (!ids.isEmpty()) {
            StringBuilder body = new StringBuilder("{\"eventIds\":[");
            for (int i = 0; i < ids.size(); i++) {
                body.append(i == 0 ? "" : ",").append('"').append(ids.get(i)).append('"');
            }
            HttpResponse<String> ack = AuthIT.call(
                    "POST",
                    "/v1/subscriptions/" + sub + "/ack",
                    token,
                    body.append("]}").toString());
            assertEquals(200, ack.statusCode(), ack.body());
        }
        return ids;
    }

    static JsonObject subscription(String id) {
        return json(Stack.get("/v1/subscriptions/" + id));
    }

    @Test
    void pullStopsHandingOutTypesTheOwnerMayNoLongerReadAndPausesWhenNothingIsLeft() {
        String s = suffix();
        String type = "wp" + s;
        String reader = "reader-" + s;
        String token =
                Stack.token(AuthIT.service(reader, "{\"roles\":[\"subscriber\"],\"subscribe\":[\"" + type + ".*\"]}"));
        String sub = "wp-pull-" + s;
        HttpResponse<String> created = AuthIT.call(
                "PUT",
                "/v1/subscriptions/" + sub,
                token,
                "{\"eventTypes\":[\"" + type + ".a\",\"" + type + ".b\"],\"target\":{\"type\":\"pull\"},"
                        + "\"ordering\":\"unordered\"}");
        assertEquals(201, created.statusCode(), created.body());

        String queuedBefore = Subscriptions.publish(type + ".a", null, "{\"n\":0}");
        await(Duration.ofSeconds(30), "a queued for the subscription", () -> Subscriptions.state(queuedBefore, sub)
                .equals("PENDING"));

        permissions(reader, "[\"subscriber\"]", "[\"" + type + ".b\"]");
        String after = Subscriptions.publish(type + ".a", "k", "{\"n\":1}");
        String allowed = Subscriptions.publish(type + ".b", "k", "{\"n\":2}");
        List<String> got = new ArrayList<>();
        await(Duration.ofSeconds(30), "the permitted event pulled", () -> {
            got.addAll(pull(sub, token));
            return got.contains(allowed);
        });
        assertEquals(List.of(allowed), got, "only the type still permitted is handed out");
        assertEquals("DISCARDED", Subscriptions.state(queuedBefore, sub), "queued before: withheld at delivery");
        assertEquals("NONE", Subscriptions.state(after, sub), "published after: never queued");

        permissions(reader, "[\"publisher\"]", "[\"" + type + ".b\"]");
        JsonObject paused = subscription(sub);
        assertEquals("paused", paused.getString("state"));
        assertEquals(
                "permissions withdrawn: service '" + reader + "' may no longer read any of [" + type + ".a, " + type
                        + ".b]",
                paused.getString("disabledReason"));
        String admin = Stack.token(Stack.adminKey());
        assertEquals(List.of(), pull(sub, admin), "even the admin pulls nothing its owner may not read");

        permissions(reader, "[\"subscriber\"]", "[\"" + type + ".b\"]");
        JsonObject resumed = subscription(sub);
        assertEquals("active", resumed.getString("state"));
        assertFalse(resumed.containsKey("disabledReason"), resumed.toString());
        String again = Subscriptions.publish(type + ".b", "k", "{\"n\":4}");
        List<String> later = new ArrayList<>();
        await(Duration.ofSeconds(30), "delivery flows again", () -> {
            later.addAll(pull(sub, token));
            return later.contains(again);
        });
    }

    @Test
    void webhooksStopReceivingTypesTheOwnerMayNoLongerRead() {
        String s = suffix();
        String type = "wh" + s;
        String reader = "hooked-" + s;
        String token =
                Stack.token(AuthIT.service(reader, "{\"roles\":[\"subscriber\"],\"subscribe\":[\"" + type + ".*\"]}"));
        String sub = "wp-hook-" + s;
        HttpResponse<String> created = AuthIT.call(
                "PUT",
                "/v1/subscriptions/" + sub,
                token,
                "{\"eventTypes\":[\"" + type + ".a\",\"" + type + ".b\"],\"target\":{\"type\":\"webhook\",\"url\":\""
                        + receiver.url("/" + sub) + "\"},\"ordering\":\"ordered\"}");
        assertEquals(201, created.statusCode(), created.body());
        String a1 = Subscriptions.publish(type + ".a", "k", "{\"n\":1}");
        String b1 = Subscriptions.publish(type + ".b", "k", "{\"n\":2}");
        await(
                Duration.ofSeconds(30),
                "both delivered while permitted",
                () -> receiver.calls("/" + sub, b1).size() == 1);
        assertEquals(1, receiver.calls("/" + sub, a1).size());

        permissions(reader, "[\"subscriber\"]", "[\"" + type + ".b\"]");
        String a2 = Subscriptions.publish(type + ".a", "k", "{\"n\":3}");
        String b2 = Subscriptions.publish(type + ".b", "k", "{\"n\":4}");
        await(
                Duration.ofSeconds(30),
                "the permitted type still delivered",
                () -> receiver.calls("/" + sub, b2).size() == 1);
        assertEquals(0, receiver.calls("/" + sub, a2).size(), "the withdrawn type is not sent");
        assertEquals("NONE", Subscriptions.state(a2, sub));

        permissions(reader, "[]", "[\"" + type + ".b\"]");
        assertEquals("paused", subscription(sub).getString("state"));
        permissions(reader, "[\"subscriber\"]", "[\"" + type + ".*\"]");
        assertEquals("active", subscription(sub).getString("state"));
        String a3 = Subscriptions.publish(type + ".a", "k", "{\"n\":5}");
        await(
                Duration.ofSeconds(30),
                "restored type delivered again",
                () -> receiver.calls("/" + sub, a3).size() == 1);
        assertTrue(receiver.calls("/" + sub, a2).isEmpty());
    }
}
