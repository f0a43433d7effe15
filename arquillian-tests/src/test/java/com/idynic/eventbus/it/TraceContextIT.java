package com.idynic.eventbus.it;

import static com.idynic.eventbus.it.Stack.await;
import static com.idynic.eventbus.it.Stack.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * W3C trace context end to end: the publisher's {@code traceparent} header (over {@code metadata.traceparent}) is
 * stored with the event and its trace id reaches the Kafka record, a webhook receiver, a pull client and the
 * co-deployed app's CDI observer; without one, or with an invalid one, the bus starts a trace; a failed delivery's
 * log line names the event, its type, the subscription and the trace id.
 */
class TraceContextIT {
    @RegisterExtension
    static final WebhookReceiver receiver = new WebhookReceiver();

    static final Pattern TRACEPARENT = Pattern.compile("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");

    static String hex(int digits) {
        return (UUID.randomUUID().toString() + UUID.randomUUID())
                .replace("-", "")
                .substring(0, digits);
    }

    static HttpResponse<String> publish(String path, String body, String traceparent) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(Stack.baseUrl() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (traceparent != null) {
            b.header("traceparent", traceparent);
        }
        return Stack.send(b);
    }

    static String userCreated(String id, String userId, String metadata) {
        return Stack.event(
                id,
                "user.created",
                "{\"userId\":\"" + userId + "\",\"email\":\"trace@example.com\",\"name\":\"Trace\"}",
                metadata);
    }

    /** @return the stored event's {@code metadata.traceparent} */
    static String stored(String eventId) {
        HttpResponse<String> r = Stack.get("/v1/events/" + eventId);
        assertEquals(200, r.statusCode(), r.body());
        return json(r).getJsonObject("event").getJsonObject("metadata").getString("traceparent");
    }

    static String traceId(String traceparent) {
        assertTrue(traceparent != null && TRACEPARENT.matcher(traceparent).matches(), "a traceparent: " + traceparent);
        return traceparent.substring(3, 35);
    }

    static String parentId(String traceparent) {
        return traceparent.substring(36, 52);
    }

    /** A subscription to user.created events of one user only (other tests publish user.created too). */
    static void subscribeToUser(String id, String userId, String target) {
        Subscriptions.create(
                id,
                "{\"eventTypes\":[\"user.created\"],\"filter\":{\"data\":{\"/userId\":\"" + userId + "\"}},"
                        + "\"target\":" + target + ",\"ordering\":\"unordered\"}");
    }

    /** Pulls until the event comes; returns its entry of the pull answer ({@code event}, {@code traceparent}, ...). */
    static JsonObject pullUntil(String subscription, String eventId) {
        Map<String, JsonObject> seen = new HashMap<>();
        await(Duration.ofSeconds(60), "pulled " + eventId, () -> {
            HttpResponse<String> r = Stack.postJson(
                    "/v1/subscriptions/" + subscription + "/pull", "{\"maxEvents\":10,\"waitMillis\":2000}");
            assertEquals(200, r.statusCode(), r.body());
            json(r).getJsonArray("events").stream()
                    .map(JsonValue::asJsonObject)
                    .forEach(e -> seen.put(e.getJsonObject("event").getString("id"), e));
            return seen.containsKey(eventId);
        });
        return seen.get(eventId);
    }

