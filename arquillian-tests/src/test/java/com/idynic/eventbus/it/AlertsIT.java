package com.idynic.eventbus.it;

import static com.idynic.eventbus.it.Stack.await;
import static com.idynic.eventbus.it.Stack.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Alerts evaluated by the bus: a rule on a failing subscription fires, is recorded and notified (signed like a
 * delivery), and resolves when its condition is lowered or the subscriber is fixed; the default rules carry the
 * seed's thresholds; bad rules are refused naming the field. The test server evaluates every second.
 */
class AlertsIT {
    @RegisterExtension
    static final WebhookReceiver receiver = new WebhookReceiver();

    static final Duration WAIT = Duration.ofSeconds(60);

    static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    static HttpResponse<String> put(String path, String body) {
        return Stack.send(HttpRequest.newBuilder(URI.create(Stack.baseUrl() + path))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    static HttpResponse<String> delete(String path) {
        return Stack.send(
                HttpRequest.newBuilder(URI.create(Stack.baseUrl() + path)).DELETE());
    }

    static List<JsonObject> history(String ruleId) {
        return json(Stack.get("/v1/alerts/history?ruleId=" + ruleId)).getJsonArray("events").stream()
                .map(JsonValue::asJsonObject)
                .toList();
    }

    static List<String> kinds(String ruleId) {
        List<String> kinds = new java.util.ArrayList<>(
                history(ruleId).stream().map(e -> e.getString("kind")).toList());
        java.util.Collections.reverse(kinds);
        return kinds;
    }

    static boolean active(String ruleId) {
        return json(Stack.get("/v1/alerts")).getJsonArray("alerts").stream()
                .map(JsonValue::asJsonObject)
                .anyMatch(a -> a.getString("ruleId").equals(ruleId));
    }

    static boolean signed(String secret, WebhookReceiver.Call c) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring(6)), "HmacSHA256"));
            String expected = "v1,"
                    + Base64.getEncoder()
                            .encodeToString(mac.doFinal(
                                    (c.id() + "." + c.timestamp() + "." + c.body()).getBytes(StandardCharsets.UTF_8)));
            return List.of(c.signature().split(" ")).contains(expected);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aRuleOnAFailingSubscriptionFiresNotifiesSignedAndResolvesWhenLoweredAndWhenTheSubscriberIsFixed() {
        String sub = unique("al-sub-");
        String type = "it.al." + sub;
        AtomicBoolean fixed = new AtomicBoolean();
        receiver.on("/" + sub, c -> fixed.get() ? WebhookReceiver.Answer.ok() : WebhookReceiver.Answer.status(500));
        receiver.on("/alerts-" + sub, c -> new WebhookReceiver.Answer(204, null, 0));
        Subscriptions.webhook(sub, type, receiver.url("/" + sub), "unordered", 1);
        String rule = "{\"name\":\"DLQ of " + sub + "\",\"metric\":\"dead_letter_queue_size\",\"operator\":\">\","
                + "\"threshold\":%s,\"subscription\":\"" + sub + "\",\"notify\":{\"url\":\""
                + receiver.url("/alerts-" + sub) + "\"}}";

        HttpResponse<String> created = Stack.postJson("/v1/alerts/rules", rule.formatted("0"));

        assertEquals(201, created.statusCode(), created.body());
        JsonObject r = json(created);
        String id = r.getString("id");
        assertTrue(created.headers().firstValue("Location").orElse("").endsWith("/v1/alerts/rules/" + id));
        String secret = r.getJsonObject("notify").getString("secret");
        assertTrue(secret.startsWith("whsec_"), secret);
        assertEquals("ok", r.getString("state"));
        assertEquals("dead_letter_queue_size of subscription " + sub + " > 0", r.getString("condition"));
        JsonObject read = json(Stack.get("/v1/alerts/rules/" + id));
        assertTrue(!read.getJsonObject("notify").containsKey("secret"), "the secret is shown once: " + read);
        String stored = Stack.strings("select notify_secret from eb_alert_rule where id = ?", id)
                .get(0);
        assertTrue(stored.startsWith("enc:v1:") && !stored.contains(secret.substring(6)), "encrypted at rest");

        Subscriptions.publish(type, null, "{\"n\":1}");
        await(WAIT, "the rule fires", () -> active(id));
        await(
                WAIT,
                "the firing is notified",
                () -> receiver.calls("/alerts-" + sub).size() == 1);
        JsonObject fired = history(id).get(0);
        assertEquals("firing", fired.getString("kind"));
        assertEquals(1.0, fired.getJsonNumber("value").doubleValue());
        assertEquals("dead_letter_queue_size of subscription " + sub + " is 1 (> 0)", fired.getString("message"));

        assertEquals(200, put("/v1/alerts/rules/" + id, rule.formatted("5")).statusCode());
        await(WAIT, "lowered: resolved", () -> !active(id) && kinds(id).equals(List.of("firing", "resolved")));
        assertEquals(200, put("/v1/alerts/rules/" + id, rule.formatted("0")).statusCode());
        await(WAIT, "fires again", () -> active(id));

        fixed.set(true);
        HttpResponse<String> redrive =
                Stack.postJson("/v1/subscriptions/" + sub + "/dead-letters/redrive", "{\"all\":true}");
        assertEquals(200, redrive.statusCode(), redrive.body());
        await(WAIT, "fixed: resolved", () -> !active(id) && kinds(id).size() == 4);
        await(WAIT, "four notifications", () -> receiver.calls("/alerts-" + sub).size() == 4);

        assertEquals(List.of("firing", "resolved", "firing", "resolved"), kinds(id));
        List<WebhookReceiver.Call> calls = receiver.calls("/alerts-" + sub);
        List<String> types =
                calls.stream().map(c -> Stack.parse(c.body()).getString("type")).toList();
        assertEquals(List.of("alert.firing", "alert.resolved", "alert.firing", "alert.resolved"), types);
        for (WebhookReceiver.Call c : calls) {
            assertTrue(signed(secret, c), "signed with the rule's secret: " + c);
            assertTrue(c.id().startsWith("alert-"), c.id());
            assertEquals(id, Stack.parse(c.body()).getJsonObject("rule").getString("id"));
        }
        await(WAIT, "every notification recorded as sent", () -> history(id).stream()
                .allMatch(e -> e.getString("notification").equals("sent")));
        assertEquals("ok", json(Stack.get("/v1/alerts/rules/" + id)).getString("state"));

        assertEquals(204, delete("/v1/alerts/rules/" + id).statusCode());
        HttpResponse<String> gone = Stack.get("/v1/alerts/rules/" + id);
        assertEquals(404, gone.statusCode());
        assertEquals("NOT_FOUND", json(gone).getString("errorCode"));
        assertEquals(4, history(id).size(), "the history stays");
    }

    @Test
    void theDefaultRulesCarryTheSeedsThresholdsAndAreEditable() {
        Map<String, String> conditions = json(Stack.get("/v1/alerts/rules")).getJsonArray("rules").stream()
                .map(JsonValue::asJsonObject)
                .collect(java.util.stream.Collectors.toMap(o -> o.getString("id"), o -> o.getString("condition")));
        assertEquals("delivery_success_rate < 99.9%", conditions.get("delivery-success-rate"));
        assertEquals("processing_time_p99 > 500ms", conditions.get("processing-time"));
        assertEquals("queue_depth > 10000", conditions.get("queue-depth"));
        assertEquals("dead_letter_queue_size > 100", conditions.get("dead-letter-queue-size"));

        String edited = "{\"name\":\"Queue depth\",\"metric\":\"queue_depth\",\"operator\":\">\",\"threshold\":%s,"
                + "\"forSeconds\":60}";
        try {
            HttpResponse<String> r = put("/v1/alerts/rules/queue-depth", edited.formatted("20000"));
            assertEquals(200, r.statusCode(), r.body());
            assertEquals("queue_depth > 20000", json(r).getString("condition"));
        } finally {
            assertEquals(
                    200,
                    put("/v1/alerts/rules/queue-depth", edited.formatted("10000"))
                            .statusCode());
        }
    }

    @Test
    void aBadRuleIsRefusedNamingTheFieldAndNothingIsStored() {
        long before = Stack.count("select count(*) from eb_alert_rule where name <> ?", "-");
        Map<String, String> bodies = Map.of(
                "metric",
                "{\"name\":\"x\",\"metric\":\"latency\",\"operator\":\">\",\"threshold\":1}",
                "threshold",
                "{\"name\":\"x\",\"metric\":\"queue_depth\",\"operator\":\">\"}",
                "operator",
                "{\"name\":\"x\",\"metric\":\"queue_depth\",\"operator\":\">=\",\"threshold\":1}",
                "subscription",
                "{\"name\":\"x\",\"metric\":\"queue_depth\",\"operator\":\">\",\"threshold\":1,"
                        + "\"subscription\":\"no-such-subscription\"}",
                "notify.url",
                "{\"name\":\"x\",\"metric\":\"queue_depth\",\"operator\":\">\",\"threshold\":1,"
                        + "\"notify\":{\"url\":\"http://127.0.0.2:8080/hook\"}}",
                "tresholds",
                "{\"name\":\"x\",\"metric\":\"queue_depth\",\"operator\":\">\",\"threshold\":1," + "\"tresholds\":2}");
        bodies.forEach((field, body) -> {
            HttpResponse<String> r = Stack.postJson("/v1/alerts/rules", body);
            assertEquals(400, r.statusCode(), field + ": " + r.body());
            JsonObject e = json(r);
            assertEquals("VALIDATION_ERROR", e.getString("errorCode"), r.body());
            assertEquals(field, e.getJsonObject("details").getString("field"), r.body());
        });
        assertEquals(before, Stack.count("select count(*) from eb_alert_rule where name <> ?", "-"));
        HttpResponse<String> page = Stack.get("/v1/alerts/history?limit=0");
        assertEquals(400, page.statusCode(), page.body());
        assertEquals("limit", json(page).getJsonObject("details").getString("field"));
    }
}
