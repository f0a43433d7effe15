package com.idynic.eventbus.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * What delivering to the co-deployed CDI observer costs the publishers: single publishes of {@code user.created}
 * at {@value #CLIENTS} clients (closed loop) with the example's subscription active, then with it paused (its
 * events queue up and nothing is delivered); the ratio of the two rates. The two points alternate for {@value
 * #ROUNDS} rounds (active, paused, active, paused) and each side's rounds are added up, so a drift in the
 * machine (autovacuum after the previous scenario, a warming JIT) does not land on one side only; each round's
 * rates are kept too. Every point starts with the outbox and the subscription drained; each paused point's
 * backlog is delivered after its resume.
 */
final class CdiPublishScenario {
    static final int CLIENTS = 32;
    static final int ROUNDS = 2;
    private static final String KEY = "bus.cdi.publish";

    private final Bench b;
    private final CdiSubscription cdi;

    CdiPublishScenario(Bench b) {
        this.b = b;
        this.cdi = new CdiSubscription(b);
    }

    void run() throws Exception {
        cdi.ready("CDI publish");
        List<LoadResult> active = new ArrayList<>();
        List<LoadResult> paused = new ArrayList<>();
        double drainSeconds = 0;
        for (int round = 1; round <= ROUNDS; round++) {
            b.settleOrNote("CDI publish, active, round " + round);
            cdi.awaitIdle("CDI publish, active, round " + round);
            active.add(b.loop.run(CLIENTS, b.publisher(CdiSubscription.TYPE, "cdipa" + round), 202, 1, b.plan));
            int r = round;
            cdi.whilePaused(() -> {
                b.settleOrNote("CDI publish, paused, round " + r);
                paused.add(b.loop.run(CLIENTS, b.publisher(CdiSubscription.TYPE, "cdipp" + r), 202, 1, b.plan));
            });
            long t0 = System.nanoTime();
            if (cdi.awaitIdle("after CDI publish, round " + round)) {
                drainSeconds = Math.max(drainSeconds, (System.nanoTime() - t0) / 1e9);
            }
            b.results.put(
                    KEY + ".rounds." + round + ".activePerSecond",
                    active.get(round - 1).perSecond());
            b.results.put(
                    KEY + ".rounds." + round + ".pausedPerSecond",
                    paused.get(round - 1).perSecond());
        }
        LoadResult a = LoadResult.sum(active);
        LoadResult p = LoadResult.sum(paused);
        b.results.put(KEY + ".active", a);
        b.results.put(KEY + ".paused", p);
        b.results.put(KEY + ".ratio", a.perSecond() / p.perSecond());
        b.results.put(KEY + ".pausedBacklogDrainSeconds", drainSeconds);
    }
}
