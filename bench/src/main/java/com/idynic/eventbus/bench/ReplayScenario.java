package com.idynic.eventbus.bench;

import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Replay: the catch-up backlog replayed to a new pull subscription at the highest rate budget the API takes
 * (10,000 events/s), pulled 500 at a time and acknowledged, until every event arrived; compared with a raw
 * Kafka consumer reading as many records.
 */
final class ReplayScenario {
    private static final int MAX_RATE = 10_000;
    private static final int PULL_BATCH = 500;

    private final Bench b;

    ReplayScenario(Bench b) {
        this.b = b;
    }

    void run() throws Exception {
        Backlog backlog = b.backlog;
        if (backlog == null || backlog.events() == 0) {
            b.results.note("replay skipped: the catch-up scenario published no backlog to replay");
            return;
        }
        String id = b.subscriptionId("replay");
        try {
            b.bus.pullSubscription(id, backlog.type());
            String body = "{\"from\":\"" + backlog.from() + "\",\"to\":\"" + backlog.to() + "\",\"eventTypes\":["
                    + JsonOut.quote(backlog.type()) + "],\"ratePerSecond\":" + MAX_RATE + "}";
            ProcessSampler.Window usage = b.sampler.start();
            long t0 = System.nanoTime();
            JsonObject job = Json.object(BusClient.expect(b.bus.post("/v1/subscriptions/" + id + "/replays", body), 202)
                    .body());
            String replayId = Json.string(job, "id").orElse("?");
            long want = backlog.events();
            Set<String> seen = new HashSet<>();
            long last = t0;
            long deadline = t0 + Duration.ofSeconds(120 + want / 50).toNanos();
            PullClient client = new PullClient(b.bus, id, PULL_BATCH);
            while (seen.size() < want && System.nanoTime() < deadline) {
                List<String> ids = client.pull();
                if (!ids.isEmpty()) {
                    seen.addAll(ids);
                    last = System.nanoTime();
                    client.ack(ids);
                }
            }
            Usage used = usage.stop();
            double seconds = Math.max(1e-3, (last - t0) / 1e9);
            b.results.put("bus.replay.events", (long) seen.size());
            b.results.put("bus.replay.seconds", seconds);
            b.results.put("bus.replay.perSecond", seen.size() / seconds);
            b.results.put("bus.replay.usage", used);
            b.results.put("bus.replay.ratePerSecondBudget", MAX_RATE);
            HttpResponse<String> state = b.bus.get("/v1/subscriptions/" + id + "/replays/" + replayId);
            if (state.statusCode() == 200) {
                JsonObject s = Json.object(state.body());
                b.results.put("bus.replay.readFrom", Json.string(s, "readFrom").orElse("?"));
                b.results.put("bus.replay.state", Json.string(s, "state").orElse("?"));
            }
            b.results.put(
                    "bus.replay.ratioToKafkaConsumer",
                    seen.size() / seconds / b.results.number("anchors.kafka.consume.perSecond"));
            if (seen.size() < want) {
                b.results.note("replay: " + seen.size() + " of " + want + " events arrived before the deadline");
            }
        } finally {
            b.bus.deleteSubscription(id);
        }
    }
}
