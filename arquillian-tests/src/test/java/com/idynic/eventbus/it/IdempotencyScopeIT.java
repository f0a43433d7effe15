package com.idynic.eventbus.it;

import static com.idynic.eventbus.it.Stack.count;
import static com.idynic.eventbus.it.Stack.json;
import static com.idynic.eventbus.it.Stack.newId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** An {@code Idempotency-Key} belongs to the service that sent it: another service's identical key is another key. */
class IdempotencyScopeIT {
    @BeforeAll
    static void ready() {
        Stack.awaitReady();
    }

    /** A fresh publisher service that may publish {@code it.idem.*} under its own name as source. */
    record Publisher(String name, String token) {
        static Publisher create() {
            String name = "it-idem-" + UUID.randomUUID().toString().substring(0, 8);
            String key = AuthIT.service(name, "{\"roles\":[\"publisher\"],\"publish\":[\"it.idem.*\"]}");
            return new Publisher(name, Stack.token(key));
        }

        String event(String id, String detail) {
            return "{\"id\":\"" + id + "\",\"eventType\":\"it.idem.done\",\"source\":\"" + name
                    + "\",\"data\":{\"detail\":\"" + detail + "\"}}";
        }

        HttpResponse<String> publish(String idempotencyKey, String body) {
            return Stack.raw(HttpRequest.newBuilder(URI.create(Stack.baseUrl() + "/v1/events"))
                    .header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + token)
                    .header("Idempotency-Key", idempotencyKey)
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build());
        }
    }

    @Test
    void theSameKeyFromTwoServicesPublishesTwoEventsAndNeitherLearnsTheOthersEvent() {
        Publisher a = Publisher.create();
        Publisher b = Publisher.create();
        String key = newId("idem");
        String idA = newId("evt-idem-a");
        String idB = newId("evt-idem-b");

        HttpResponse<String> firstA = a.publish(key, a.event(idA, "from a"));
        assertEquals(202, firstA.statusCode(), firstA.body());
        assertEquals(idA, json(firstA).getString("eventId"));

        HttpResponse<String> firstB = b.publish(key, b.event(idB, "from b"));
        assertEquals(202, firstB.statusCode(), firstB.body());
        assertEquals(idB, json(firstB).getString("eventId"));
        assertFalse(firstB.body().contains(idA), firstB.body());

        HttpResponse<String> againB = b.publish(key, b.event(idB, "from b"));
        assertEquals(202, againB.statusCode(), againB.body());
        assertEquals(json(firstB), json(againB), "a repeat gets the service's own first receipt");

        HttpResponse<String> changedB = b.publish(key, b.event(newId("evt-idem-b"), "changed"));
        assertReusedNaming(idB, changedB);
        assertFalse(changedB.body().contains(idA), changedB.body());

        HttpResponse<String> changedA = a.publish(key, a.event(newId("evt-idem-a"), "changed"));
        assertReusedNaming(idA, changedA);
        assertFalse(changedA.body().contains(idB), changedA.body());

        assertEquals(1, count("select count(*) from eb_event where id = ?", idA));
        assertEquals(1, count("select count(*) from eb_event where id = ?", idB));
    }

    private static void assertReusedNaming(String ownEventId, HttpResponse<String> r) {
        assertEquals(409, r.statusCode(), r.body());
        JsonObject error = json(r);
        assertEquals("IDEMPOTENCY_KEY_REUSED", error.getString("errorCode"), r.body());
        assertEquals(ownEventId, error.getJsonObject("details").getString("eventId"), r.body());
    }
}