    @Test
    void thePublishersTraceIdReachesTheStoredEventKafkaAWebhookAPullClientAndTheCdiObserver() {
        String traceId = hex(32);
        String parent = hex(16);
        String header = "00-" + traceId + "-" + parent + "-01";
        String userId = "usr-trace-" + hex(12);
        String hook = WebhookIT.unique("trace-hook-");
        String pull = WebhookIT.unique("trace-pull-");
        subscribeToUser(
                hook,
                userId,
                "{\"type\":\"webhook\",\"url\":\"" + receiver.url("/" + hook) + "\",\"timeoutMillis\":3000}");
        subscribeToUser(pull, userId, "{\"type\":\"pull\"}");
        String id = Stack.newId("evt");
        String inMetadata = "00-" + hex(32) + "-" + hex(16) + "-01";
        HttpResponse<String> accepted =
                publish("/v1/events", userCreated(id, userId, "{\"traceparent\":\"" + inMetadata + "\"}"), header);
        assertEquals(202, accepted.statusCode(), accepted.body());

        String stored = stored(id);
        assertEquals(
                traceId,
                traceId(stored),
                "the header wins over metadata.traceparent; its parent id is the caller's, or the bus's publish span"
                        + " while spans are exported (as on the test server, TelemetryIT)");

        ConsumerRecord<String, String> record = KafkaProbe.find(id);
        assertEquals(stored, KafkaProbe.header(record, "traceparent"));

        await(Duration.ofSeconds(60), "webhook called", () -> !receiver.calls("/" + hook, id)
                .isEmpty());
        WebhookReceiver.Call call = receiver.calls("/" + hook, id).get(0);
        assertEquals(traceId, traceId(call.traceparent()));
        assertNotEquals(parent, parentId(call.traceparent()), "the delivery is a span of its own");
        assertEquals(
                stored,
                Stack.parse(call.body()).getJsonObject("metadata").getString("traceparent"),
                "the delivered event describes itself");

        JsonObject pulled = pullUntil(pull, id);
        assertEquals(traceId, traceId(pulled.getString("traceparent")));
        assertNotEquals(parent, parentId(pulled.getString("traceparent")));
        assertEquals(
                stored, pulled.getJsonObject("event").getJsonObject("metadata").getString("traceparent"));

        await(Duration.ofSeconds(60), "the CDI observer received " + id, () -> CdiDeliveryIT.delivered(id));
        List<JsonObject> observed = CdiDeliveryIT.calls(id);
        assertEquals(traceId, traceId(observed.get(0).getString("traceparent")));
    }

    @Test
    void withoutATraceparentTheBusStartsATraceStoresItAndSendsItOn() {
        String userId = "usr-trace-" + hex(12);
        String hook = WebhookIT.unique("trace-new-");
        subscribeToUser(
                hook,
                userId,
                "{\"type\":\"webhook\",\"url\":\"" + receiver.url("/" + hook) + "\",\"timeoutMillis\":3000}");
        String id = Stack.newId("evt");
        HttpResponse<String> accepted = publish("/v1/events", userCreated(id, userId, "{}"), null);
        assertEquals(202, accepted.statusCode(), accepted.body());

        String started = stored(id);
        assertTrue(started.endsWith("-01"), "sampled: " + started);
        assertEquals(started, KafkaProbe.header(KafkaProbe.find(id), "traceparent"));
        await(Duration.ofSeconds(60), "webhook called", () -> !receiver.calls("/" + hook, id)
                .isEmpty());
        assertEquals(
                traceId(started), traceId(receiver.calls("/" + hook, id).get(0).traceparent()));
    }

    @Test
    void anInvalidHeaderIsIgnoredWith202AndTheEventGetsANewTraceInstead() {
        String zeros = "00-" + "0".repeat(32) + "-" + hex(16) + "-01";
        String upper = ("00-" + hex(32) + "-" + hex(16) + "-01").toUpperCase(java.util.Locale.ROOT);
        for (String invalid : List.of("garbage", zeros, upper, "ff-" + hex(32) + "-" + hex(16) + "-01")) {
            String id = Stack.newId("evt");
            HttpResponse<String> r = publish("/v1/events", Stack.event(id, "it.trace.invalid", "{}", "{}"), invalid);
            assertEquals(202, r.statusCode(), invalid + ": " + r.body());
            String started = stored(id);
            assertNotEquals(invalid.toLowerCase(java.util.Locale.ROOT), started);
            assertNotEquals("0".repeat(32), traceId(started));
        }
        String id = Stack.newId("evt");
        HttpResponse<String> batch = publish(
                "/v1/events/batch", "[" + Stack.event(id, "it.trace.invalid", "{}", "{}") + "]", "00-not-a-trace");
        assertEquals(202, batch.statusCode(), batch.body());
        traceId(stored(id));
    }

