package com.idynic.eventbus.it;

import static com.idynic.eventbus.it.Stack.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Webhook delivery to a real HTTP receiver: retries with backoff, signatures, 410, Retry-After, isolation. */
class WebhookIT {
    @RegisterExtension
    static final WebhookReceiver receiver = new WebhookReceiver();

    /** RetryPolicy's jitter: each delay is the policy's base delay times a factor in [0.8, 1.2). */
    static final double JITTER = 0.2;

    /** A retry falls due, then waits for the delivery loop's next pass (every 100 ms) and its lease and call. */
    static final Duration TICK_SLACK = Duration.ofMillis(300);

    static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    @Test
    void aReceiverThatFailsTwiceGetsTheEventOnceItAnswers2xxWithGrowingDelaysRecorded() {
        String type = unique("it.flaky.t");
        String sub = unique("flaky-");
        Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
        receiver.on(
                "/" + sub,
                c -> seen.computeIfAbsent(c.id(), k -> new AtomicInteger()).incrementAndGet() <= 2
                        ? WebhookReceiver.Answer.status(500)
                        : WebhookReceiver.Answer.ok());
        JsonObject policy = Subscriptions.webhook(sub, type, receiver.url("/" + sub), "ordered", 10)
                .getJsonObject("retryPolicy");
        String id = Subscriptions.publish(type, "k1", "{\"n\":1}");

        await(Duration.ofSeconds(60), "delivered after two failures", () -> Subscriptions.state(id, sub)
                .equals("DELIVERED"));
        List<WebhookReceiver.Call> calls = receiver.calls("/" + sub, id);
        assertEquals(
                List.of(500, 500, 200),
                calls.stream().map(WebhookReceiver.Call::answered).toList());
        List<JsonObject> attempts = Subscriptions.attempts(id, sub);
        assertEquals(
                List.of("FAILURE", "FAILURE", "SUCCESS"),
                attempts.stream().map(a -> a.getString("outcome")).toList());
        assertEquals(500, attempts.get(0).getInt("httpStatus"));
        long initial = policy.getJsonNumber("initialDelayMillis").longValue();
        double multiplier = policy.getJsonNumber("multiplier").doubleValue();
        for (int failed = 1; failed <= 2; failed++) {
            double base = initial * Math.pow(multiplier, failed - 1);
            Duration least = Duration.ofMillis((long) Math.floor(base * (1 - JITTER)));
            Duration most = Duration.ofMillis((long) Math.ceil(base * (1 + JITTER)) + TICK_SLACK.toMillis());
            Instant failedAt = calls.get(failed - 1).at();
            Duration gap = Duration.between(failedAt, calls.get(failed).at());
            assertTrue(
                    gap.compareTo(least) >= 0 && gap.compareTo(most) <= 0,
                    "delay after failure " + failed + ": " + gap + ", policy " + policy);
        }
    }

    @Test
    void theSignatureVerifiesWithOnlyTheDocumentedScheme() throws Exception {
        String type = unique("it.signed.t");
        String sub = unique("signed-");
        JsonObject created = Subscriptions.webhook(sub, type, receiver.url("/" + sub), "ordered", 3);
        String secret = created.getJsonObject("target").getString("secret");
        assertTrue(secret.startsWith("whsec_"), secret);
        String id = Subscriptions.publish(type, null, "{\"n\":2}");
        await(Duration.ofSeconds(30), "webhook called", () -> !receiver.calls("/" + sub, id)
                .isEmpty());
        WebhookReceiver.Call c = receiver.calls("/" + sub, id).get(0);

        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
        String expected = "v1,"
                + Base64.getEncoder()
                        .encodeToString(mac.doFinal(
                                (c.id() + "." + c.timestamp() + "." + c.body()).getBytes(StandardCharsets.UTF_8)));
        assertEquals(id, c.id());
        assertEquals(expected, c.signature());
        assertTrue(Math.abs(Long.parseLong(c.timestamp()) - c.at().getEpochSecond()) < 60);
        assertTrue(!Stack.get("/v1/subscriptions/" + sub).body().contains(secret), "secret never shown again");
    }

