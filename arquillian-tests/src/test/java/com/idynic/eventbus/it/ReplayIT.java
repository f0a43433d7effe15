package com.idynic.eventbus.it;

import static com.idynic.eventbus.it.Stack.await;
import static com.idynic.eventbus.it.Stack.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Replay of stored events to one subscription, from the start, a time or an event id, under a rate budget. */
class ReplayIT {
    @RegisterExtension
    static final WebhookReceiver receiver = new WebhookReceiver();

    static String type;
    static final List<String> ids = new ArrayList<>();
    static String fourthAcceptedAt;

    @BeforeAll
    static void history() throws Exception {
        Stack.awaitReady();
        type = WebhookIT.unique("it.replay.t");
        for (int i = 1; i <= 6; i++) {
            String id = Stack.newId("evt-h" + i);
            var r = Stack.postJson(
                    "/v1/events",
                    Stack.event(
                            id, type, "{\"n\":" + i + "}", "{\"partitionKey\":\"" + (i % 2 == 0 ? "B" : "A") + "\"}"));
            assertEquals(202, r.statusCode(), r.body());
            ids.add(id);
            if (i == 4) {
                fourthAcceptedAt = json(r).getString("timestamp");
            }
            Thread.sleep(20);
        }
    }

    static JsonObject replay(String sub, String body, int status) {
        var r = Stack.postJson("/v1/subscriptions/" + sub + "/replays", body);
        assertEquals(status, r.statusCode(), r.body());
        return json(r);
    }

    static List<String> replayed(String sub) {
        return receiver.calls("/" + sub).stream()
                .filter(WebhookReceiver.Call::replay)
                .map(WebhookReceiver.Call::id)
                .toList();
    }

    @Test
    void replaysFromTheStartATimeAndAnEventIdDeliverExactlyTheExpectedEventsInOrderUnderTheBudget() {
        String sub = WebhookIT.unique("replay-");
        Subscriptions.webhook(sub, type, receiver.url("/" + sub), "ordered", 5);

        JsonObject dry = replay(sub, "{\"from\":\"earliest\",\"dryRun\":true}", 200);
        assertEquals(6, dry.getInt("total"));

        JsonObject job = replay(sub, "{\"from\":\"earliest\",\"ratePerSecond\":4}", 202);
        String live = Stack.newId("evt-live");
        assertEquals(202, Stack.postJson("/v1/events", Stack.userCreated(live)).statusCode());
        await(Duration.ofSeconds(30), "live delivery meanwhile", () -> CdiDeliveryIT.delivered(live));
        await(
                Duration.ofSeconds(60),
                "replay from the start delivered",
                () -> replayed(sub).size() == 6);
        assertTrue(replayed(sub).size() == 6 && !receiver.calls("/" + sub).isEmpty());
        assertEquals(ids, replayed(sub), "publish order");
        List<WebhookReceiver.Call> calls = receiver.calls("/" + sub);
        Duration span =
                Duration.between(calls.get(0).at(), calls.get(calls.size() - 1).at());
        assertTrue(span.compareTo(Duration.ofMillis(1000)) >= 0, "6 events at 4/s take over 1 s: " + span);
        await(Duration.ofSeconds(10), "job done", () -> {
            JsonObject p = json(Stack.get("/v1/subscriptions/" + sub + "/replays/" + job.getString("id")));
            return p.getString("state").equals("done") && p.getInt("done") == 6 && p.getInt("total") == 6;
        });
        assertEquals(
                "kafka",
                json(Stack.get("/v1/subscriptions/" + sub + "/replays/" + job.getString("id")))
                        .getString("readFrom"),
                "Kafka still holds the history, so the replay read it there");

        replay(sub, "{\"from\":\"" + fourthAcceptedAt + "\",\"ratePerSecond\":50}", 202);
        await(Duration.ofSeconds(30), "replay from a time", () -> replayed(sub).size() == 9);
        assertSameEventsInKeyOrder(ids.subList(3, 6), replayed(sub).subList(6, 9));

        replay(sub, "{\"from\":\"" + ids.get(4) + "\",\"ratePerSecond\":50}", 202);
        await(
                Duration.ofSeconds(30),
                "replay from an event id",
                () -> replayed(sub).size() == 11);
        assertSameEventsInKeyOrder(ids.subList(4, 6), replayed(sub).subList(9, 11));
    }

    /** Same events, and per key in publish order (keys A and B alternate in the history). */
    static void assertSameEventsInKeyOrder(List<String> expected, List<String> got) {
        assertEquals(java.util.Set.copyOf(expected), java.util.Set.copyOf(got));
        for (int parity = 0; parity < 2; parity++) {
            int p = parity;
            List<String> key =
                    ids.stream().filter(id -> ids.indexOf(id) % 2 == p).toList();
            assertEquals(
                    expected.stream().filter(key::contains).toList(),
                    got.stream().filter(key::contains).toList(),
                    "per-key order");
        }
    }

