package com.idynic.eventbus.it;

import static com.idynic.eventbus.it.Stack.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Ordered mode: a failing event parks its key's later events, other keys flow, redrive keeps order. */
class OrderedDeadLetterIT {
    @RegisterExtension
    static final WebhookReceiver receiver = new WebhookReceiver();

    static String key(WebhookReceiver.Call c) {
        return Stack.parse(c.body()).getJsonObject("metadata").getString("partitionKey");
    }

    @Test
    void aParkedKeyGoesToTheDeadLetterQueueInOrderWhileOtherKeysFlowAndRedriveReplaysItInOrder() {
        String type = WebhookIT.unique("it.ordered.t");
        String sub = WebhookIT.unique("ordered-");
        AtomicBoolean broken = new AtomicBoolean(true);
        String[] poison = new String[1];
        receiver.on(
                "/" + sub,
                c -> broken.get() && c.id().equals(poison[0])
                        ? WebhookReceiver.Answer.status(500)
                        : WebhookReceiver.Answer.ok());
        Subscriptions.webhook(sub, type, receiver.url("/" + sub), "ordered", 4);

        String a1 = Subscriptions.publish(type, "A", "{\"seq\":\"A1\"}");
        String b1 = Subscriptions.publish(type, "B", "{\"seq\":\"B1\"}");
        await(
                Duration.ofSeconds(30),
                "A1 and B1 delivered",
                () -> Subscriptions.state(a1, sub).equals("DELIVERED")
                        && Subscriptions.state(b1, sub).equals("DELIVERED"));
        poison[0] = Stack.newId("evt-poison");
        String a2 = poison[0];
        assertEquals(
                202,
                Stack.postJson("/v1/events", Stack.event(a2, type, "{\"seq\":\"A2\"}", "{\"partitionKey\":\"A\"}"))
                        .statusCode());
        String b2 = Subscriptions.publish(type, "B", "{\"seq\":\"B2\"}");
        String a3 = Subscriptions.publish(type, "A", "{\"seq\":\"A3\"}");
        String b3 = Subscriptions.publish(type, "B", "{\"seq\":\"B3\"}");

        await(Duration.ofSeconds(60), "B keeps flowing", () -> List.of(b2, b3).stream()
                .allMatch(id -> Subscriptions.state(id, sub).equals("DELIVERED")));
        await(Duration.ofSeconds(60), "A's sequence dead-lettered", () -> Subscriptions.deadLetterIds(sub)
                .equals(List.of(a2, a3)));
        assertEquals(0, receiver.calls("/" + sub, a3).size(), "A3 never overtook A2");
        JsonObject detail = Stack.json(Stack.get("/v1/subscriptions/" + sub + "/dead-letters/" + a3));
        assertEquals(
                List.of(a2, a3),
                detail.getJsonArray("parkedSequence").getValuesAs(jakarta.json.JsonString.class).stream()
                        .map(jakarta.json.JsonString::getString)
                        .toList());

        broken.set(false);
        var r = Stack.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(Stack.baseUrl() + "/v1/subscriptions/" + sub + "/dead-letters/redrive"))
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"all\":true}")));
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(2, Stack.json(r).getInt("redriven"));
        await(Duration.ofSeconds(30), "A's sequence delivered", () -> Subscriptions.state(a3, sub)
                .equals("DELIVERED"));
        List<String> aOrder = receiver.calls("/" + sub).stream()
                .filter(c -> c.answered() == 200 && key(c).equals("A"))
                .map(WebhookReceiver.Call::id)
                .toList();
        assertEquals(List.of(a1, a2, a3), aOrder);
        assertEquals(
                1,
                Stack.count(
                        "select count(*) from eb_audit where subscription_id = ? and action = 'redrive' and actor = 'admin'",
                        sub));
    }

    static List<String> pull(String sub, int waitMillis) {
        var r = Stack.postJson(
                "/v1/subscriptions/" + sub + "/pull",
                "{\"maxEvents\":10,\"waitMillis\":" + waitMillis + ",\"ackDeadlineMillis\":30000}");
        assertEquals(200, r.statusCode(), r.body());
        return Stack.json(r).getJsonArray("events").stream()
                .map(v -> v.asJsonObject().getJsonObject("event").getString("id"))
                .toList();
    }

    static int settle(String sub, String verb, String body) {
        var r = Stack.postJson("/v1/subscriptions/" + sub + "/" + verb, body);
        assertEquals(200, r.statusCode(), r.body());
        return Stack.json(r).getInt("settled");
    }

    @Test
    void anEventPublishedAfterItsKeyWasDeadLetteredStaysParkedUntilRedriveWhileOtherKeysFlow() {
        Stack.awaitReady();
        String type = WebhookIT.unique("it.parkedlater.t");
        String sub = WebhookIT.unique("parked-later-");
        Subscriptions.create(
                sub, "{\"eventTypes\":[\"" + type + "\"],\"target\":{\"type\":\"pull\"},\"ordering\":\"ordered\"}");
        String a1 = Subscriptions.publish(type, "A", "{\"seq\":\"A1\"}");
        List<String> first = new java.util.ArrayList<>();
        await(Duration.ofSeconds(30), "A1 pulled", () -> {
            first.addAll(pull(sub, 2000));
            return !first.isEmpty();
        });
        assertEquals(List.of(a1), first);
        assertEquals(1, settle(sub, "nack", "{\"eventIds\":[\"" + a1 + "\"],\"reject\":true,\"reason\":\"poison\"}"));
        assertEquals(List.of(a1), Subscriptions.deadLetterIds(sub));

        String a2 = Subscriptions.publish(type, "A", "{\"seq\":\"A2\"}");
        String b1 = Subscriptions.publish(type, "B", "{\"seq\":\"B1\"}");
        List<String> pulled = new java.util.ArrayList<>();
        await(Duration.ofSeconds(30), "B1 flows", () -> {
            pulled.addAll(pull(sub, 2000));
            return pulled.contains(b1);
        });
        await(Duration.ofSeconds(30), "A2 queued", () -> !Subscriptions.state(a2, sub)
                .equals("NONE"));
        pulled.addAll(pull(sub, 0));
        assertEquals(List.of(b1), pulled, "A2 is held back behind the dead A1");
        assertEquals(1, settle(sub, "ack", "{\"eventIds\":[\"" + b1 + "\"]}"));
        // held as PENDING behind its dead head today; dead-lettering it with the head would hold it as well
        assertTrue(List.of("PENDING", "DEAD").contains(Subscriptions.state(a2, sub)), Subscriptions.state(a2, sub));
        assertEquals(List.of(), Subscriptions.attempts(a2, sub), "A2 was never handed out");

        var r = Stack.postJson("/v1/subscriptions/" + sub + "/dead-letters/redrive", "{\"all\":true}");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(
                List.of(a1, a2), pull(sub, 5000), "the redriven head, then the event parked behind it, as one run");
        assertEquals(2, settle(sub, "ack", "{\"eventIds\":[\"" + a1 + "\",\"" + a2 + "\"]}"));
        assertEquals(List.of(), Subscriptions.deadLetterIds(sub));
    }
}
