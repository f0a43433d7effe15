package com.idynic.eventbus.it;

import static com.idynic.eventbus.it.Stack.await;
import static com.idynic.eventbus.it.Stack.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An event as large as the bus accepts travels through Kafka like any other: its record, with the headers,
 * is larger than Kafka's default limits (1 MiB), and neither it nor the events after it get stuck.
 */
class LargeEventIT {
    /** {@code eventbus.publish.max-body-bytes}, the default the test server runs with. */
    static final int MAX_BODY_BYTES = 1_048_576;

    /** Kafka's default {@code max.request.size}; the broker's {@code message.max.bytes} is 12 bytes more. */
    static final int KAFKA_DEFAULT_RECORD_LIMIT = 1_048_576;

    /** Envelope strings are at most 65,536 characters, so the data is a list of strings. */
    static final int CHUNK = 65_000;

    @BeforeAll
    static void ready() {
        Stack.awaitReady();
    }

    /** @return {@code prefix} followed by {@code -} and filler up to 200 characters, the longest allowed */
    static String longest(String prefix) {
        return prefix + "-" + "p".repeat(200 - prefix.length() - 1);
    }

    /** @return an event of exactly the body limit, or up to 3 bytes less (the data fills the room left) */
    static String eventAtTheLimit(String id, String type, String metadata) {
        int left = MAX_BODY_BYTES
                - Stack.event(id, type, "{\"chunks\":[]}", metadata).length();
        List<String> chunks = new ArrayList<>();
        while (true) {
            int cost = chunks.isEmpty() ? 2 : 3;
            int length = Math.min(CHUNK, left - cost);
            if (length < 1) {
                break;
            }
            chunks.add("\"" + String.valueOf((char) ('a' + chunks.size() % 26)).repeat(length) + "\"");
            left -= length + cost;
        }
        return Stack.event(id, type, "{\"chunks\":[" + String.join(",", chunks) + "]}", metadata);
    }

    static List<JsonObject> pull(String sub) {
        var r = Stack.postJson(
                "/v1/subscriptions/" + sub + "/pull",
                "{\"maxEvents\":10,\"waitMillis\":2000,\"ackDeadlineMillis\":60000}");
        assertEquals(200, r.statusCode(), r.body());
        return json(r).getJsonArray("events").stream()
                .map(v -> v.asJsonObject().getJsonObject("event"))
                .toList();
    }

    @Test
    void theEventsTopicTakesRecordsAsLargeAsTheLargestEventMakesWithItsHeaders() throws Exception {
        var topic = new ConfigResource(ConfigResource.Type.TOPIC, KafkaProbe.TOPIC);
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", Stack.kafkaBootstrap()))) {
            String maxMessageBytes = admin.describeConfigs(List.of(topic))
                    .all()
                    .get(30, TimeUnit.SECONDS)
                    .get(topic)
                    .get("max.message.bytes")
                    .value();
            assertTrue(
                    Long.parseLong(maxMessageBytes) >= 3L * MAX_BODY_BYTES + 64 * 1024,
                    "max.message.bytes of " + KafkaProbe.TOPIC + " is " + maxMessageBytes);
        }
    }

    @Test
    void anEventAtTheBodyLimitIsPulledBackWholeAndTheEventPublishedAfterItIsDeliveredToo() {
        String type = WebhookIT.unique("it.large.t");
        String sub = WebhookIT.unique("large-");
        Subscriptions.create(
                sub, "{\"eventTypes\":[\"" + type + "\"],\"target\":{\"type\":\"pull\"},\"ordering\":\"unordered\"}");
        String id = longest(Stack.newId("evt"));
        String key = longest("key");
        String correlationId = longest("corr");
        String metadata = "{\"correlationId\":\"" + correlationId + "\",\"partitionKey\":\"" + key + "\"}";
        String body = eventAtTheLimit(id, type, metadata);
        int bodyBytes = body.getBytes(StandardCharsets.UTF_8).length;
        assertTrue(bodyBytes <= MAX_BODY_BYTES && bodyBytes > MAX_BODY_BYTES - 4, "body of " + bodyBytes + " bytes");
        assertTrue(
                bodyBytes + key.length() + id.length() + correlationId.length() > KAFKA_DEFAULT_RECORD_LIMIT,
                "with its key and its ce_id and correlation-id headers the record is larger than Kafka's default");
        JsonObject sent = Stack.parse(body).getJsonObject("data");

        var accepted = Stack.postJson("/v1/events", body);
        assertEquals(202, accepted.statusCode(), accepted.body());
        String after = Subscriptions.publish(type, key, "{\"n\":2}");

        Map<String, JsonObject> pulled = new HashMap<>();
        await(Duration.ofSeconds(90), "the large event and the one after it pulled", () -> {
            pull(sub).forEach(e -> pulled.put(e.getString("id"), e));
            return pulled.containsKey(id) && pulled.containsKey(after);
        });
        JsonObject data = pulled.get(id).getJsonObject("data");
        assertEquals(
                sent.toString().length(),
                data.toString().length(),
                "the data comes back with the size it was sent with");
        assertEquals(sent, data, "the data comes back intact");
    }
}