    /** The order in which a replay queued its events (delivery rows are created in reading order). */
    static List<String> queued(String sub) {
        List<String> out = new ArrayList<>();
        try (var c = Stack.db();
                var ps = c.prepareStatement("select event_id from eb_delivery where subscription_id = ? order by id")) {
            ps.setString(1, sub);
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    @Test
    void kafkaAndThePostgresqlStoreReplayTheSameEventsInTheSameOrder() {
        String viaKafka = WebhookIT.unique("replay-kafka-");
        String viaStore = WebhookIT.unique("replay-pg-");
        Subscriptions.webhook(viaKafka, type, receiver.url("/" + viaKafka), "ordered", 5);
        Subscriptions.webhook(viaStore, type, receiver.url("/" + viaStore), "ordered", 5);
        String from = "{\"from\":\"" + ids.get(1) + "\",\"ratePerSecond\":100";
        JsonObject k = replay(viaKafka, from + "}", 202);
        JsonObject p = replay(viaStore, from + ",\"source\":\"postgresql\"}", 202);
        await(
                Duration.ofSeconds(30),
                "both replays delivered",
                () -> replayed(viaKafka).size() == 5 && replayed(viaStore).size() == 5);
        assertSameEventsInKeyOrder(ids.subList(1, 6), replayed(viaKafka));
        assertSameEventsInKeyOrder(ids.subList(1, 6), replayed(viaStore));
        assertEquals(ids.subList(1, 6), queued(viaKafka), "Kafka's partitions merged back into publish order");
        assertEquals(queued(viaStore), queued(viaKafka));
        assertEquals(
                "kafka",
                json(Stack.get("/v1/subscriptions/" + viaKafka + "/replays/" + k.getString("id")))
                        .getString("readFrom"));
        assertEquals(
                "postgresql",
                json(Stack.get("/v1/subscriptions/" + viaStore + "/replays/" + p.getString("id")))
                        .getString("readFrom"));
    }

    @Test
    void aNewSubscriptionStartingAtEarliestGetsTheHistory() {
        String sub = WebhookIT.unique("history-");
        Subscriptions.create(
                sub,
                "{\"eventTypes\":[\"" + type
                        + "\"],\"startPosition\":\"earliest\",\"target\":{\"type\":\"webhook\",\"url\":\""
                        + receiver.url("/" + sub) + "\"}}");
        await(Duration.ofSeconds(60), "history delivered", () -> replayed(sub).size() == 6);
        List<String> got = replayed(sub);
        assertEquals(java.util.Set.copyOf(ids), java.util.Set.copyOf(got));
        List<String> keyA = got.stream()
                .filter(id -> List.of(ids.get(0), ids.get(2), ids.get(4)).contains(id))
                .toList();
        List<String> keyB = got.stream()
                .filter(id -> List.of(ids.get(1), ids.get(3), ids.get(5)).contains(id))
                .toList();
        assertEquals(List.of(ids.get(0), ids.get(2), ids.get(4)), keyA, "key A in publish order");
        assertEquals(List.of(ids.get(1), ids.get(3), ids.get(5)), keyB, "key B in publish order");
    }

    @Test
    void theCreateResponseNamesTheReplayThatBringsTheHistoryAndItsOwnerCanFollowIt() {
        String owner = WebhookIT.unique("historian-");
        String token =
                Stack.token(AuthIT.service(owner, "{\"roles\":[\"subscriber\"],\"subscribe\":[\"" + type + "\"]}"));
        String sub = WebhookIT.unique("named-replay-");
        var r = AuthIT.call(
                "PUT",
                "/v1/subscriptions/" + sub,
                token,
                "{\"eventTypes\":[\"" + type + "\"],\"startPosition\":\"earliest\",\"target\":{\"type\":\"pull\"}}");
        assertEquals(201, r.statusCode(), r.body());
        JsonObject replay = json(r).getJsonObject("replay");
        assertNotNull(replay, "the 201 body names the replay it started: " + r.body());
        String id = replay.getString("id");
        assertTrue(id.startsWith("rpl-"), id);
        String href = replay.getString("href");
        assertEquals("/v1/subscriptions/" + sub + "/replays/" + id, href);
        assertEquals("running", replay.getString("state"));

        var progress = AuthIT.call("GET", href, token, null);
        assertEquals(200, progress.statusCode(), "the owner follows its replay: " + progress.body());
        assertEquals(id, json(progress).getString("id"));
        assertEquals(sub, json(progress).getString("subscriptionId"));
        await(Duration.ofSeconds(30), "the history replay done", () -> {
            JsonObject p = json(AuthIT.call("GET", href, token, null));
            return p.getString("state").equals("done") && p.getInt("done") == 6;
        });

        String fromNow = WebhookIT.unique("latest-");
        JsonObject latest =
                Subscriptions.create(fromNow, "{\"eventTypes\":[\"" + type + "\"],\"target\":{\"type\":\"pull\"}}");
        assertFalse(latest.containsKey("replay"), "startPosition latest starts no replay: " + latest);
    }

    @Test
    void anUnknownStartEventIsRefused() {
        String sub = WebhookIT.unique("nostart-");
        var r = Stack.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(Stack.baseUrl() + "/v1/subscriptions/" + sub))
                        .header("Content-Type", "application/json")
                        .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(
                                "{\"eventTypes\":[\"x\"],\"startPosition\":\"evt-never-published\"}")));
        assertEquals(400, r.statusCode(), r.body());
        assertEquals("startPosition", json(r).getJsonObject("details").getString("field"));
        assertEquals(404, Stack.get("/v1/subscriptions/" + sub).statusCode());
    }
}