    @Test
    void anOperatorFindsTheEventsOfATraceByItsTraceId() {
        String trace = hex(32);
        String a = Stack.newId("evt");
        String b = Stack.newId("evt");
        HttpResponse<String> r = publish(
                "/v1/events/batch",
                "[" + Stack.event(a, "it.trace.search", "{}", "{}") + ","
                        + Stack.event(b, "it.trace.search", "{}", "{}") + "]",
                "00-" + trace + "-" + hex(16) + "-01");
        assertEquals(202, r.statusCode(), r.body());
        assertEquals(
                202,
                publish("/v1/events", Stack.event(Stack.newId("evt"), "it.trace.search", "{}", "{}"), null)
                        .statusCode());

        HttpResponse<String> found = Stack.get("/v1/events?traceId=" + trace);
        assertEquals(200, found.statusCode(), found.body());
        assertEquals(
                List.of(a, b),
                json(found).getJsonArray("events").stream()
                        .map(v -> v.asJsonObject().getJsonObject("event").getString("id"))
                        .toList());
        HttpResponse<String> bad = Stack.get("/v1/events?traceId=" + trace.toUpperCase(java.util.Locale.ROOT));
        assertEquals(400, bad.statusCode(), bad.body());
        assertTrue(bad.body().contains("traceId"), bad.body());
    }

    @Test
    void aBatchsTraceparentHeaderIsTheContextOfEveryEventInIt() {
        String header = "00-" + hex(32) + "-" + hex(16) + "-01";
        String a = Stack.newId("evt");
        String b = Stack.newId("evt");
        HttpResponse<String> r = publish(
                "/v1/events/batch",
                "[" + Stack.event(a, "it.trace.batch", "{}", "{}") + ","
                        + Stack.event(
                                b,
                                "it.trace.batch",
                                "{}",
                                "{\"traceparent\":\"00-" + hex(32) + "-" + hex(16) + "-01\"}")
                        + "]",
                header);
        assertEquals(202, r.statusCode(), r.body());
        assertEquals(traceId(header), traceId(stored(a)));
        assertEquals(traceId(header), traceId(stored(b)));
    }

    @Test
    void aFailedWebhookAttemptIsLoggedWithTheEventIdTypeSubscriptionAndTraceId() {
        String type = WebhookIT.unique("it.trace.fail.t");
        String hook = WebhookIT.unique("trace-fail-");
        receiver.on("/" + hook, c -> WebhookReceiver.Answer.status(503));
        Subscriptions.webhook(hook, type, receiver.url("/" + hook), "unordered", 2);
        String traceId = hex(32);
        String id = Stack.newId("evt");
        HttpResponse<String> r =
                publish("/v1/events", Stack.event(id, type, "{}", "{}"), "00-" + traceId + "-" + hex(16) + "-01");
        assertEquals(202, r.statusCode(), r.body());
        await(Duration.ofSeconds(60), "dead-lettered after two attempts", () -> Subscriptions.state(id, hook)
                .equals("DEAD"));
        String fields = "eventId=" + id + " eventType=" + type + " subscription=" + hook + " traceId=" + traceId;
        await(
                Duration.ofSeconds(10),
                "both attempts logged with " + fields,
                () -> ServerLogs.messageLines(fields) == 2);
        List<String> lines = ServerLogs.messageLinesWith(fields);
        assertTrue(
                lines.get(0).contains(" I delivery attempt failed, retrying at ")
                        && lines.get(0).endsWith(fields + " attempt=1 reason=\"HTTP 503\""),
                lines.get(0));
        assertTrue(
                lines.get(1).contains(" W delivery attempt failed, dead-lettered: " + fields)
                        && lines.get(1)
                                .endsWith(
                                        fields + " attempt=2 reason=\"retries exhausted after 2 attempts: HTTP 503\""),
                lines.get(1));
        assertEquals(0, ServerLogs.messageLines(receiver.url("/" + hook)), "the target URL is never logged");
    }
}
