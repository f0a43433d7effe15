package com.idynic.eventbus.bench;

import java.util.List;

/**
 * How long and how big each phase is. {@link #QUICK} fits a 2-core machine in about eight minutes end to end
 * (servers started included); {@link #FULL} takes 30 minutes, 45 while the CDI observer delivers only a few hundred
 * events per second (its keep-up and drain scenarios wait for it).
 *
 * @param warmupSeconds per load point, not measured
 * @param measureSeconds per load point, measured
 * @param publishClients closed-loop clients of the bus's durable publish
 * @param anchorClients closed-loop clients of the Kafka, RabbitMQ and NATS anchors
 * @param pgClients closed-loop clients of the raw PostgreSQL one-row insert
 * @param latencyRates open-loop publish rates (events/s) of the latency scenario
 * @param backlog most events published to paused subscriptions (catch-up, then the CDI drain with the same size)
 *     and replayed (replay)
 * @param backlogFixed whether {@link #backlog} is used as is (the full run, or {@code --backlog}); otherwise the
 *     backlog is what the bus delivers in {@link #backlogSeconds} at its measured steady rate, at most
 *     {@link #backlog}
 * @param backlogSeconds see {@link #backlogFixed}
 * @param costEvents most events published per run of the per-event cost scenario
 * @param costSeconds the cost scenario publishes what the bus delivers in this many seconds (at most
 *     {@link #costEvents}, at least 200)
 * @param idleSeconds the window in which the cost scenario measures the bus's idle transactions
 * @param cdiKeepUpSeconds the measured window of batch publishing in the CDI keep-up scenario
 * @param pullBacklog events published to the two pull subscriptions of the ordered/unordered pull drain
 */
record Plan(
        double warmupSeconds,
        double measureSeconds,
        List<Integer> publishClients,
        List<Integer> anchorClients,
        List<Integer> pgClients,
        List<Integer> latencyRates,
        int backlog,
        boolean backlogFixed,
        int backlogSeconds,
        int costEvents,
        int costSeconds,
        int idleSeconds,
        int cdiKeepUpSeconds,
        int pullBacklog) {

    static final Plan QUICK = new Plan(
            1,
            3,
            List.of(1, 8, 32),
            List.of(1, 8, 32),
            List.of(1, 8, 32),
            List.of(500, 1000),
            10_000,
            false,
            15,
            500,
            2,
            5,
            5,
            10_000);

    static final Plan FULL = new Plan(
            3,
            15,
            List.of(1, 8, 32, 128),
            List.of(1, 8, 32),
            List.of(1, 8, 32, 128),
            List.of(500, 1000, 2000),
            100_000,
            true,
            120,
            5_000,
            10,
            10,
            30,
            20_000);

    /** Clients of the fan-out, keeps-up and cost scenarios. */
    static final int FAN_CLIENTS = 16;

    /** Clients of the batch publish and of the raw PostgreSQL 100-rows-per-transaction anchor. */
    static final int BATCH_CLIENTS = 8;

    /** Events per batch request, rows per transaction. */
    static final int BATCH_SIZE = 100;

    /** Ordering keys of every bus publish ({@code metadata.partitionKey}); the ordered subscriptions see 64 keys. */
    static final int KEYS = 64;

    Plan with(double warmup, double measure, int backlogEvents, boolean fixed) {
        return new Plan(
                warmup,
                measure,
                publishClients,
                anchorClients,
                pgClients,
                latencyRates,
                backlogEvents,
                fixed,
                backlogSeconds,
                costEvents,
                costSeconds,
                idleSeconds,
                cdiKeepUpSeconds,
                pullBacklog);
    }

    /** @return this plan with another measured window (same warm-up) */
    Plan measuring(double seconds) {
        return with(warmupSeconds, seconds, backlog, backlogFixed);
    }

    long warmupNanos() {
        return (long) (warmupSeconds * 1e9);
    }

    long measureNanos() {
        return (long) (measureSeconds * 1e9);
    }
}
