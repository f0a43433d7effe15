package com.idynic.eventbus.bench;

import jakarta.json.JsonObject;
import java.net.http.HttpResponse;

/**
 * The publish path alone (no subscription on the types): durable single publish per client count, batch
 * publish, and the two ceilings (an open health check, an authenticated publish refused with 400) that say how
 * much of a publish's cost is the HTTP stack and authentication.
 */
final class PublishScenarios {
    static final String TYPE = "bench.publish";
    static final String BATCH_TYPE = "bench.batch";
    static final int CEILING_CLIENTS = 16;
    /** A static file served by Liberty from the console's module (its favicon). */
    static final String STATIC_FILE = "/admin/favicon.svg";

    private final Bench b;

    PublishScenarios(Bench b) {
        this.b = b;
    }

    /**
     * Publishes at 8 clients for a while before anything of the bus is measured: Liberty compiles its hot
     * paths in the first minute under load, and the first scenario should not pay for that alone.
     */
    void warmUp() throws Exception {
        double seconds = b.plan.measureSeconds() <= 5 ? 20 : 60;
        b.results.put(
                "bus.warmup.c8",
                b.loop.run(8, b.publisher(TYPE, "warm"), 202, 1, b.plan.with(0, seconds, b.plan.backlog(), true)));
    }

    void durable() throws Exception {
        for (int clients : b.plan.publishClients()) {
            b.settleOrNote("publish c" + clients);
            b.results.put("bus.publish.c" + clients, b.loop.run(clients, b.publisher(TYPE, "pub"), 202, 1, b.plan));
        }
    }

    /**
     * {@code POST /v1/events/batch} with {@value Plan#BATCH_SIZE} envelopes at {@value Plan#BATCH_CLIENTS} clients;
     * skipped with a note while the bus has no such endpoint (404 or 405).
     */
    void batch() throws Exception {
        if (!b.batchAvailable()) {
            return;
        }
        b.settleOrNote("batch");
        b.results.put(
                "bus.batch.c" + Plan.BATCH_CLIENTS,
                b.loop.run(
                        Plan.BATCH_CLIENTS,
                        i -> () -> b.bus.postStatus(
                                "/v1/events/batch", b.payloads.batch(BATCH_TYPE, "bat", Plan.BATCH_SIZE)),
                        202,
                        Plan.BATCH_SIZE,
                        b.plan));
    }

    void ceilings() throws Exception {
        b.settleOrNote("ceilings");
        // the reference: a static file of the console's web module (the cheapest answer Liberty gives here)
        b.results.put(
                "bus.ceiling.staticFile",
                b.loop.run(CEILING_CLIENTS, i -> () -> b.bus.getOpenStatus(STATIC_FILE), 200, 1, b.plan));
        LoadResult live = b.loop.run(CEILING_CLIENTS, i -> () -> b.bus.getOpenStatus("/health/live"), 200, 1, b.plan);
        b.results.put("bus.ceiling.healthLive", live);
        String invalid = Payloads.invalid();
        LoadResult refused =
                b.loop.run(CEILING_CLIENTS, i -> () -> b.bus.postStatus("/v1/events", invalid), 400, 1, b.plan);
        b.results.put("bus.ceiling.invalidPublish", refused);
        b.results.put("bus.ceiling.ratio", refused.perSecond() / live.perSecond());
    }

    /**
     * Sends one batch to find out whether the bus has the batch endpoint.
     *
     * @return whether it answered 202 (with {@code receipts})
     */
    static boolean probeBatch(Bench b) throws Exception {
        HttpResponse<String> r = b.bus.post("/v1/events/batch", b.payloads.batch(BATCH_TYPE, "bat", Plan.BATCH_SIZE));
        if (r.statusCode() == 404 || r.statusCode() == 405) {
            b.results.note("POST /v1/events/batch answered " + r.statusCode()
                    + ": the bus has no batch publish yet; batch figures skipped, the catch-up backlog published"
                    + " with single publishes at 32 clients");
            return false;
        }
        BusClient.expect(r, 202);
        JsonObject o = Json.object(r.body());
        int receipts = Json.array(o, "receipts").size();
        if (receipts != Plan.BATCH_SIZE) {
            b.results.note("POST /v1/events/batch answered 202 with " + receipts + " receipts for " + Plan.BATCH_SIZE
                    + " events");
        }
        return true;
    }
}
