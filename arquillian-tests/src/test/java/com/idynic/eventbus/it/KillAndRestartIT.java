package com.idynic.eventbus.it;

import static com.idynic.eventbus.it.Stack.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The server is killed (kill -9) in the middle of webhook delivery and restarted: nothing is lost. */
class KillAndRestartIT {
    @RegisterExtension
    static final WebhookReceiver receiver = new WebhookReceiver();

    static Optional<ProcessHandle> liberty() {
        String wlp = Path.of(System.getProperty("wlpHome")).toAbsolutePath().toString();
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").contains("ws-server.jar"))
                .filter(p -> p.info().commandLine().orElse("").contains(wlp))
                .findFirst();
    }

    @Test
    void everyEventReachesEverySubscriptionAfterAKillDashNineMidDelivery() throws Exception {
        String type = WebhookIT.unique("it.crash.t");
        String sub = WebhookIT.unique("crash-");
        receiver.on("/" + sub, c -> new WebhookReceiver.Answer(200, null, 150));
        Subscriptions.create(
                sub,
                "{\"eventTypes\":[\"" + type + "\"],\"target\":{\"type\":\"webhook\",\"url\":\""
                        + receiver.url("/" + sub)
                        + "\",\"timeoutMillis\":2000},\"ordering\":\"unordered\",\"maxConcurrency\":2,"
                        + "\"retryPolicy\":{\"initialDelayMillis\":200,\"maxDelayMillis\":2000,\"maxAttempts\":100}}");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ids.add(Subscriptions.publish(type, "k" + (i % 7), "{\"i\":" + i + "}"));
        }
        await(
                Duration.ofSeconds(60),
                "delivery under way",
                () -> receiver.calls("/" + sub).size() >= 4);

        ProcessHandle server = liberty().orElseThrow(() -> new AssertionError("Liberty process not found"));
        assertTrue(server.destroyForcibly(), "kill -9");
        server.onExit().get();
        int before = receiver.calls("/" + sub).size();
        assertTrue(before < ids.size(), "killed mid-delivery (" + before + " of " + ids.size() + " delivered)");

        Process restart = new ProcessBuilder(System.getProperty("wlpHome") + "/bin/server", "start", "eventbus")
                .inheritIO()
                .start();
        assertEquals(0, restart.waitFor());
        await(Duration.ofSeconds(180), "server ready again", () -> {
            try {
                return Stack.get("/health/ready").statusCode() == 200;
            } catch (RuntimeException e) {
                return false;
            }
        });
        await(Duration.ofSeconds(180), "every event delivered after the restart", () -> {
            Set<String> got = new HashSet<>();
            receiver.calls("/" + sub).stream().filter(c -> c.answered() == 200).forEach(c -> got.add(c.id()));
            return got.containsAll(ids);
        });
        long calls = receiver.calls("/" + sub).stream()
                .filter(c -> c.answered() == 200)
                .count();
        System.out.printf(
                "kill -9 test: %d events, %d delivered before the kill, %d deliveries in all, %d duplicates%n",
                ids.size(), before, calls, calls - ids.size());
        await(
                Duration.ofSeconds(60),
                "example app subscribed again",
                () -> Stack.get("/v1/subscriptions/profile-service").statusCode() == 200);
    }
}
