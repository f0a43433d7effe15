package com.idynic.eventbus.it;

import static com.idynic.eventbus.it.Stack.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Global backpressure: with Kafka stopped the outbox grows; past its threshold (150 in the test
 * server) publish answers 429 OVERLOADED with Retry-After; when Kafka returns the backlog drains and
 * publish is accepted again.
 */
class OverloadIT {
    @BeforeAll
    static void ready() {
        Stack.awaitReady();
    }

    @Test
    void publishGets429WhileTheBacklogIsOverItsThresholdAndRecoversWhenKafkaReturns() {
        Stack.control("kafka", "stop");
        HttpResponse<String> refused = null;
        int accepted = 0;
        try {
            for (int i = 0; i < 400 && refused == null; i++) {
                HttpResponse<String> r = Stack.postJson("/v1/events", Stack.userCreated(Stack.newId("evt-load-")));
                if (r.statusCode() == 202) {
                    accepted++;
                } else {
                    assertEquals(429, r.statusCode(), r.body());
                    refused = r;
                }
            }
            assertTrue(refused != null, "refused after " + accepted + " accepted");
            assertTrue(accepted >= 100, "accepted up to the threshold first: " + accepted);
            JsonObject err = json(refused);
            assertEquals("OVERLOADED", err.getString("errorCode"));
            assertEquals(150, err.getJsonObject("details").getInt("threshold"));
            assertTrue(refused.headers().firstValue("Retry-After").isPresent());
            JsonObject ready = Stack.parse(Stack.get("/health/ready").body());
            assertTrue(ready.toString().contains("\"publishRefused\":true"), ready.toString());
            assertTrue(Stack.get("/metrics").body().contains("eventbus_outbox_backlog"), "backlog in metrics");
        } finally {
            Stack.control("kafka", "start");
        }
        Stack.await(
                Duration.ofSeconds(120),
                "backlog drained and publish accepted",
                () -> Stack.postJson("/v1/events", Stack.userCreated(Stack.newId("evt-load-")))
                                .statusCode()
                        == 202);
    }
}
