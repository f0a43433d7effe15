package com.idynic.eventbus.it;

import static com.idynic.eventbus.it.Stack.await;
import static com.idynic.eventbus.it.Stack.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The server is killed (kill -9) while webhook calls are in flight and while the relay holds accepted events it
 * cannot send (Kafka stopped), then restarted: every event reaches the subscription, and the only events called
 * twice are those whose delivery was leased at the kill (at least once, duplicates bounded by what was in flight).
 */
class KillAndRestartIT {
    @RegisterExtension
    static final WebhookReceiver receiver = new WebhookReceiver();

    /** Events published with Kafka up, so their delivery rows exist before the kill. */
    static final int DISPATCHED = 30;

    /** Events published with Kafka stopped: accepted, and still in the outbox at the kill. */
    static final int IN_OUTBOX = 10;

    /** Calls the receiver answers before it holds every further call until the server is dead. */
    static final int ANSWERED = 4;

    /** The subscription's maxConcurrency: the number of calls held open, and of deliveries leased, at the kill. */
    static final int IN_FLIGHT = 2;

    static Optional<ProcessHandle> liberty() {
        String wlp = Path.of(System.getProperty("wlpHome")).toAbsolutePath().toString();
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").contains("ws-server.jar"))
                .filter(p -> p.info().commandLine().orElse("").contains(wlp))
                .findFirst();
    }

    static long deliveries(String subscription, String state) {
        return count(
                "select count(*) from " + Stack.DELIVERIES + " where subscription_id = ? and state = '" + state + "'",
                subscription);
    }

    static Set<String> leased(String subscription) throws SQLException {
        try (Connection c = Stack.db();
                PreparedStatement ps = c.prepareStatement(
                        "select event_id from eb_delivery where subscription_id = ? and state = 'LEASED'")) {
            ps.setString(1, subscription);
            Set<String> ids = new HashSet<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            return ids;
        }
    }

    static void restart() throws Exception {
        Process start = new ProcessBuilder(System.getProperty("wlpHome") + "/bin/server", "start", "eventbus")
                .inheritIO()
                .start();
        assertEquals(0, start.waitFor());
        await(Duration.ofSeconds(180), "server ready again", () -> {
            try {
                return Stack.get("/health/ready").statusCode() == 200;
            } catch (RuntimeException e) {
                return false;
            }
        });
    }

    @Test
    void afterAKillDashNineMidDeliveryAndMidRelayEveryEventArrivesAndOnlyLeasedOnesTwice() throws Exception {
        String type = WebhookIT.unique("it.crash.t");
        String sub = WebhookIT.unique("crash-");
        AtomicInteger arrived = new AtomicInteger();
        Set<String> held = ConcurrentHashMap.newKeySet();
        CountDownLatch killed = new CountDownLatch(1);
        receiver.on("/" + sub, c -> {
            if (killed.getCount() > 0 && arrived.incrementAndGet() > ANSWERED) {
                held.add(c.id());
                try {
                    killed.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return WebhookReceiver.Answer.ok();
        });
        Subscriptions.create(
                sub,
                "{\"eventTypes\":[\"" + type + "\"],\"target\":{\"type\":\"webhook\",\"url\":\""
                        + receiver.url("/" + sub)
                        + "\",\"timeoutMillis\":10000},\"ordering\":\"unordered\",\"maxConcurrency\":" + IN_FLIGHT
                        + ",\"retryPolicy\":{\"initialDelayMillis\":200,\"maxDelayMillis\":2000,\"maxAttempts\":100}}");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < DISPATCHED; i++) {
            ids.add(Subscriptions.publish(type, "k" + (i % 7), "{\"i\":" + i + "}"));
        }
        await(
                Duration.ofSeconds(60),
                "every event dispatched to the subscription",
                () -> count("select count(*) from " + Stack.DELIVERIES + " where subscription_id = ?", sub)
                        == DISPATCHED);
        await(
                Duration.ofSeconds(60),
                ANSWERED + " calls answered and " + IN_FLIGHT + " held open",
                () -> deliveries(sub, "DELIVERED") == ANSWERED && held.size() == IN_FLIGHT);

        ProcessHandle server = liberty().orElseThrow(() -> new AssertionError("Liberty process not found"));
        boolean kafkaStopped = false;
        Set<String> leasedAtKill;
        try {
            Stack.stopKafka();
            kafkaStopped = true;
            List<String> unsent = new ArrayList<>();
            for (int i = 0; i < IN_OUTBOX; i++) {
                unsent.add(Subscriptions.publish(type, "k" + (i % 7), "{\"late\":" + i + "}"));
            }
            ids.addAll(unsent);

            assertTrue(server.destroyForcibly(), "kill -9");
            server.onExit().get();

            leasedAtKill = leased(sub);
            assertEquals(held, leasedAtKill, "the deliveries leased at the kill are the calls held open");
            assertEquals(ANSWERED, deliveries(sub, "DELIVERED"), "answered calls were settled before the kill");
            for (String id : unsent) {
                assertEquals(1, count("select count(*) from eb_outbox where event_id = ?", id), "in the outbox");
            }
        } finally {
            killed.countDown();
            if (kafkaStopped) {
                Stack.control("kafka", "start");
            }
            if (liberty().isEmpty()) {
                restart();
            }
        }

        await(
                Duration.ofSeconds(180),
                "every event delivered after the restart",
                () -> deliveries(sub, "DELIVERED") == ids.size());
        Map<String, Long> calls = receiver.calls("/" + sub).stream()
                .filter(c -> c.answered() == 200)
                .collect(Collectors.groupingBy(WebhookReceiver.Call::id, Collectors.counting()));
        Map<String, Long> expected =
                ids.stream().collect(Collectors.toMap(Function.identity(), id -> leasedAtKill.contains(id) ? 2L : 1L));
        assertEquals(expected, calls, "each event once, those in flight at the kill twice");
        await(
                Duration.ofSeconds(60),
                "example app subscribed again",
                () -> Stack.get("/v1/subscriptions/profile-service").statusCode() == 200);
    }
}
