package com.idynic.eventbus.bench;

import java.util.List;

/**
 * How long and how big each phase is. {@link #QUICK} fits a 2-core machine in about five minutes end to end
 * (servers started included); {@link #FULL} takes 20 to 30 minutes.
 *
 * @param warmupSeconds per load point, not measured
 * @param measureSeconds per load point, measured
 * @param publishClients closed-loop clients of the bus's durable publish
 * @param anchorClients closed-loop clients of the Kafka, RabbitMQ and NATS anchors
 * @param pgClients closed-loop clients of the raw PostgreSQL one-row insert
 * @param latencyRates open-loop publish rates (events/s) of the latency scenario
 * @param backlog most events published to paused subscriptions (catch-up) and replayed (replay)
 * @param backlogFixed whether {@link #backlog} is used as is ({@code --backlog}); otherwise the backlog is what
 *     the bus delivers in {@link #backlogSeconds} at its measured steady rate, at most {@link #backlog}
 * @param backlogSeconds see {@link #backlogFixed}
 * @param costEvents most events published per run of the per-event cost scenario
 * @param costSeconds the cost scenario publishes what the bus delivers in this many seconds (at most
 *     {@link #costEvents}, at least 200)
 * @param idleSeconds the window in which the cost scenario measures the bus's idle transactions
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
        int idleSeconds) {

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
            5);

    static final Plan FULL = new Plan(
            3,
            15,
            List.of(1, 8, 32, 128),
            List.of(1, 8, 32),
            List.of(1, 8, 32, 128),
            List.of(500, 1000, 2000),
            100_000,
            false,
            120,
            5_000,
            10,
            10);

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
                idleSeconds);
    }

    long warmupNanos() {
        return (long) (warmupSeconds * 1e9);
    }

    long measureNanos() {
        return (long) (measureSeconds * 1e9);
    }
}
