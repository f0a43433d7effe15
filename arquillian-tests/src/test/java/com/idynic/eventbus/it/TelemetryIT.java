package com.idynic.eventbus.it;

import static com.idynic.eventbus.it.Stack.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * MicroProfile Telemetry: the test server exports its spans to {@link OtlpReceiver} (EVENTBUS_OTEL_ENDPOINT). A
 * publish with a known {@code traceparent} yields, in that trace: the request's server span (a child of the caller's
 * span), the bus's {@code publish} span under it, then a {@code relay} span and one {@code deliver} span per attempt
 * (webhook and pull), each a child of {@code publish}, whose context the stored event, its Kafka record and the webhook
 * calls carry.
 */
class TelemetryIT {
    @RegisterExtension
    static final WebhookReceiver receiver = new WebhookReceiver();

    static final int SERVER = 2;
    static final int CLIENT = 3;
    static final int PRODUCER = 4;

    @Test
    void publishRelayAndEveryDeliveryAttemptAreExportedAsSpansOfThePublishersTrace() {
        assertTrue(OtlpReceiver.running(), "the run passes it.otel.port (arquillian-tests/pom.xml)");
        String traceId = TraceContextIT.hex(32);
        String caller = TraceContextIT.hex(16);
        String type = WebhookIT.unique("it.telemetry.t");
        String hook = WebhookIT.unique("otel-hook-");
        String pull = WebhookIT.unique("otel-pull-");
        AtomicInteger calls = new AtomicInteger();
        receiver.on(
                "/" + hook,
                c -> calls.incrementAndGet() == 1 ? WebhookReceiver.Answer.status(503) : WebhookReceiver.Answer.ok());
        Subscriptions.webhook(hook, type, receiver.url("/" + hook), "unordered", 3);
        Subscriptions.create(
                pull, "{\"owner\":\"it\",\"eventTypes\":[\"" + type + "\"],\"target\":{\"type\":\"pull\"}}");

        String id = Stack.newId("evt");
        HttpResponse<String> accepted = TraceContextIT.publish(
                "/v1/events", Stack.event(id, type, "{}", "{}"), "00-" + traceId + "-" + caller + "-01");
        assertEquals(202, accepted.statusCode(), accepted.body());
        await(
                Duration.ofSeconds(60),
                "the webhook answered 503, then 200",
                () -> receiver.calls("/" + hook, id).size() == 2);
        TraceContextIT.pullUntil(pull, id);
        HttpResponse<String> acked =
                Stack.postJson("/v1/subscriptions/" + pull + "/ack", "{\"eventIds\":[\"" + id + "\"]}");
        assertEquals(200, acked.statusCode(), acked.body());

        await(
                Duration.ofSeconds(60),
                "spans exported: server, publish, relay, 3 deliver",
                () -> OtlpReceiver.trace(traceId).size() >= 6);
        List<OtlpReceiver.Span> spans = OtlpReceiver.trace(traceId);
        OtlpReceiver.Span server =
                only(spans, s -> s.kind() == SERVER && s.parentSpanId().equals(caller));
        OtlpReceiver.Span publish = only(spans, s -> s.name().equals("publish"));
        assertEquals(server.spanId(), publish.parentSpanId(), "publish runs in the request's server span");
        assertEquals(id, publish.attributes().get("eventbus.event.id"));
        assertEquals(type, publish.attributes().get("eventbus.event.type"));

        String context = "00-" + traceId + "-" + publish.spanId() + "-01";
        assertEquals(context, TraceContextIT.stored(id), "the stored event names the publish span as its parent");
        assertEquals(context, KafkaProbe.header(KafkaProbe.find(id), "traceparent"));

        OtlpReceiver.Span relay = only(spans, s -> s.name().equals("relay"));
        assertEquals(publish.spanId(), relay.parentSpanId());
        assertEquals(PRODUCER, relay.kind());
        assertEquals(id, relay.attributes().get("eventbus.event.id"));
        assertEquals("kafka", relay.attributes().get("messaging.system"));
        assertEquals(
                String.valueOf(KafkaProbe.find(id).offset()), relay.attributes().get("messaging.kafka.offset"));

        List<WebhookReceiver.Call> hookCalls = receiver.calls("/" + hook, id);
        for (int attempt = 1; attempt <= 2; attempt++) {
            int n = attempt;
            OtlpReceiver.Span deliver = only(
                    spans,
                    s -> s.name().equals("deliver")
                            && hook.equals(s.attributes().get("eventbus.subscription"))
                            && String.valueOf(n).equals(s.attributes().get("eventbus.attempt")));
            assertEquals(publish.spanId(), deliver.parentSpanId(), "attempt " + n);
            assertEquals(CLIENT, deliver.kind());
            assertEquals(
                    "00-" + traceId + "-" + deliver.spanId() + "-01",
                    hookCalls.get(n - 1).traceparent(),
                    "the webhook call names attempt " + n + "'s span as its parent");
            assertEquals(
                    Map.of(
                            "eventbus.event.id",
                            id,
                            "eventbus.event.type",
                            type,
                            "eventbus.subscription",
                            hook,
                            "eventbus.attempt",
                            String.valueOf(n),
                            "eventbus.target",
                            "webhook",
                            "eventbus.outcome",
                            n == 1 ? "failure" : "success",
                            "eventbus.decision",
                            n == 1 ? "retry" : "delivered",
                            "http.response.status_code",
                            n == 1 ? "503" : "200"),
                    deliver.attributes());
            assertEquals(n == 1 ? 2 : 0, deliver.statusCode(), "an error status on the failed attempt only");
        }
        OtlpReceiver.Span pulled = only(
                spans,
                s -> s.name().equals("deliver") && pull.equals(s.attributes().get("eventbus.subscription")));
        assertEquals(publish.spanId(), pulled.parentSpanId());
        assertEquals("pull", pulled.attributes().get("eventbus.target"));
        assertEquals("success", pulled.attributes().get("eventbus.outcome"));
        assertEquals("delivered", pulled.attributes().get("eventbus.decision"));
    }

