package com.idynic.eventbus.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Ordered against unordered pull: two pull subscriptions of one type get the same backlog (the plan's pull
 * backlog over {@value Plan#KEYS} keys), then each is drained in turn by the same clients ({@value #CLIENTS}
 * threads, each pulling up to {@value #MAX_EVENTS} events and acknowledging what it got in one request) until
 * every event was acknowledged; drain rates from the first pull to the last acknowledgement, and their ratio.
 */
final class PullDrainScenario {
    static final String TYPE = "bench.pull";
    static final int CLIENTS = 4;
    static final int MAX_EVENTS = 100;
    private static final String KEY = "bus.pull";

    private final Bench b;

    PullDrainScenario(Bench b) {
        this.b = b;
    }

    void run() throws Exception {
        b.bus.ensureSchema(TYPE);
        String uid = b.subscriptionId("pull-unordered");
        String oid = b.subscriptionId("pull-ordered");
        try {
            b.bus.pullSubscription(uid, TYPE, "unordered");
            b.bus.pullSubscription(oid, TYPE, "ordered");
            Thread.sleep(BusClient.PROPAGATION_MILLIS);
            b.settleOrNote("pull drain");
            long base = b.db.lastDeliveryId();
            long events =
                    Backlog.publish(b, KEY, TYPE, "pull", b.plan.pullBacklog()).events();
            long q0 = System.nanoTime();
            Waits.require(
                    "delivery rows for the pull backlog",
                    Duration.ofSeconds(60 + events / 200),
                    Duration.ofMillis(500),
                    () -> b.db.deliveriesAfter(uid, base) >= events && b.db.deliveriesAfter(oid, base) >= events);
            b.results.put(KEY + ".queuedSecondsAfterPublish", (System.nanoTime() - q0) / 1e9);
            double unordered = drain("unordered", uid, events);
            double ordered = drain("ordered", oid, events);
            b.results.put(KEY + ".ratio", ordered / unordered);
        } finally {
            b.bus.deleteSubscription(uid);
            b.bus.deleteSubscription(oid);
        }
        b.settleOrNote("after pull drain");
    }

    /** @return the drain rate, events per second */
    private double drain(String mode, String id, long events) throws Exception {
        String key = KEY + "." + mode;
        Set<String> acked = ConcurrentHashMap.newKeySet();
        AtomicLong pulls = new AtomicLong();
        AtomicLong emptyPulls = new AtomicLong();
        AtomicLong lastAck = new AtomicLong();
        AtomicLong unsettled = new AtomicLong();
        AtomicReference<Exception> failure = new AtomicReference<>();
        Duration timeout = Duration.ofSeconds(120 + events / 100);
        long t0 = System.nanoTime();
        long deadline = t0 + timeout.toNanos();
        ProcessSampler.Window usage = b.sampler.start();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            Thread t = new Thread(
                    () -> {
                        PullClient client = new PullClient(b.bus, id, MAX_EVENTS);
                        try {
                            while (acked.size() < events && System.nanoTime() < deadline && failure.get() == null) {
                                List<String> ids = client.pull();
                                pulls.incrementAndGet();
                                if (ids.isEmpty()) {
                                    emptyPulls.incrementAndGet();
                                    continue;
                                }
                                unsettled.addAndGet(ids.size() - client.ack(ids));
                                acked.addAll(ids);
                                lastAck.accumulateAndGet(System.nanoTime(), Math::max);
                            }
                        } catch (Exception e) {
                            failure.compareAndSet(null, e);
                        }
                    },
                    "pull-" + mode + "-" + i);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            // a pull waits at most 1 s and every request times out after 30 s: the threads end soon after the deadline
            t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000) + 35_000);
        }
        Usage used = usage.stop();
        if (failure.get() != null) {
            throw failure.get();
        }
        long got = acked.size();
        double seconds = Math.max(1e-3, ((got > 0 ? lastAck.get() : System.nanoTime()) - t0) / 1e9);
        double rate = got / seconds;
        b.results.put(key + ".events", got);
        b.results.put(key + ".drainSeconds", seconds);
        b.results.put(key + ".drainPerSecond", rate);
        b.results.put(key + ".pulls", pulls.get());
        b.results.put(key + ".emptyPulls", emptyPulls.get());
        b.results.put(key + ".eventsPerPull", got / (double) Math.max(1, pulls.get() - emptyPulls.get()));
        b.results.put(key + ".ackedButNotSettled", unsettled.get());
        b.results.put(key + ".usage", used);
        if (got < events) {
            b.results.note("pull drain " + mode + ": " + got + " of " + events + " events acknowledged within "
                    + timeout.toSeconds() + " s");
        }
        return rate;
    }
}
