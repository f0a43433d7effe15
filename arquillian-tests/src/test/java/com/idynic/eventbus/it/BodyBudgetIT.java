package com.idynic.eventbus.it;

import static com.idynic.eventbus.it.BadInputIT.assertErrorJson;
import static com.idynic.eventbus.it.Stack.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Request bodies near their limits, many at once, on the server's default heap and body budget: every
 * answer is one the client can act on (202, 400, 413, or 429/503 with {@code Retry-After}), never a 5xx
 * from a server out of memory, and the bus stays ready and live.
 */
class BodyBudgetIT {
    static final int MIB = 1024 * 1024;
    static final String TYPE = WebhookIT.unique("it.budget.t");

    @BeforeAll
    static void ready() {
        Stack.awaitReady();
    }

    /** About 14.5 MiB: 1,000 valid events of about 15 KB (under the 16 MiB batch and 1 MiB event limits). */
    static byte[] validBatch() {
        StringBuilder b = new StringBuilder("[");
        String pad = "x".repeat(15_000);
        for (int i = 0; i < 1000; i++) {
            b.append(i == 0 ? "" : ",")
                    .append("{\"id\":\"evt-budget-")
                    .append(UUID.randomUUID())
                    .append("\",\"eventType\":\"")
                    .append(TYPE)
                    .append("\",\"source\":\"user-service\",\"data\":{\"pad\":\"")
                    .append(pad)
                    .append("\"}}");
        }
        return b.append("]").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** About 5.7 MiB: a JSON array of 3 million numbers, the shape of no batch. */
    static byte[] numbers() {
        return ("[" + "0,".repeat(2_999_999) + "0]").getBytes(StandardCharsets.UTF_8);
    }

    /** About 800 KB: one event whose data is 400,000 numbers and which has no id (refused once parsed). */
    static byte[] denseEvent() {
        return ("{\"eventType\":\"" + TYPE + "\",\"source\":\"user-service\",\"data\":{\"n\":[" + "0,".repeat(399_999)
                        + "0]}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    static HttpRequest.Builder post(String path, byte[] body, boolean chunked) {
        return HttpRequest.newBuilder(URI.create(Stack.baseUrl() + path))
                .header("Content-Type", "application/json")
                .POST(
                        chunked
                                ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))
                                : HttpRequest.BodyPublishers.ofByteArray(body));
    }

    record Sent(String what, Set<Integer> allowed, HttpRequest.Builder request) {}

    /**
     * One connection per request, as curl and most clients send (the shared client would multiplex every
     * request over one HTTP/2 connection, where they also wait for each other's flow-control windows).
     */
    static final HttpClient HTTP_1_1 = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return HTTP_1_1.send(
                b.timeout(Duration.ofSeconds(60))
                        .header("Authorization", "Bearer " + Stack.token(Stack.adminKey()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void concurrentBodiesNearTheLimitsGetActionableAnswersNeverA5xxAndTheBusStaysReadyAndLive() throws Exception {
        byte[] numbers = numbers();
        byte[] dense = denseEvent();
        byte[] overLimit = ("[" + " ".repeat(16 * MIB)).getBytes(StandardCharsets.UTF_8);
        List<Sent> sent = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            sent.add(
                    new Sent("valid batch " + i, Set.of(202, 429, 503), post("/v1/events/batch", validBatch(), false)));
        }
        for (int i = 0; i < 8; i++) {
            sent.add(new Sent("numbers " + i, Set.of(400, 503), post("/v1/events/batch", numbers, i % 2 == 0)));
            sent.add(new Sent("dense event " + i, Set.of(400, 503), post("/v1/events", dense, false)));
        }
        for (int i = 0; i < 2; i++) {
            sent.add(new Sent("over the limit " + i, Set.of(413), post("/v1/events/batch", overLimit, false)));
        }

        ExecutorService pool = Executors.newFixedThreadPool(sent.size());
        List<String> problems = new ArrayList<>();
        try {
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (Sent s : sent) {
                answers.add(pool.submit(() -> send(s.request())));
            }
            for (int i = 0; i < sent.size(); i++) {
                Sent s = sent.get(i);
                HttpResponse<String> r;
                try {
                    r = answers.get(i).get();
                } catch (java.util.concurrent.ExecutionException e) {
                    problems.add(s.what() + ": no answer (" + e.getCause() + ")");
                    continue;
                }
                if (!s.allowed().contains(r.statusCode())) {
                    problems.add(s.what() + ": " + r.statusCode() + " " + abbreviated(r.body()));
                    continue;
                }
                if (r.statusCode() != 202) {
                    assertErrorJson(r, json(r).getString("errorCode"));
                }
                if ((r.statusCode() == 429 || r.statusCode() == 503)
                        && r.headers().firstValue("Retry-After").isEmpty()) {
                    problems.add(s.what() + ": " + r.statusCode() + " without Retry-After");
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(List.of(), problems);

        Stack.await(
                Duration.ofSeconds(60),
                "the bus ready and live after the bodies",
                () -> Stack.get("/health/ready").statusCode() == 200
                        && Stack.get("/health/live").statusCode() == 200);
        // the accepted batches (up to 3,000 events) drain before the next test publishes, so it is not refused
        // for a backlog it did not make
        Stack.await(
                Duration.ofSeconds(120),
                "the outbox drained",
                () -> Stack.count("select count(*) from eb_outbox where event_id like ?", "%") == 0);
        HttpResponse<String> alone = send(post("/v1/events/batch", numbers, true));
        assertEquals(400, alone.statusCode(), alone.body());
        assertEquals("[0]", json(alone).getJsonObject("details").getString("field"));
        assertTrue(json(alone).getString("message").contains("must be an event object"), alone.body());
    }

    static String abbreviated(String body) {
        return body.length() > 300 ? body.substring(0, 300) + "…" : body;
    }
}