    @Test
    void anEventACoDeployedAppPublishesInItsTransactionIsTracedAndCountedOnceItCommits() {
        double before = MetricsIT.counted("eventbus_events_published_total", Map.of("event_type", "order.placed"));
        HttpResponse<String> r = Stack.postJson(
                "/profile-service/api/orders",
                "{\"orderId\":\"" + Stack.newId("ord") + "\",\"customerId\":\"cust-otel\",\"totalAmount\":5998}");
        assertEquals(200, r.statusCode(), r.body());
        String id = Stack.json(r).getString("eventId");
        String stored = TraceContextIT.stored(id);
        String traceId = stored.split("-")[1];
        String parent = stored.split("-")[2];

        await(
                Duration.ofSeconds(60),
                "the co-deployed publish's span exported",
                () -> OtlpReceiver.trace(traceId).stream()
                        .anyMatch(s -> s.name().equals("publish")));
        OtlpReceiver.Span publish =
                only(OtlpReceiver.trace(traceId), s -> s.name().equals("publish"));
        assertEquals(parent, publish.parentSpanId(), "a child of the stored event's trace context");
        assertEquals(
                Map.of(
                        "eventbus.event.id", id,
                        "eventbus.event.type", "order.placed",
                        "eventbus.event.source", "profile-service"),
                publish.attributes());
        await(
                Duration.ofSeconds(30),
                "order.placed counted once in eventbus_events_published_total",
                () -> MetricsIT.counted("eventbus_events_published_total", Map.of("event_type", "order.placed"))
                                - before
                        >= 1);
        assertEquals(
                1.0,
                MetricsIT.counted("eventbus_events_published_total", Map.of("event_type", "order.placed")) - before,
                "one committed publish, counted once");

        HttpResponse<String> rolledBack = Stack.postJson(
                "/profile-service/api/orders?reject=true",
                "{\"orderId\":\"" + Stack.newId("ord") + "\",\"customerId\":\"cust-otel\",\"totalAmount\":5998}");
        assertEquals(409, rolledBack.statusCode(), rolledBack.body());
        assertEquals(
                1.0,
                MetricsIT.counted("eventbus_events_published_total", Map.of("event_type", "order.placed")) - before,
                "a rolled-back publish is not counted");
    }

    static OtlpReceiver.Span only(List<OtlpReceiver.Span> spans, Predicate<OtlpReceiver.Span> which) {
        List<OtlpReceiver.Span> found = spans.stream().filter(which).toList();
        assertEquals(1, found.size(), "one such span among " + spans);
        return found.get(0);
    }
}
