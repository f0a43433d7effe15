package com.idynic.eventbus.bench;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * Catch-up: an unordered and an ordered (64 keys) webhook subscription are paused, a backlog is published
 * (batches when the bus has them, else single publishes at 32 clients), and once the dispatcher has queued it
 * (a delivery row per event and subscription) each is resumed in turn: its drain rate (events/s from resume to
 * the last arrival) is compared with the steady delivered rate of the keeps-up scenario.
 */
final class CatchUpScenario {
    static final String TYPE = "bench.catchup";

    private final Bench b;

    CatchUpScenario(Bench b) {
        this.b = b;
    }

    void run() throws Exception {
        Sink unordered = b.receiver.sink("catchup-unordered");
        Sink ordered = b.receiver.sink("catchup-ordered");
        String uid = b.subscriptionId("catchup-unordered");
        String oid = b.subscriptionId("catchup-ordered");
        try {
            b.bus.webhook(uid, TYPE, b.receiver.url(unordered), "unordered");
            b.bus.webhook(oid, TYPE, b.receiver.url(ordered), "ordered");
            b.probe(TYPE, unordered, ordered);
            b.bus.pause(uid);
            b.bus.pause(oid);
            b.settleOrNote("catch-up");
            long rowsU = rows(uid);
            long rowsO = rowsU < 0 ? -1 : rows(oid);
            long baseU = unordered.unique();
            long baseO = ordered.unique();
            Thread.sleep(BusClient.PROPAGATION_MILLIS);
            b.backlog = Backlog.publish(b, "bus.catchup", TYPE, "cu", b.backlogSize());
            long events = b.backlog.events();
            long t0 = System.nanoTime();
            awaitQueued(uid, rowsU, oid, rowsO, events);
            b.results.put("bus.catchup.queuedSecondsAfterPublish", (System.nanoTime() - t0) / 1e9);
            drain("unordered", uid, unordered, baseU, events);
            drain("ordered", oid, ordered, baseO, events);
        } finally {
            b.bus.deleteSubscription(uid);
            b.bus.deleteSubscription(oid);
            b.receiver.drop(unordered);
            b.receiver.drop(ordered);
        }
        b.settleOrNote("after catch-up");
    }

    /** @return the subscription's delivery rows, or -1 when the bus's table cannot be read */
    private long rows(String id) {
        try {
            return b.db.deliveries(id);
        } catch (java.sql.SQLException e) {
            b.results.note("catch-up: delivery rows not countable ("
                    + e.getMessage().lines().findFirst().orElse("")
                    + "); waited for an empty outbox and dispatcher lag instead");
            return -1;
        }
    }

    /**
     * Waits until the dispatcher stored a delivery row per backlog event for both subscriptions (counted in the
     * bus's table); when the table cannot be read, until the outbox and the dispatcher's Kafka lag are empty.
     */
    private void awaitQueued(String uid, long rowsU, String oid, long rowsO, long events) throws Exception {
        Duration timeout = Duration.ofSeconds(60 + events / 200);
        if (rowsU < 0 || rowsO < 0) {
            if (!b.settle(timeout)) {
                throw new TimeoutException("backlog not dispatched within " + timeout.toSeconds() + " s");
            }
            return;
        }
        Waits.require(
                "delivery rows for the backlog",
                timeout,
                Duration.ofMillis(500),
                () -> b.db.deliveries(uid) >= rowsU + events && b.db.deliveries(oid) >= rowsO + events);
    }

    private void drain(String mode, String id, Sink sink, long base, long events) throws Exception {
        String key = "bus.catchup." + mode;
        Duration timeout = Duration.ofSeconds(120 + events / 100);
        ProcessSampler.Window usage = b.sampler.start();
        long t0 = System.nanoTime();
        b.bus.resume(id);
        boolean all = Waits.until(timeout, Duration.ofMillis(20), () -> sink.unique() - base >= events);
        Usage used = usage.stop();
        long got = sink.unique() - base;
        double seconds = Math.max(1e-3, ((all ? sink.lastArrival() : System.nanoTime()) - t0) / 1e9);
        b.results.put(key + ".drainPerSecond", got / seconds);
        b.results.put(key + ".drainSeconds", seconds);
        b.results.put(key + ".delivered", got);
        b.results.put(key + ".redeliveries", sink.calls() - sink.unique());
        b.results.put(key + ".usage", used);
        double steady = b.results.number("bus.keepup." + mode + ".deliveredPerSecond");
        b.results.put(key + ".ratioToSteady", got / seconds / steady);
        if (!all) {
            b.results.note("catch-up " + mode + ": " + got + " of " + events + " delivered within "
                    + timeout.toSeconds() + " s");
        }
    }
}
