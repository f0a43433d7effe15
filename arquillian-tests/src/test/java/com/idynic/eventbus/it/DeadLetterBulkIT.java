package com.idynic.eventbus.it;

import static com.idynic.eventbus.it.Stack.await;
import static com.idynic.eventbus.it.Stack.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bulk redrive of the dead letters matching a filter (dry run, throttled job, progress, cancel) and the exports
 * of dead letters and of event search results, over REST.
 */
class DeadLetterBulkIT {
    @BeforeAll
    static void ready() {
        Stack.awaitReady();
    }

    static String subscription(String type) {
        String sub = WebhookIT.unique("bulk-");
        Subscriptions.create(
                sub, "{\"eventTypes\":[\"" + type + "\"],\"target\":{\"type\":\"pull\"},\"ordering\":\"unordered\"}");
        return sub;
    }

    /** Publishes {@code n} events and rejects each into the dead-letter queue with {@code reason}. */
    static List<String> deadLetters(String sub, String type, int n, String reason) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(Subscriptions.publish(type, null, "{\"n\":" + i + "}"));
        }
        Set<String> pulled = new HashSet<>();
        await(Duration.ofSeconds(30), "pulled", () -> {
            PullIT.pull(sub, 1000, 60_000).forEach(d -> pulled.add(PullIT.id(d)));
            return pulled.containsAll(ids);
        });
        String body = "{\"eventIds\":[\"" + String.join("\",\"", ids) + "\"],\"reject\":true,\"reason\":"
                + jakarta.json.Json.createValue(reason) + "}";
        assertEquals(n, PullIT.settle(sub, "nack", body));
        return ids;
    }

    static HttpResponse<String> redrives(String sub, String body) {
        return Stack.postJson("/v1/subscriptions/" + sub + "/dead-letters/redrives", body);
    }

    static JsonObject job(String sub, String id) {
        HttpResponse<String> r = Stack.get("/v1/subscriptions/" + sub + "/dead-letters/redrives/" + id);
        assertEquals(200, r.statusCode(), r.body());
        return json(r);
    }

    static long deadCount(String sub, String error) {
        return json(Stack.get("/v1/subscriptions/" + sub + "/dead-letters?error=" + error))
                .getJsonNumber("count")
                .longValue();
    }

    @Test
    void aDryRunCountsExactlyThenTheJobRedrivesEveryMatchAndNothingElseAndACameBackOneIsMarked() {
        String type = WebhookIT.unique("it.bulk.t");
        String sub = subscription(type);
        List<String> unavailable = deadLetters(sub, type, 4, "HTTP 503 from X");
        List<String> rejected = deadLetters(sub, type, 2, "HTTP 400, \"bad\"");

        HttpResponse<String> dry = redrives(sub, "{\"error\":\"503\",\"dryRun\":true,\"ratePerSecond\":2}");
        assertEquals(200, dry.statusCode(), dry.body());
        assertEquals(4, json(dry).getInt("count"));
        assertEquals(2, json(dry).getInt("etaSeconds"));
        assertEquals(4, deadCount(sub, "503"), "a dry run redrives nothing");

        HttpResponse<String> started = redrives(sub, "{\"error\":\"503\",\"ratePerSecond\":2}");
        assertEquals(202, started.statusCode(), started.body());
        JsonObject j = json(started);
        String id = j.getString("id");
        assertEquals(4, j.getInt("total"));
        assertEquals("/v1/subscriptions/" + sub + "/dead-letters/redrives/" + id, j.getString("href"));
        assertTrue(started.headers().firstValue("Location").orElseThrow().endsWith(j.getString("href")));

        HttpResponse<String> second = redrives(sub, "{}");
        assertEquals(409, second.statusCode(), second.body());
        assertEquals("ALREADY_RUNNING", json(second).getString("errorCode"));
        assertEquals(id, json(second).getJsonObject("details").getString("runningId"));

        await(Duration.ofSeconds(30), "the bulk redrive done", () -> "done"
                .equals(job(sub, id).getString("state")));
        JsonObject done = job(sub, id);
        assertEquals(List.of(4, 4, 0), List.of(done.getInt("done"), done.getInt("total"), done.getInt("etaSeconds")));
        for (String e : rejected) {
            assertEquals("DEAD", Subscriptions.state(e, sub), "not matching: untouched");
        }

        Set<String> pulled = new HashSet<>();
        await(Duration.ofSeconds(30), "every redriven dead letter delivered again", () -> {
            PullIT.pull(sub, 1000, 60_000).forEach(d -> pulled.add(PullIT.id(d)));
            return pulled.containsAll(unavailable);
        });
        assertEquals(Set.copyOf(unavailable), pulled);
        String comesBack = unavailable.get(0);
        assertEquals(
                1,
                PullIT.settle(
                        sub,
                        "nack",
                        "{\"eventIds\":[\"" + comesBack + "\"],\"reject\":true,\"reason\":\"HTTP 503 again\"}"));
        List<String> acked = unavailable.subList(1, 4);
        assertEquals(3, PullIT.settle(sub, "ack", "{\"eventIds\":[\"" + String.join("\",\"", acked) + "\"]}"));
        for (String e : acked) {
            assertEquals("DELIVERED", Subscriptions.state(e, sub), e);
        }

        JsonObject back = json(Stack.get("/v1/subscriptions/" + sub + "/dead-letters?error=503"))
                .getJsonArray("deadLetters")
                .getJsonObject(0);
        assertEquals(comesBack, back.getString("eventId"));
        assertEquals(1, back.getInt("redriveCount"), "a dead letter back after a redrive is recognisable");
        assertTrue(back.containsKey("redrivenAt"), back.toString());
    }

    @Test
    void aCancelStopsTheJobAndWhatItHadNotRedrivenStaysDead() {
        String type = WebhookIT.unique("it.bulk.c");
        String sub = subscription(type);
        deadLetters(sub, type, 8, "HTTP 503");

        HttpResponse<String> started = redrives(sub, "{\"ratePerSecond\":1}");
        assertEquals(202, started.statusCode(), started.body());
        String id = json(started).getString("id");
        HttpResponse<String> cancelled = Stack.send(HttpRequest.newBuilder(
                        URI.create(Stack.baseUrl() + "/v1/subscriptions/" + sub + "/dead-letters/redrives/" + id))
                .DELETE());
        assertEquals(200, cancelled.statusCode(), cancelled.body());
        JsonObject c = json(cancelled);
        assertEquals("cancelled", c.getString("state"));
        int done = c.getInt("done");
        assertTrue(done < 8, c.toString());

        // a step in flight commits before the cancel or not at all: the counts hold from now on
        assertEquals(8 - done, deadCount(sub, "503"));
        assertEquals(done, job(sub, id).getInt("done"));
        assertEquals("cancelled", job(sub, id).getString("state"));

        HttpResponse<String> unknown = Stack.get("/v1/subscriptions/" + sub + "/dead-letters/redrives/rdr-nope");
        assertEquals(404, unknown.statusCode(), unknown.body());
        assertEquals("NOT_FOUND", json(unknown).getString("errorCode"));
        HttpResponse<String> badRate = redrives(sub, "{\"ratePerSecond\":0}");
        assertEquals(400, badRate.statusCode());
        assertEquals("ratePerSecond", json(badRate).getJsonObject("details").getString("field"));
        HttpResponse<String> badTime = redrives(sub, "{\"deadFrom\":\"yesterday\",\"dryRun\":true}");
        assertEquals(400, badTime.statusCode());
        assertEquals("deadFrom", json(badTime).getJsonObject("details").getString("field"));
    }

    @Test
    void exportsHoldExactlyTheFilteredRowsInCsvAndJson() {
        String type = WebhookIT.unique("it.bulk.x");
        String sub = subscription(type);
        List<String> a = deadLetters(sub, type, 2, "HTTP 503");
        List<String> b = deadLetters(sub, type, 1, "=HYPERLINK(\"x\"), sorry");

        HttpResponse<String> csv = Stack.get("/v1/subscriptions/" + sub + "/dead-letters/export?format=csv&error=503");
        assertEquals(200, csv.statusCode(), csv.body());
        assertTrue(csv.headers().firstValue("Content-Type").orElseThrow().startsWith("text/csv"));
        String[] lines = csv.body().split("\r\n");
        assertEquals(3, lines.length, csv.body());
        assertEquals("eventId,state,attempts,deadAt,lastError,parksOthers,redriveCount,redrivenAt", lines[0]);
        assertTrue(lines[1].startsWith(a.get(0) + ",DEAD,"), lines[1]);
        assertTrue(lines[2].startsWith(a.get(1) + ",DEAD,"), lines[2]);

        HttpResponse<String> formula =
                Stack.get("/v1/subscriptions/" + sub + "/dead-letters/export?format=csv&error=sorry");
        String[] f = formula.body().split("\r\n");
        assertEquals(2, f.length, formula.body());
        assertTrue(f[1].startsWith(b.get(0) + ",DEAD,"), f[1]);
        String lastError = json(Stack.get("/v1/subscriptions/" + sub + "/dead-letters?error=sorry"))
                .getJsonArray("deadLetters")
                .getJsonObject(0)
                .getString("lastError");
        String cell = lastError.startsWith("=") ? "'" + lastError : lastError;
        assertTrue(f[1].contains(",\"" + cell.replace("\"", "\"\"") + "\","), f[1]);

        HttpResponse<String> js = Stack.get("/v1/subscriptions/" + sub + "/dead-letters/export?format=json");
        assertEquals(200, js.statusCode(), js.body());
        JsonObject o = json(js);
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        assertEquals(
                all,
                o.getJsonArray("rows").stream()
                        .map(JsonValue::asJsonObject)
                        .map(r -> r.getString("eventId"))
                        .toList());
        assertEquals(3, o.getInt("exported"));
        assertEquals(false, o.getBoolean("truncated"));

        HttpResponse<String> events = Stack.get("/v1/events/export?format=json&type=" + type);
        assertEquals(200, events.statusCode(), events.body());
        assertEquals(
                all,
                json(events).getJsonArray("rows").stream()
                        .map(JsonValue::asJsonObject)
                        .map(r -> r.getString("id"))
                        .toList(),
                "every event of the type, in publish order");
        HttpResponse<String> eventsCsv = Stack.get("/v1/events/export?format=csv&type=" + type);
        assertEquals(4, eventsCsv.body().split("\r\n").length, eventsCsv.body());

        HttpResponse<String> bad = Stack.get("/v1/events/export?format=xlsx");
        assertEquals(400, bad.statusCode(), bad.body());
        assertEquals("format", json(bad).getJsonObject("details").getString("field"));
    }
}
