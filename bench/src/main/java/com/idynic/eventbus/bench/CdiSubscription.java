package com.idynic.eventbus.bench;

import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The co-deployed example app's subscription ({@code profile-service}: its CDI observers of {@code user.created}
 * and {@code order.placed}, ordered) as the CDI scenarios drive it: is it there and working, how much does it
 * still owe (its open delivery rows), and pause/resume around a body that always ends resumed. Progress is read
 * from the bus's delivery rows, not from the example's {@code /api/received}, which lists every call ever made.
 */
final class CdiSubscription {
    static final String ID = "profile-service";
    static final String TYPE = CdiLatencyScenario.TYPE;

    private final Bench b;

    CdiSubscription(Bench b) {
        this.b = b;
    }

    /**
     * Checks that the subscription exists and is active, that nothing is left over from earlier scenarios (waits
     * for its open rows to drain, noting when they do not), and that a probe event reaches the observer.
     *
     * @param what the scenario, for notes and errors
     */
    void ready(String what) throws Exception {
        HttpResponse<String> r = b.bus.get("/v1/subscriptions/" + ID);
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET /v1/subscriptions/" + ID + " answered " + r.statusCode()
                    + " (is the example app profile-service deployed?)");
        }
        JsonObject s = Json.object(r.body());
        String state = Json.string(s, "state").orElse("?");
        if (!"active".equals(state)) {
            b.results.note(what + ": subscription " + ID + " was " + state + "; resumed");
            b.bus.resume(ID);
            Thread.sleep(BusClient.PROPAGATION_MILLIS);
        }
        b.settleOrNote(what);
        awaitIdle(what);
        String id = b.payloads.nextId("cdiprobe");
        BusClient.expect(b.bus.post("/v1/events", b.payloads.envelope(TYPE, id, Bench.idNumber(id))), 202);
        Waits.require(
                "the probe event " + id + " delivered to " + ID,
                Duration.ofSeconds(60),
                Duration.ofMillis(100),
                () -> "DELIVERED".equals(b.db.deliveryState(ID, id)));
    }

    /** @return the subscription's open delivery rows (queued, leased, waiting for a retry) */
    long open() throws java.sql.SQLException {
        return b.db.openDeliveries(ID);
    }

    /**
     * Waits until the subscription owes nothing (no open rows), at most 3 minutes (quick) or 15 (full), and
     * gives up early when its open rows did not shrink for a minute (a stuck observer).
     *
     * @return whether it got there; when not, a note says how much was left
     */
    boolean awaitIdle(String what) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + Duration.ofMinutes(b.options.quick() ? 3 : 15).toNanos();
        long stall = Duration.ofMinutes(1).toNanos();
        long least = Long.MAX_VALUE;
        long leastAt = start;
        while (true) {
            long open;
            try {
                open = open();
            } catch (java.sql.SQLException e) {
                open = -1;
            }
            long now = System.nanoTime();
            if (open == 0) {
                return true;
            }
            if (open > 0 && open < least) {
                least = open;
                leastAt = now;
            }
            if (now > deadline || now - leastAt > stall) {
                b.results.note(what + ": subscription " + ID + " still had "
                        + (least == Long.MAX_VALUE ? "an unknown number of" : String.valueOf(least))
                        + " open deliveries when the wait for it to drain ended");
                return false;
            }
            Thread.sleep(250);
        }
    }

    /** Runs {@code body} with the subscription paused (taking effect on every server first), then resumes it. */
    void whilePaused(Bench.Body body) throws Exception {
        pause();
        try {
            body.run();
        } finally {
            resume();
        }
    }

    /** Pauses the subscription (as the admin) and waits until every server has seen it. */
    void pause() throws Exception {
        b.bus.pause(ID);
        Thread.sleep(BusClient.PROPAGATION_MILLIS);
    }

    /** Resumes the subscription, trying 5 times: a subscription left paused would void every later CDI figure. */
    void resume() throws Exception {
        java.io.IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                b.bus.resume(ID);
                return;
            } catch (java.io.IOException e) {
                last = e;
                Thread.sleep(1000);
            }
        }
        b.results.note("could not resume subscription " + ID + ": later CDI figures are void");
        throw last;
    }
}
