package com.idynic.eventbus.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.idynic.eventbus.admin.spi.AlertStore;
import com.idynic.eventbus.subscribers.WebhookSignature;
import com.idynic.eventbus.testing.SettableClock;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertNotifierTest {
    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    record Call(URI target, Map<String, String> headers, String body) {}

    final SettableClock clock = SettableClock.at("2026-12-10T12:00:00Z");
    final InMemoryAlertStore store = new InMemoryAlertStore();
    final List<Call> calls = new ArrayList<>();
    /** The answers to give, in order: an HTTP status, or an IOException to throw. */
    final Deque<Object> answers = new ArrayDeque<>();

    final AlertNotifier notifier = new AlertNotifier(
            store,
            (target, headers, body) -> {
                calls.add(new Call(target, headers, body));
                Object next = answers.isEmpty() ? 204 : answers.poll();
                if (next instanceof IOException e) {
                    throw e;
                }
                return (Integer) next;
            },
            new AlertNotifier.Settings(Duration.ofSeconds(10), 3),
            clock);

    void firing(String ruleId) {
        if (store.rules.get(ruleId) == null) {
            store.create(
                    new AlertRule(
                            ruleId,
                            "DLQ of billing",
                            AlertMetric.DEAD_LETTER_QUEUE_SIZE,
                            AlertRule.Comparison.ABOVE,
                            100,
                            "billing",
                            Duration.ZERO,
                            true,
                            "https://ops.example/alerts",
                            AlertRule.State.OK,
                            clock.instant(),
                            clock.instant(),
                            clock.instant()),
                    SECRET);
        }
        AlertRule.State from = store.rules.get(ruleId).state();
        AlertRule.State to = from == AlertRule.State.FIRING ? AlertRule.State.OK : AlertRule.State.FIRING;
        store.transition(new AlertStore.Transition(
                ruleId,
                from,
                to,
                clock.instant(),
                to == AlertRule.State.FIRING ? AlertEvent.Kind.FIRING : AlertEvent.Kind.RESOLVED,
                130.0,
                "dead_letter_queue_size of subscription billing is 130 (> 100)"));
    }

    @Test
    void aNotificationIsPostedAsJsonSignedLikeADeliveryWithTheRulesSecret() {
        firing("dlq");

        assertEquals(1, notifier.sendDue());

        Call c = calls.get(0);
        assertEquals(URI.create("https://ops.example/alerts"), c.target());
        assertEquals("alert-1", c.headers().get("webhook-id"));
        assertEquals("firing", c.headers().get("eventbus-alert"));
        assertEquals(
                String.valueOf(clock.instant().getEpochSecond()), c.headers().get("webhook-timestamp"));
        assertTrue(WebhookSignature.verify(
                SECRET,
                "alert-1",
                c.headers().get("webhook-timestamp"),
                c.body(),
                c.headers().get("webhook-signature")));
        JsonObject body = Json.createReader(new StringReader(c.body())).readObject();
        assertEquals("alert.firing", body.getString("type"));
        assertEquals("alert-1", body.getString("id"));
        assertEquals("2026-12-10T12:00:00.000Z", body.getString("at"));
        assertEquals(130.0, body.getJsonNumber("value").doubleValue());
        assertEquals(
                "dead_letter_queue_size of subscription billing > 100",
                body.getJsonObject("rule").getString("condition"));
        assertEquals("billing", body.getJsonObject("rule").getString("subscription"));
        assertEquals(AlertEvent.Notification.SENT, store.events.get(0).notification());
        assertEquals(0, notifier.sendDue(), "sent once");
    }

    @Test
    void aFailedNotificationIsTriedAgainAfterFiveSecondsThenTenAndGivenUpAfterTheLastAttempt() {
        firing("dlq");
        answers.addAll(List.of(500, new IOException("refused"), 503));

        notifier.sendDue();
        assertEquals("HTTP 500", store.events.get(0).notifyError());
        clock.advance(Duration.ofMillis(4_999));
        assertEquals(0, notifier.sendDue());
        assertEquals(1, calls.size());
        clock.advance(Duration.ofMillis(1));
        notifier.sendDue();
        assertEquals("connection failed", store.events.get(0).notifyError());
        clock.advance(Duration.ofSeconds(10));
        notifier.sendDue();

        assertEquals(3, calls.size());
        AlertEvent e = store.events.get(0);
        assertEquals(AlertEvent.Notification.FAILED, e.notification());
        assertEquals(3, e.notifyAttempts());
        assertEquals("HTTP 503", e.notifyError());
        clock.advance(Duration.ofHours(1));
        assertEquals(0, notifier.sendDue());
    }

    @Test
    void aRulesLaterNotificationWaitsForItsEarlierOne() {
        firing("dlq");
        firing("dlq");
        answers.add(500);

        notifier.sendDue();
        assertEquals(
                List.of("firing"),
                calls.stream().map(c -> c.headers().get("eventbus-alert")).toList());
        clock.advance(Duration.ofSeconds(5));
        notifier.sendDue();
        notifier.sendDue();

        assertEquals(
                List.of("firing", "firing", "resolved"),
                calls.stream().map(c -> c.headers().get("eventbus-alert")).toList());
    }

    @Test
    void theNotificationOfADeletedRuleIsGivenUpWithoutACall() {
        firing("dlq");
        store.delete("dlq");

        assertEquals(0, notifier.sendDue());

        assertEquals(List.of(), calls);
        assertEquals(AlertEvent.Notification.FAILED, store.events.get(0).notification());
    }
}