    @Test
    void a410GoesStraightToTheDeadLetterQueue() {
        String type = unique("it.gone.t");
        String sub = unique("gone-");
        receiver.on("/" + sub, c -> WebhookReceiver.Answer.status(410));
        Subscriptions.webhook(sub, type, receiver.url("/" + sub), "ordered", 10);
        String id = Subscriptions.publish(type, null, "{\"n\":3}");
        await(Duration.ofSeconds(30), "dead-lettered", () -> Subscriptions.state(id, sub)
                .equals("DEAD"));
        assertEquals(1, receiver.calls("/" + sub, id).size());
        assertEquals(List.of(id), Subscriptions.deadLetterIds(sub));
        assertEquals(
                1,
                Stack.json(Stack.get("/v1/subscriptions/" + sub + "/dead-letters?error=410&eventType=" + type))
                        .getInt("count"));
        assertEquals(
                0,
                Stack.json(Stack.get("/v1/subscriptions/" + sub + "/dead-letters?error=timed+out"))
                        .getJsonArray("deadLetters")
                        .size());
        JsonObject detail = Stack.json(Stack.get("/v1/subscriptions/" + sub + "/dead-letters/" + id));
        assertTrue(detail.getJsonObject("deadLetter").getString("lastError").contains("410"), detail.toString());
        assertEquals(1, detail.getJsonArray("attempts").size());
        assertEquals(id, detail.getJsonObject("event").getString("id"));
    }

    @Test
    void aReceiversRetryAfterIsHonoured() {
        String type = unique("it.busy.t");
        String sub = unique("busy-");
        AtomicInteger n = new AtomicInteger();
        receiver.on(
                "/" + sub,
                c -> n.incrementAndGet() == 1 ? new WebhookReceiver.Answer(429, 2, 0) : WebhookReceiver.Answer.ok());
        Subscriptions.webhook(sub, type, receiver.url("/" + sub), "ordered", 10);
        String id = Subscriptions.publish(type, null, "{\"n\":4}");
        await(Duration.ofSeconds(30), "delivered", () -> Subscriptions.state(id, sub)
                .equals("DELIVERED"));
        List<WebhookReceiver.Call> calls = receiver.calls("/" + sub, id);
        assertEquals(2, calls.size());
        Duration gap = Duration.between(calls.get(0).at(), calls.get(1).at());
        assertTrue(
                gap.compareTo(Duration.ofMillis(1900)) >= 0, "waited as asked (2 s), not the 300 ms backoff: " + gap);
    }

    @Test
    void aFailingSubscriptionDoesNotDelayAHealthyOneOnTheSameType() {
        String type = unique("it.shared.t");
        String bad = unique("bad-");
        String good = unique("good-");
        Map<String, List<Instant>> badArrivals = new ConcurrentHashMap<>();
        receiver.on("/" + bad, c -> {
            badArrivals
                    .computeIfAbsent(c.id(), k -> new CopyOnWriteArrayList<>())
                    .add(c.at());
            return new WebhookReceiver.Answer(500, null, 1000);
        });
        Subscriptions.webhook(bad, type, receiver.url("/" + bad), "unordered", 50);
        Subscriptions.webhook(good, type, receiver.url("/" + good), "unordered", 5);
        Map<String, Instant> answered = new LinkedHashMap<>();
        for (String key : List.of("a", "b", "c", "d", "e")) {
            String id = Subscriptions.publish(type, key, "{}");
            answered.put(id, Instant.now());
        }

        await(
                Duration.ofSeconds(30),
                "the failing subscription tried an event again",
                () -> badArrivals.values().stream().anyMatch(a -> a.size() >= 2));
        Instant firstRetry = badArrivals.values().stream()
                .filter(a -> a.size() >= 2)
                .map(a -> a.get(1))
                .min(Comparator.naturalOrder())
                .orElseThrow();
        assertEquals(answered.keySet(), badArrivals.keySet(), "the failing one was tried with every event");
        for (Map.Entry<String, Instant> e : answered.entrySet()) {
            List<WebhookReceiver.Call> calls = receiver.calls("/" + good, e.getKey());
            assertEquals(1, calls.size(), "the healthy one called once, before the failing one's first retry");
            Instant at = calls.get(0).at();
            assertTrue(at.isBefore(firstRetry), "called at " + at + ", the failing one retried at " + firstRetry);
            assertTrue(
                    Duration.between(e.getValue(), at).compareTo(Duration.ofSeconds(1)) <= 0,
                    "called " + Duration.between(e.getValue(), at) + " after publish was answered");
        }
        await(Duration.ofSeconds(10), "the healthy deliveries settled", () -> answered.keySet().stream()
                .allMatch(id -> Subscriptions.state(id, good).equals("DELIVERED")));
        assertTrue(answered.keySet().stream()
                .noneMatch(id -> Subscriptions.state(id, bad).equals("DELIVERED")));
    }
}
