package com.idynic.eventbus.it;

import static com.idynic.eventbus.it.Stack.await;
import static com.idynic.eventbus.it.Stack.count;
import static com.idynic.eventbus.it.Stack.json;
import static com.idynic.eventbus.it.Stack.newId;
import static com.idynic.eventbus.it.Stack.postJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Dependencies go away and come back; nothing acknowledged is lost, nothing unstored is acknowledged. */
class OutageIT {
    @BeforeAll
    static void ready() {
        Stack.awaitReady();
    }

    static String readiness(String check) {
        JsonObject health = json(Stack.get("/health/ready"));
        return health.getJsonArray("checks").stream()
                .map(JsonValue::asJsonObject)
                .filter(c -> c.getString("name").equals(check))
                .map(c -> c.getString("status"))
                .findFirst()
                .orElse("MISSING");
    }

    /** @return the example app's successful observer calls among {@code ids}, in the order it received them */
    static List<String> receivedInOrder(List<String> ids) {
        return json(Stack.get("/profile-service/api/received")).getJsonArray("calls").stream()
                .map(JsonValue::asJsonObject)
                .filter(c -> ids.contains(c.getString("eventId")) && !c.getBoolean("failed"))
                .map(c -> c.getString("eventId"))
                .toList();
    }

    @Test
    void eventsPublishedWhileKafkaIsDownAreAcceptedAndDeliveredInKeyOrderWhenItReturns() {
        assumeTrue(Stack.env().get("DEVSTACK_CONTROL") != null);
        String key = newId("cust-outage");
        Stack.stopKafka();
        List<String> ids = new ArrayList<>();
        try {
            await(Duration.ofSeconds(30), "readiness reports Kafka DOWN", () -> readiness("kafka")
                    .equals("DOWN"));
            assertEquals(503, Stack.get("/health/ready").statusCode());
            for (int i = 0; i < 5; i++) {
                String id = newId("evt-outage");
                ids.add(id);
                HttpResponse<String> r = postJson(
                        "/v1/events",
                        Stack.event(
                                id,
                                "user.created",
                                "{\"userId\":\"usr-" + i + "\",\"email\":\"user" + i
                                        + "@example.com\",\"name\":\"Outage " + i + "\"}",
                                "{\"partitionKey\":\"" + key + "\"}"));
                assertEquals(202, r.statusCode(), r.body());
            }
            for (String id : ids) {
                assertEquals(1, count("select count(*) from eb_outbox where event_id = ?", id), "waits in the outbox");
            }
        } finally {
            Stack.control("kafka", "start");
        }
        await(Duration.ofSeconds(120), "all events delivered after Kafka returned", () -> ids.stream()
                .allMatch(CdiDeliveryIT::delivered));
        assertEquals(ids, receivedInOrder(ids), "one key: delivered once each, in publish order");
        await(Duration.ofSeconds(30), "readiness reports Kafka UP", () -> readiness("kafka")
                .equals("UP"));
    }

    /**
     * Kafka goes away while the dispatcher is busy (records read, offsets being committed): dispatch must resume by
     * itself once Kafka is back, with no server restart, and every event accepted before, during and after the
     * outage reaches the co-deployed app's observer.
     */
    @Test
    void dispatchResumesByItselfWhenKafkaStopsWhileTheDispatcherCommits() throws Exception {
        assumeTrue(Stack.env().get("DEVSTACK_CONTROL") != null);
        List<String> accepted = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicBoolean publishing = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread load = new Thread(() -> {
            while (publishing.get()) {
                String id = newId("evt-commit");
                if (postJson("/v1/events", Stack.userCreated(id)).statusCode() == 202) {
                    accepted.add(id);
                }
            }
        });
        load.start();
        try {
            await(
                    Duration.ofSeconds(60),
                    "the dispatcher is busy",
                    () -> accepted.size() >= 100 && CdiDeliveryIT.delivered(accepted.get(50)));
            Stack.control("kafka", "stop");
            Thread.sleep(15_000);
        } finally {
            Stack.control("kafka", "start");
            publishing.set(false);
            load.join();
        }
        String after = newId("evt-after");
        await(
                Duration.ofSeconds(60),
                "a publish after the outage accepted (429 while the outbox drains)",
                () -> postJson("/v1/events", Stack.userCreated(after)).statusCode() == 202);
        List<String> all = new ArrayList<>(accepted);
        all.add(after);
        await(
                Duration.ofSeconds(180),
                "every accepted event delivered after Kafka returned, without a restart",
                () -> new java.util.HashSet<>(receivedInOrder(all)).containsAll(all));
    }

    @Test
    void publishingWhilePostgresIsDownAnswers503AndNeverAccepts() {
        assumeTrue(Stack.env().get("DEVSTACK_CONTROL") != null && Stack.env().get("EVENTBUS_DB_PORT") != null);
        String id = newId("evt-nodb");
        Stack.control("postgres", "stop");
        try {
            HttpResponse<String> r = postJson("/v1/events", Stack.userCreated(id));
            assertEquals(503, r.statusCode(), r.body());
            BadInputIT.assertErrorJson(r, "STORAGE_UNAVAILABLE");
            assertEquals("5", r.headers().firstValue("Retry-After").orElse(""));
            await(Duration.ofSeconds(30), "readiness reports PostgreSQL DOWN", () -> readiness("postgresql")
                    .equals("DOWN"));
        } finally {
            Stack.control("postgres", "start");
        }
        assertEquals(0, count("select count(*) from eb_event where id = ?", id));
        await(
                Duration.ofSeconds(60),
                "publishing works again",
                () -> postJson("/v1/events", Stack.userCreated(id)).statusCode() == 202);
        await(Duration.ofSeconds(60), "event delivered", () -> CdiDeliveryIT.delivered(id));
    }
}
