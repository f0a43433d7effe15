package com.idynic.eventbus.it;

import static com.idynic.eventbus.it.Stack.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The webhook delivery controls, seen from a real receiver: the circuit breaker (opens after the failure streak,
 * one probe per open period, the period doubling up to its cap, auto-disable with a reason, resume), the
 * per-subscription concurrency and rate limits, and a receiver's {@code Retry-After} as an HTTP date or in
 * seconds. The test server runs with short circuit settings (arquillian-tests/pom.xml), read here from its env.
 */
class DeliveryControlsIT {
    @RegisterExtension
    static final WebhookReceiver receiver = new WebhookReceiver();

    /** Constant 100 ms retries (jitter capped by maxDelay): a failed event is due again long before a probe. */
    static final String QUICK_RETRIES =
            "{\"initialDelayMillis\":100,\"multiplier\":1,\"maxDelayMillis\":100,\"maxAttempts\":1000}";

    /** How late a call may come after it is allowed: the delivery loop polls every 100 ms, then leases and calls. */
    static final Duration LATE = Duration.ofMillis(750);

    /** IMF-fixdate, the HTTP date a server sends (RFC 9110 section 5.6.7). */
    static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
            .withZone(ZoneOffset.UTC);

    static String setting(String name) {
        String value = Stack.env().get(name);
        assertNotNull(value, name + " is not set for the test server (see arquillian-tests/pom.xml)");
        return value;
    }

    static Duration duration(String name) {
        return Duration.parse(setting(name));
    }

    /** An unordered webhook subscription to this class's receiver; {@code extra} adds top-level fields. */
    static void webhook(String sub, String type, String extra) {
        Subscriptions.create(
                sub,
                "{\"owner\":\"it\",\"eventTypes\":[\"" + type + "\"],\"target\":{\"type\":\"webhook\",\"url\":\""
                        + receiver.url("/" + sub) + "\",\"timeoutMillis\":3000},\"ordering\":\"unordered\"" + extra
                        + "}");
    }

    static JsonObject subscription(String sub) {
        return Stack.json(Stack.get("/v1/subscriptions/" + sub));
    }

    /** POSTs pause or resume; returns the subscription as answered. */
    static JsonObject change(String sub, String verb) {
        HttpResponse<String> r = Stack.post("/v1/subscriptions/" + sub + "/" + verb, null, "");
        assertEquals(200, r.statusCode(), r.body());
        return Stack.json(r);
    }

