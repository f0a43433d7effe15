package com.idynic.eventbus.it;

import static com.idynic.eventbus.it.Stack.await;
import static com.idynic.eventbus.it.Stack.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A replay outlives its server: killed (kill -9) in the middle of a page, it resumes after the restart. */
class ReplayRestartIT {
    @RegisterExtension
    static final WebhookReceiver receiver = new WebhookReceiver();

    /** @return state, done and total of a replay job as stored (readable while the server is down) */
    static String stored(String replayId) {
        try (var c = Stack.db();
                var ps = c.prepareStatement("select state, done, total from eb_replay where id = ?")) {
            ps.setString(1, replayId);
            try (var rs = ps.executeQuery()) {
                assertTrue(rs.next(), "replay " + replayId + " stored");
                return rs.getString("state") + " " + rs.getLong("done") + "/" + rs.getLong("total");
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static Set<String> replayed(String path) {
        return receiver.calls(path).stream()
                .filter(c -> c.replay() && c.answered() == 200)
                .map(WebhookReceiver.Call::id)
                .collect(Collectors.toSet());
    }

    @Test
    void aReplayKilledMidPageResumesAfterTheRestartAndQueuesEveryEvent() throws Exception {
        int n = 70;
        String type = WebhookIT.unique("it.replay.restart");
        List<String> history = ReplayIT.history(type, n, i -> "k" + i % 7);
        String sub = WebhookIT.unique("replay-restart-");
        String path = "/" + sub;
        Subscriptions.webhook(sub, type, receiver.url(path), "unordered", 5);
        // one page of 70 events read from the store; progress is recorded after 50 of them and at the page's end
        JsonObject job = ReplayIT.replay(
                sub, "{\"from\":\"" + history.get(0) + "\",\"source\":\"postgresql\",\"ratePerSecond\":20}", 202);
        String href = "/v1/subscriptions/" + sub + "/replays/" + job.getString("id");
        await(
                Duration.ofSeconds(30),
                "50 events queued and recorded",
                () -> json(Stack.get(href)).getInt("done") >= 50);

        ProcessHandle server =
                KillAndRestartIT.liberty().orElseThrow(() -> new AssertionError("Liberty process not found"));
        assertTrue(server.destroyForcibly(), "kill -9");
        server.onExit().get();
        String atKill = stored(job.getString("id"));
        int before = replayed(path).size();

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
        assertEquals("running 50/" + n, atKill, "killed after 50 of the page's " + n + " events were recorded");
        assertTrue(before < n, "killed mid-replay (" + before + " of " + n + " delivered)");
        JsonObject survived = json(Stack.get(href));
        assertEquals("running", survived.getString("state"), survived.toString());
        assertTrue(survived.getInt("done") >= 50, survived.toString());
        // another server takes a job over once its owner has been silent for 30 s
        await(Duration.ofSeconds(90), "the job taken up again", () -> {
            JsonObject p = json(Stack.get(href));
            return p.getInt("done") > 50 || !p.getString("state").equals("running");
        });
        JsonObject resumed = json(Stack.get(href));
        assertTrue(resumed.getInt("done") > 50, "the job went on queueing after the restart: " + resumed);
        await(Duration.ofSeconds(30), "the job done", () -> json(Stack.get(href))
                .getString("state")
                .equals("done"));
        JsonObject done = json(Stack.get(href));
        assertEquals(n, done.getInt("total"), done.toString());
        assertEquals(n, done.getInt("done"), "resumed after the last recorded event: " + done);
        await(Duration.ofSeconds(60), "every event replayed at least once", () -> replayed(path)
                .containsAll(history));
        await(
                Duration.ofSeconds(60),
                "example app subscribed again",
                () -> Stack.get("/v1/subscriptions/profile-service").statusCode() == 200);
    }
}
