package com.idynic.eventbus.subscribers.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.idynic.eventbus.api.EventEnvelope;
import com.idynic.eventbus.api.PublishReceipt;
import com.idynic.eventbus.broker.AttemptResult;
import com.idynic.eventbus.broker.Decision;
import com.idynic.eventbus.broker.spi.DeliveryQueue;
import com.idynic.eventbus.broker.spi.Leased;
import com.idynic.eventbus.broker.spi.StoredEvent;
import jakarta.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeliveryLogTest {
    static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    static final Instant NOW = Instant.parse("2026-12-10T10:00:00Z");

    final Logger logger = Logger.getLogger(DeliveryLog.class.getName());
    final List<LogRecord> records = new CopyOnWriteArrayList<>();
    final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord r) {
            records.add(r);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeEach
    void listen() {
        logger.addHandler(handler);
    }

    @AfterEach
    void stop() {
        logger.removeHandler(handler);
    }

    static Leased leased(int attempt) {
        EventEnvelope e = EventEnvelope.of(
                "evt-7",
                "user.created",
                "user-service",
                Json.createObjectBuilder().add("n", 1).build(),
                Json.createObjectBuilder().add("traceparent", TRACEPARENT).build());
        PublishReceipt receipt = new PublishReceipt("evt-7", OffsetDateTime.now(), "rcpt-1");
        return new Leased(1L, "crm-hook", new StoredEvent(e, receipt, true), attempt, NOW, NOW, false);
    }

    static DeliveryQueue.Settlement failed(int attempt, Decision d) {
        AttemptResult r = new AttemptResult(
                AttemptResult.Outcome.FAILURE,
                NOW,
                Duration.ofMillis(12),
                "https://hooks.example.com/T0/B0/secret-token",
                503,
                null,
                null);
        return new DeliveryQueue.Settlement(leased(attempt), r, d);
    }

    @Test
    void aFailedAttemptThatWillBeRetriedIsOneInfoLineNamingEventTypeSubscriptionAndTraceId() {
        DeliveryLog.settled(failed(2, new Decision(Decision.Kind.RETRY, NOW.plusSeconds(2), "HTTP 503")));
        assertEquals(1, records.size());
        assertEquals(Level.INFO, records.get(0).getLevel());
        assertEquals(
                "delivery attempt failed, retrying at 2026-12-10T10:00:02Z: eventId=evt-7 eventType=user.created"
                        + " subscription=crm-hook traceId=4bf92f3577b34da6a3ce929d0e0e4736 attempt=2"
                        + " reason=\"HTTP 503\"",
                records.get(0).getMessage());
    }

    @Test
    void aDeadLetterIsAWarningWithTheSameFieldsAndNeverTheTargetUrl() {
        DeliveryLog.settled(
                failed(5, new Decision(Decision.Kind.DEAD, null, "retries exhausted after 5 attempts: HTTP 503")));
        assertEquals(1, records.size());
        assertEquals(Level.WARNING, records.get(0).getLevel());
        String line = records.get(0).getMessage();
        assertEquals(
                "delivery attempt failed, dead-lettered: eventId=evt-7 eventType=user.created subscription=crm-hook"
                        + " traceId=4bf92f3577b34da6a3ce929d0e0e4736 attempt=5"
                        + " reason=\"retries exhausted after 5 attempts: HTTP 503\"",
                line);
        assertFalse(line.contains("secret-token"), line);
    }

    @Test
    void aDeliveredAttemptWritesNothing() {
        DeliveryLog.settled(failed(1, new Decision(Decision.Kind.DELIVERED, null, null)));
        assertEquals(List.of(), records);
    }

    @Test
    void aSubscribersReasonCannotBreakTheLineOrItsQuotes() {
        String head = "db \"busy\"\nFAKE eventId=evt-0 ";
        String reason = head + "x".repeat(300);
        DeliveryLog.settled(failed(1, new Decision(Decision.Kind.RETRY, NOW, reason)));
        String line = records.get(0).getMessage();
        assertFalse(line.contains("\n"), line);
        assertEquals(
                "reason=\"db \\\"busy\\\"\\nFAKE eventId=evt-0 " + "x".repeat(DeliveryLog.MAX_REASON - head.length())
                        + "…\"",
                line.substring(line.indexOf("reason=")));
    }
}