    /**
     * Pauses the subscriptions, publishes {@code n} keyless events and waits until each is queued for each of
     * them, so that on resume all are due at once.
     */
    static List<String> queuedWhilePaused(String type, int n, String... subs) {
        for (String sub : subs) {
            assertEquals("paused", change(sub, "pause").getString("state"));
        }
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(Subscriptions.publish(type, null, "{\"n\":" + i + "}"));
        }
        await(Duration.ofSeconds(30), n + " events queued", () -> ids.stream().allMatch(id -> queued(id, subs)));
        return ids;
    }

    static boolean queued(String id, String... subs) {
        return Arrays.stream(subs).allMatch(sub -> Subscriptions.state(id, sub).equals("PENDING"));
    }

    static boolean allDelivered(List<String> ids, String sub) {
        return ids.stream().allMatch(id -> Subscriptions.state(id, sub).equals("DELIVERED"));
    }

    static List<Instant> arrivals(String sub) {
        return receiver.calls("/" + sub).stream()
                .map(WebhookReceiver.Call::at)
                .sorted()
                .toList();
    }

    /** @return the arrival times split wherever the receiver heard nothing for longer than {@code quiet} */
    static List<List<Instant>> bursts(List<Instant> arrivals, Duration quiet) {
        List<List<Instant>> bursts = new ArrayList<>();
        Instant last = null;
        for (Instant at : arrivals) {
            if (last == null || Duration.between(last, at).compareTo(quiet) > 0) {
                bursts.add(new ArrayList<>());
            }
            bursts.get(bursts.size() - 1).add(at);
            last = at;
        }
        return bursts;
    }

    static boolean within(Duration d, Duration from, Duration to) {
        return d.compareTo(from) >= 0 && d.compareTo(to) <= 0;
    }

    @Test
    void aFailingWebhookTripsTheCircuitThenGetsOneProbePerOpenPeriodDoublingToItsCapUntilDisabledAndResumeRestoresIt() {
        int threshold = Integer.parseInt(setting("EVENTBUS_DELIVERY_CIRCUIT_FAILURE_THRESHOLD"));
        Duration minOpen = duration("EVENTBUS_DELIVERY_CIRCUIT_MIN_OPEN");
        Duration maxOpen = duration("EVENTBUS_DELIVERY_CIRCUIT_MAX_OPEN");
        Duration disableAfter = duration("EVENTBUS_DELIVERY_AUTO_DISABLE_AFTER");
        String type = WebhookIT.unique("it.circuit.t");
        String serial = WebhookIT.unique("circuit-serial-");
        String parallel = WebhookIT.unique("circuit-parallel-");
        AtomicBoolean failing = new AtomicBoolean(true);
        for (String sub : List.of(serial, parallel)) {
            receiver.on(
                    "/" + sub, c -> failing.get() ? WebhookReceiver.Answer.status(500) : WebhookReceiver.Answer.ok());
        }
        webhook(serial, type, ",\"maxConcurrency\":1,\"retryPolicy\":" + QUICK_RETRIES);
        webhook(parallel, type, ",\"maxConcurrency\":16,\"retryPolicy\":" + QUICK_RETRIES);
        List<String> ids = queuedWhilePaused(type, 6, serial, parallel);

        change(serial, "resume");
        change(parallel, "resume");
        for (String sub : List.of(serial, parallel)) {
            await(disableAfter.plusSeconds(10), sub + " disabled", () -> subscription(sub)
                    .getString("state")
                    .equals("disabled"));
            Instant seen = Instant.now();
            JsonObject disabled = subscription(sub);
            JsonObject health = disabled.getJsonObject("health");
            Instant failingSince = Instant.parse(health.getString("failingSince"));
            List<Instant> calls = arrivals(sub);
            assertFalse(seen.isBefore(failingSince.plus(disableAfter)), "not before the period: " + disabled);
            assertTrue(seen.isBefore(failingSince.plus(disableAfter).plusSeconds(1)), "soon after it: " + disabled);
            assertEquals(
                    "failing since " + failingSince + " (" + calls.size() + " failures in a row, last: HTTP 500)",
                    disabled.getString("disabledReason"));
            assertEquals("open", health.getString("circuit"), disabled.toString());

            List<List<Instant>> bursts = bursts(calls, minOpen.dividedBy(2));
            int streak = sub.equals(serial) ? threshold : ids.size();
            assertEquals(streak, bursts.get(0).size(), sub + ": calls before the circuit opened " + bursts);
            assertTrue(bursts.size() >= 5, sub + ": four probes at least before it was disabled " + bursts);
            Instant opened = bursts.get(0).get(threshold - 1);
            Duration open = minOpen;
            for (List<Instant> probe : bursts.subList(1, bursts.size())) {
                assertEquals(1, probe.size(), sub + ": one probe per open period, though events are due " + bursts);
                Duration gap = Duration.between(opened, probe.get(0));
                assertTrue(
                        within(gap, open, open.plus(LATE)),
                        sub + ": a probe " + gap + " after the circuit opened for " + open + " " + bursts);
                opened = probe.get(0);
                open = open.multipliedBy(2).compareTo(maxOpen) > 0 ? maxOpen : open.multipliedBy(2);
            }
        }

        failing.set(false);
        for (String sub : List.of(serial, parallel)) {
            JsonObject resumed = change(sub, "resume");
            assertEquals("active", resumed.getString("state"));
            assertFalse(resumed.containsKey("disabledReason"), resumed.toString());
            assertEquals("closed", resumed.getJsonObject("health").getString("circuit"), resumed.toString());
            assertEquals(0, resumed.getJsonObject("health").getInt("consecutiveFailures"), resumed.toString());
        }
        await(
                Duration.ofSeconds(10),
                "every event delivered after resume",
                () -> allDelivered(ids, serial) && allDelivered(ids, parallel));
        assertEquals("active", subscription(serial).getString("state"));
        assertEquals("active", subscription(parallel).getString("state"));
    }

    @Test
    void aCircuitWhoseOpenPeriodEndsBeforeAnyRetryIsDueProbesOnceOneFallsDue() {
        int threshold = Integer.parseInt(setting("EVENTBUS_DELIVERY_CIRCUIT_FAILURE_THRESHOLD"));
        Duration minOpen = duration("EVENTBUS_DELIVERY_CIRCUIT_MIN_OPEN");
        String type = WebhookIT.unique("it.lateretry.t");
        String sub = WebhookIT.unique("late-retry-");
        AtomicInteger answered = new AtomicInteger();
        receiver.on(
                "/" + sub,
                c -> answered.incrementAndGet() <= threshold
                        ? WebhookReceiver.Answer.status(500)
                        : WebhookReceiver.Answer.ok());
        long retryMillis = minOpen.multipliedBy(2).toMillis();
        webhook(
                sub,
                type,
                ",\"retryPolicy\":{\"initialDelayMillis\":" + retryMillis + ",\"multiplier\":1,\"maxDelayMillis\":"
                        + retryMillis + ",\"maxAttempts\":10}");
        List<String> ids = queuedWhilePaused(type, threshold, sub);

        change(sub, "resume");
        await(Duration.ofSeconds(15), "delivered once a retry fell due", () -> allDelivered(ids, sub));
        List<WebhookReceiver.Call> calls = receiver.calls("/" + sub);
        List<Integer> answers =
                calls.stream().map(WebhookReceiver.Call::answered).toList();
        List<Integer> expected = new ArrayList<>();
        ids.forEach(id -> expected.add(500));
        ids.forEach(id -> expected.add(200));
        assertEquals(expected, answers);
        Duration waited =
                Duration.between(calls.get(0).at(), calls.get(threshold).at());
        Duration earliest = Duration.ofMillis(retryMillis * 8 / 10);
        assertTrue(
                within(waited, earliest, Duration.ofMillis(retryMillis).plus(LATE)),
                "the probe went out when the first retry fell due (retries " + retryMillis + " ms - 20 %): " + waited);
    }

    @Test
    void aSlowReceiverHasExactlyMaxConcurrencyCallsInFlightAtMost() {
        String type = WebhookIT.unique("it.concurrency.t");
        String sub = WebhookIT.unique("concurrency-");
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        receiver.on("/" + sub, c -> {
            most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            inFlight.decrementAndGet();
            return WebhookReceiver.Answer.ok();
        });
        webhook(sub, type, ",\"maxConcurrency\":3");
        List<String> ids = queuedWhilePaused(type, 15, sub);

        change(sub, "resume");
        await(Duration.ofSeconds(30), "every event delivered", () -> allDelivered(ids, sub));
        assertEquals(3, most.get(), "calls in flight at once, at most");
        assertEquals(ids.size(), receiver.calls("/" + sub).size());
    }

    @Test
    void maxRatePerSecondLetsOneSecondsWorthGoAtOnceAndTheRestAtThatRate() {
        double rate = 4;
        int burst = (int) Math.max(1, rate);
        String type = WebhookIT.unique("it.rate.t");
        String sub = WebhookIT.unique("rate-");
        webhook(sub, type, ",\"maxRatePerSecond\":4");
        List<String> ids = queuedWhilePaused(type, 12, sub);

        change(sub, "resume");
        await(Duration.ofSeconds(30), "every event delivered", () -> allDelivered(ids, sub));
        List<Instant> at = arrivals(sub);
        assertEquals(ids.size(), at.size());
        // a token bucket holding one second's worth, full when the subscription resumes: any calls i..j may
        // number at most burst + rate * (t_j - t_i); 0.15 s covers the spread between taking a token and arriving
        for (int i = 0; i < at.size(); i++) {
            for (int j = i + 1; j < at.size(); j++) {
                double seconds = Duration.between(at.get(i), at.get(j)).toNanos() / 1e9;
                assertTrue(
                        j - i + 1 <= burst + rate * (seconds + 0.15),
                        (j - i + 1) + " calls within " + seconds + " s: " + at);
            }
        }
        Duration span = Duration.between(at.get(0), at.get(at.size() - 1));
        Duration atTheRate = Duration.ofMillis((long) ((at.size() - 1) / rate * 1000));
        assertTrue(span.compareTo(atTheRate.plusSeconds(1)) <= 0, "and not much slower than the rate: " + span);
    }

    @Test
    void aRetryAfterHttpDateOn429HoldsTheNextAttemptUntilThatTime() {
        String type = WebhookIT.unique("it.retrydate.t");
        String sub = WebhookIT.unique("retry-date-");
        AtomicReference<Instant> asked = new AtomicReference<>();
        receiver.on("/" + sub, c -> {
            Instant at = Instant.now().plusSeconds(3).truncatedTo(ChronoUnit.SECONDS);
            return asked.compareAndSet(null, at)
                    ? new WebhookReceiver.Answer(429, null, 0, HTTP_DATE.format(at))
                    : WebhookReceiver.Answer.ok();
        });
        Subscriptions.webhook(sub, type, receiver.url("/" + sub), "ordered", 5);
        String id = Subscriptions.publish(type, null, "{\"n\":1}");

        await(Duration.ofSeconds(30), "delivered", () -> Subscriptions.state(id, sub)
                .equals("DELIVERED"));
        List<WebhookReceiver.Call> calls = receiver.calls("/" + sub, id);
        assertEquals(
                List.of(429, 200),
                calls.stream().map(WebhookReceiver.Call::answered).toList());
        Instant retried = calls.get(1).at();
        assertFalse(retried.isBefore(asked.get()), "retried at " + retried + ", asked for " + asked.get());
        assertTrue(retried.isBefore(asked.get().plus(LATE)), "retried at " + retried + ", asked for " + asked.get());
    }

    @Test
    void aRetryAfterInSecondsOn503HoldsTheNextAttemptThatLong() {
        String type = WebhookIT.unique("it.retry503.t");
        String sub = WebhookIT.unique("retry-503-");
        AtomicInteger n = new AtomicInteger();
        receiver.on(
                "/" + sub,
                c -> n.incrementAndGet() == 1 ? new WebhookReceiver.Answer(503, 2, 0) : WebhookReceiver.Answer.ok());
        Subscriptions.webhook(sub, type, receiver.url("/" + sub), "ordered", 5);
        String id = Subscriptions.publish(type, null, "{\"n\":1}");

        await(Duration.ofSeconds(30), "delivered", () -> Subscriptions.state(id, sub)
                .equals("DELIVERED"));
        List<WebhookReceiver.Call> calls = receiver.calls("/" + sub, id);
        assertEquals(
                List.of(503, 200),
                calls.stream().map(WebhookReceiver.Call::answered).toList());
        Duration gap = Duration.between(calls.get(0).at(), calls.get(1).at());
        assertTrue(within(gap, Duration.ofSeconds(2), Duration.ofSeconds(2).plus(LATE)), "waited " + gap);
    }
}
