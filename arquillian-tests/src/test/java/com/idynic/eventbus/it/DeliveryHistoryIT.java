package com.idynic.eventbus.it;

import static com.idynic.eventbus.it.Stack.await;
import static com.idynic.eventbus.it.Stack.count;
import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A delivered row leaves the delivery queue ({@code eb_delivery}) for the delivery history once the test server's
 * short history window ({@code EVENTBUS_DELIVERY_HISTORY_WINDOW}, see arquillian-tests/pom.xml) has passed, and
 * the event's deliveries and attempts read the same before and after the move.
 */
class DeliveryHistoryIT {
    @BeforeAll
    static void ready() {
        Stack.awaitReady();
    }

    /** The event's deliveries and attempts for one subscription, as {@code GET /v1/events/{id}/deliveries} shows. */
    static List<JsonObject> shown(String eventId, String sub) {
        JsonObject d = Stack.json(Stack.get("/v1/events/" + eventId + "/deliveries"));
        List<JsonObject> out = new ArrayList<>();
        for (String field : List.of("deliveries", "attempts")) {
            d.getJsonArray(field).stream()
                    .map(JsonValue::asJsonObject)
                    .filter(o -> o.getString("subscriptionId").equals(sub))
                    .forEach(out::add);
        }
        return out;
    }

    @Test
    void aDeliveredRowLeavesTheQueueAfterTheWindowAndItsDeliveryAndAttemptsStayShown() {
        Duration window = DeliveryControlsIT.duration("EVENTBUS_DELIVERY_HISTORY_WINDOW");
        String type = WebhookIT.unique("it.history.t");
        String sub = WebhookIT.unique("history-");
        Subscriptions.create(
                sub,
                "{\"eventTypes\":[\"" + type + "\"],\"target\":{\"type\":\"pull\"},\"ordering\":\"unordered\","
                        + "\"retryPolicy\":{\"initialDelayMillis\":200,\"maxAttempts\":5}}");
        String id = Subscriptions.publish(type, null, "{\"n\":1}");
        String ids = "{\"eventIds\":[\"" + id + "\"]";
        await(Duration.ofSeconds(30), id + " pulled", () -> !PullIT.pull(sub, 1000, 30_000)
                .isEmpty());
        assertEquals(1, PullIT.settle(sub, "nack", ids + ",\"reason\":\"busy\"}"));
        await(Duration.ofSeconds(30), id + " pulled again", () -> !PullIT.pull(sub, 1000, 30_000)
                .isEmpty());
        assertEquals(1, PullIT.settle(sub, "ack", ids + "}"));

        String queued = "select count(*) from eb_delivery where event_id = ? and state = 'DELIVERED'";
        assertEquals(1, count(queued, id), "delivered, still in the queue");
        List<JsonObject> before = shown(id, sub);
        assertEquals(3, before.size(), "one delivery and two attempts: " + before);
        assertEquals("DELIVERED", before.get(0).getString("state"));
        assertEquals(2, before.get(0).getInt("attempts"));
        assertEquals(
                List.of("FAILURE", "SUCCESS"),
                before.subList(1, 3).stream().map(a -> a.getString("outcome")).toList());

        await(
                window.multipliedBy(2).plusSeconds(30),
                "the delivered row left eb_delivery (window " + window + ")",
                () -> count("select count(*) from eb_delivery where event_id = ?", id) == 0);

        assertEquals(1, count("select count(*) from eb_delivery_history where event_id = ?", id));
        assertEquals(before, shown(id, sub), "the same deliveries and attempts after the move");
    }
}
