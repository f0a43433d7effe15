package com.idynic.eventbus.bench;

/**
 * What delivering to the co-deployed CDI observer costs the publishers: single publishes of {@code user.created}
 * at {@value #CLIENTS} clients (closed loop) with the example's subscription active, then with it paused (its
 * events queue up and nothing is delivered); the ratio of the two rates. The paused point's backlog is delivered
 * after the resume, before the next scenario.
 */
final class CdiPublishScenario {
    static final int CLIENTS = 32;
    private static final String KEY = "bus.cdi.publish";

    private final Bench b;
    private final CdiSubscription cdi;

    CdiPublishScenario(Bench b) {
        this.b = b;
        this.cdi = new CdiSubscription(b);
    }

    void run() throws Exception {
        cdi.ready("CDI publish");
        LoadResult active = b.loop.run(CLIENTS, b.publisher(CdiSubscription.TYPE, "cdipa"), 202, 1, b.plan);
        b.results.put(KEY + ".active", active);
        LoadResult[] paused = new LoadResult[1];
        cdi.whilePaused(() -> {
            b.settleOrNote("CDI publish, paused");
            paused[0] = b.loop.run(CLIENTS, b.publisher(CdiSubscription.TYPE, "cdipp"), 202, 1, b.plan);
        });
        b.results.put(KEY + ".paused", paused[0]);
        b.results.put(KEY + ".ratio", active.perSecond() / paused[0].perSecond());
        long t0 = System.nanoTime();
        if (cdi.awaitIdle("after CDI publish")) {
            b.results.put(KEY + ".pausedBacklogDrainSeconds", (System.nanoTime() - t0) / 1e9);
        }
    }
}
