package com.idynic.eventbus.it;

import static com.idynic.eventbus.it.Stack.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Global backpressure: with Kafka stopped the outbox grows; from the flow threshold (120 in the test server)
 * publishes are held before their body is read (0.2 s at most there) and still accepted; at the refusal threshold
 * (150) publish answers 429 OVERLOADED with Retry-After (5 s by default), before reading the body; when Kafka
 * returns the backlog drains and publish is accepted again.
 */
class OverloadIT {
    static final int THRESHOLD = 150;
    static final int FLOW = 120;

    @BeforeAll
    static void ready() {
        Stack.awaitReady();
    }

    static long outboxRows() {
        try (Connection c = Stack.db();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select count(*) from eb_outbox")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the backlog as the server's backpressure counted it (the gauge reads the same count) */
    static double countedBacklog() {
        for (String line : Stack.get("/metrics").body().split("\n")) {
            if (line.startsWith("eventbus_outbox_backlog{") || line.startsWith("eventbus_outbox_backlog ")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError("no eventbus_outbox_backlog in /metrics");
    }

    static JsonObject backpressureReadiness() {
        return Stack.parse(Stack.get("/health/ready").body()).getJsonArray("checks").stream()
                .map(JsonValue::asJsonObject)
                .filter(c -> c.getString("name").equals("backpressure"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no backpressure readiness check"))
                .getJsonObject("data");
    }

    @Test
    void publishIsAcceptedUpToTheThresholdThenRefusedWithRetryAfterUntilKafkaReturns() {
        Stack.stopKafka();
        try {
            long waiting = outboxRows();
            assertTrue(waiting < FLOW, "the outbox holds " + waiting + " rows before the test");
            JsonObject before = backpressureReadiness();
            assertEquals(FLOW, before.getInt("flowThreshold"), before.toString());
            for (long i = waiting; i < FLOW; i++) {
                HttpResponse<String> r = Stack.postJson("/v1/events", Stack.userCreated(Stack.newId("evt-load")));
                assertEquals(202, r.statusCode(), "publish " + (i + 1) + " of the backlog: " + r.body());
            }
            Stack.await(Duration.ofSeconds(10), "backpressure counted the backlog", () -> countedBacklog() == FLOW);
            for (long i = FLOW; i < THRESHOLD; i++) {
                HttpResponse<String> r = Stack.postJson("/v1/events", Stack.userCreated(Stack.newId("evt-load")));
                assertEquals(202, r.statusCode(), "held, then accepted: publish " + (i + 1) + ": " + r.body());
            }
            assertEquals(THRESHOLD, outboxRows(), "every accepted event waits in the outbox");
            long held =
                    backpressureReadiness().getJsonNumber("publishesHeldTotal").longValue()
                            - before.getJsonNumber("publishesHeldTotal").longValue();
            assertEquals(THRESHOLD - FLOW, held, "every publish over the flow threshold was held");
            Stack.await(
                    Duration.ofSeconds(10), "backpressure counted the backlog", () -> countedBacklog() == THRESHOLD);

            String id = Stack.newId("evt-load");
            HttpResponse<String> refused = Stack.postJson("/v1/events", Stack.userCreated(id));
            assertEquals(429, refused.statusCode(), refused.body());
            JsonObject details =
                    BadInputIT.assertErrorJson(refused, "OVERLOADED").getJsonObject("details");
            assertEquals(THRESHOLD, details.getInt("threshold"), refused.body());
            assertEquals(THRESHOLD, details.getInt("outboxBacklog"), refused.body());
            assertEquals(5, details.getInt("retryAfterSeconds"), refused.body());
            assertEquals("5", refused.headers().firstValue("Retry-After").orElse("none"));
            assertEquals(0, count("select count(*) from eb_event where id = ?", id), "a refused event is not kept");
            HttpResponse<String> unread = Stack.postJson("/v1/events/batch", "[{\"not json");
            assertEquals(429, unread.statusCode(), "refused before its body is read: " + unread.body());
            BadInputIT.assertErrorJson(unread, "OVERLOADED");
            assertEquals(THRESHOLD, outboxRows());

            JsonObject backpressure = backpressureReadiness();
            assertEquals(JsonValue.TRUE, backpressure.get("publishRefused"), backpressure.toString());
        } finally {
            Stack.control("kafka", "start");
        }
        Stack.await(
                Duration.ofSeconds(120),
                "backlog drained and publish accepted",
                () -> Stack.postJson("/v1/events", Stack.userCreated(Stack.newId("evt-load")))
                                .statusCode()
                        == 202);
    }
}
