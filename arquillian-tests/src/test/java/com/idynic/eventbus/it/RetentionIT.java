package com.idynic.eventbus.it;

import static com.idynic.eventbus.it.Stack.await;
import static com.idynic.eventbus.it.Stack.count;
import static com.idynic.eventbus.it.Stack.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Retention removes only what its policy says, never pending or dead-lettered events. */
class RetentionIT {
    @BeforeAll
    static void ready() {
        Stack.awaitReady();
    }

    static boolean stored(String id) {
        return count("select count(*) from eb_event where id = ?", id) == 1;
    }

    @Test
    void expiredEventsGoButPendingAndDeadLetteredOnesAndOtherTypesStay() throws Exception {
        String type = WebhookIT.unique("it.retain.t");
        String sub = WebhookIT.unique("retain-");
        Subscriptions.create(
                sub,
                "{\"eventTypes\":[\"" + type + "\"],\"filter\":{\"data\":{\"/tracked\":true}},"
                        + "\"target\":{\"type\":\"pull\"},\"ordering\":\"unordered\"}");
        String e1 = Subscriptions.publish(type, null, "{\"tracked\":false}");
        String e2 = Subscriptions.publish(type, null, "{\"tracked\":false}");
        String pending = Subscriptions.publish(type, null, "{\"tracked\":true}");
        String dead = Subscriptions.publish(type, null, "{\"tracked\":true}");
        String delivered = Subscriptions.publish(type, null, "{\"tracked\":true}");
        List<String> pulled = new java.util.ArrayList<>();
        await(Duration.ofSeconds(30), "three pulled", () -> {
            PullIT.pull(sub, 1000, 60_000).forEach(d -> pulled.add(PullIT.id(d)));
            return pulled.containsAll(List.of(pending, dead, delivered));
        });
        PullIT.settle(sub, "nack", "{\"eventIds\":[\"" + dead + "\"],\"reject\":true}");
        PullIT.settle(sub, "ack", "{\"eventIds\":[\"" + delivered + "\"]}");
        String otherType = Subscriptions.publish(WebhookIT.unique("it.keep.t"), null, "{}");
        await(Duration.ofSeconds(30), "all relayed", () -> List.of(e1, e2, pending, dead, delivered, otherType).stream()
                .allMatch(id -> count("select count(*) from eb_outbox where event_id = ?", id) == 0));

        var put = Stack.send(HttpRequest.newBuilder(URI.create(Stack.baseUrl() + "/v1/retention/" + type))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"maxAgeSeconds\":1}")));
        assertEquals(200, put.statusCode(), put.body());
        Thread.sleep(1500);
        JsonObject report = RetentionJobIT.runToEnd();
        assertEquals("done", report.getString("state"), report.toString());
        assertEquals(3, report.getJsonObject("removed").getInt(type), report.toString());

        assertTrue(!stored(e1) && !stored(e2) && !stored(delivered), "expired and finished: removed");
        assertTrue(stored(pending), "pending delivery: kept");
        assertTrue(stored(dead), "dead-lettered: kept");
        assertTrue(stored(otherType), "other types follow the 7-day default");
        assertEquals(404, Stack.get("/v1/events/" + e1).statusCode());
        assertEquals(List.of(dead), Subscriptions.deadLetterIds(sub));

        JsonObject status = json(Stack.get("/v1/retention"));
        assertEquals(604800, status.getInt("defaultMaxAgeSeconds"));
        assertTrue(status.getJsonNumber("removedTotal").longValue() >= 3);
        try (Admin admin =
                Admin.create(java.util.Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, Stack.kafkaBootstrap()))) {
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, KafkaProbe.TOPIC);
            String ms = admin.describeConfigs(List.of(topic))
                    .all()
                    .get()
                    .get(topic)
                    .get("retention.ms")
                    .value();
            assertEquals(
                    String.valueOf(Duration.ofDays(7).toMillis()), ms, "Kafka keeps as long as the longest policy");
        }
    }

    /** Writes an event straight into the day partition of {@code acceptedAt} (history the API cannot backdate). */
    static void oldEvent(String id, String type, java.time.OffsetDateTime acceptedAt) {
        Stack.sql("insert into eb_event_id (id, accepted_at) values (?, ?)", id, acceptedAt);
        Stack.sql(
                "insert into eb_event (id, event_type, source, occurred_at, payload, content_hash, receipt, accepted_at)"
                        + " values (?, ?, 'retention-it', ?, ?, repeat('0', 64), 'rcpt-old', ?)",
                id,
                type,
                acceptedAt,
                "{\"id\":\"" + id + "\",\"eventType\":\"" + type + "\",\"source\":\"retention-it\",\"data\":{}}",
                acceptedAt);
    }

    static boolean partitionExists(java.time.LocalDate day) {
        return count(
                        "select count(*) from pg_class where relname = ?",
                        "eb_event_p" + day.format(java.time.format.DateTimeFormatter.BASIC_ISO_DATE))
                == 1;
    }

    @Test
    void wholeExpiredDaysAreDroppedUnlessTheyHoldADeadLetter() {
        java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
        java.time.LocalDate expired = today.minusDays(40);
        java.time.LocalDate owed = today.minusDays(41);
        Stack.sql("select eb_event_partition(?::date)", expired.toString());
        Stack.sql("select eb_event_partition(?::date)", owed.toString());
        String type = WebhookIT.unique("it.old.t");
        String a1 = WebhookIT.unique("evt-old-a-");
        String a2 = WebhookIT.unique("evt-old-a-");
        String b1 = WebhookIT.unique("evt-old-b-");
        oldEvent(a1, type, expired.atTime(10, 0).atOffset(java.time.ZoneOffset.UTC));
        oldEvent(a2, type, expired.atTime(23, 59).atOffset(java.time.ZoneOffset.UTC));
        oldEvent(b1, type, owed.atTime(12, 0).atOffset(java.time.ZoneOffset.UTC));
        String sub = WebhookIT.unique("old-dead-");
        Subscriptions.create(
                sub, "{\"eventTypes\":[\"" + type + "\"],\"target\":{\"type\":\"pull\"},\"ordering\":\"unordered\"}");
        Stack.sql(
                "insert into eb_delivery (subscription_id, event_id, state, event_seq, dead_at)"
                        + " select ?, id, 'DEAD', seq, now() from eb_event where id = ?",
                sub,
                b1);
        assertTrue(partitionExists(expired) && partitionExists(owed));

        JsonObject run = RetentionJobIT.runToEnd();
        assertEquals("done", run.getString("state"), run.toString());

        assertTrue(!partitionExists(expired), "the expired day went as a whole");
        assertTrue(!stored(a1) && !stored(a2));
        assertEquals(0, count("select count(*) from eb_event_id where id = ?", a1), "its ids are free again");
        assertTrue(run.getJsonObject("removed").getInt("*") >= 2, run.toString());
        assertTrue(partitionExists(owed), "a day holding a dead letter stays");
        assertTrue(stored(b1));
        assertEquals(List.of(b1), Subscriptions.deadLetterIds(sub));
        assertTrue(partitionExists(today.plusDays(3)), "days ahead are prepared");
    }
}
