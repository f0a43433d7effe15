package com.idynic.eventbus.web;

import com.idynic.eventbus.api.CachedJson;
import com.idynic.eventbus.api.TraceContext;
import com.idynic.eventbus.broker.spi.Leased;
import com.idynic.eventbus.security.ServiceAccount;
import com.idynic.eventbus.subscribers.SubscriptionPulls;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The pull API's three calls (pull, ack, nack) read from their JSON bodies and answered as JSON: one reading for the
 * REST resource ({@link SubscriptionsResource}) and the in-process endpoint of co-deployed apps ({@link
 * InProcessPulls}), so both accept and answer exactly the same.
 */
final class PullCalls {
    /** Largest request body of a pull call. */
    static final long MAX_BODY = 64 * 1024;

    private PullCalls() {}

    /**
     * A pull's parameters: {@code {"maxEvents":10,"waitMillis":5000,"ackDeadlineMillis":30000}}.
     *
     * @param max most events to lease (1..500)
     * @param waitMillis how long to wait for the first (0..30,000)
     * @param deadlineMillis the lease length (1,000..600,000)
     */
    record Pull(int max, int waitMillis, int deadlineMillis) {
        static Pull of(JsonObject o) {
            return new Pull(
                    JsonBodies.intField(o, "maxEvents", 10, 1, 500),
                    JsonBodies.intField(o, "waitMillis", 0, 0, 30_000),
                    JsonBodies.intField(o, "ackDeadlineMillis", 30_000, 1_000, 600_000));
        }

        CompletableFuture<List<Leased>> ask(SubscriptionPulls pulls, ServiceAccount me, String id) {
            return pulls.pull(me, id, max, Duration.ofMillis(waitMillis), Duration.ofMillis(deadlineMillis));
        }
    }

    /**
     * @return {@code {"events":[{"event":{...},"traceparent":"...","attempt":1,"replay":false}]}}: each event with the
     *     {@code traceparent} of this delivery (the event's trace id, a new parent id)
     */
    static JsonObject events(List<Leased> got) {
        JsonArrayBuilder a = CachedJson.createArrayBuilder();
        for (Leased l : got) {
            a.add(CachedJson.createObjectBuilder()
                    .add("event", l.event().envelope().toJson())
                    .add(
                            TraceContext.HEADER,
                            TraceContext.forDelivery(l.event().envelope()).traceparent())
                    .add("attempt", l.attempt())
                    .add("replay", l.replay()));
        }
        return CachedJson.createObjectBuilder().add("events", a).build();
    }

    /** Acknowledges {@code {"eventIds":["evt-1"]}}; answers {@code {"settled":n}}. */
    static JsonObject ack(SubscriptionPulls pulls, ServiceAccount me, String id, JsonObject body) {
        List<String> ids = JsonBodies.strings(body, "eventIds", 500);
        return settled(pulls.ack(me, id, ids));
    }

    /** Negatively acknowledges {@code {"eventIds":["evt-1"],"reason":"...","reject":false}}; answers {@code {"settled":n}}. */
    static JsonObject nack(SubscriptionPulls pulls, ServiceAccount me, String id, JsonObject body) {
        List<String> ids = JsonBodies.strings(body, "eventIds", 500);
        String reason = JsonBodies.stringField(body, "reason", "nack");
        boolean reject = JsonBodies.boolField(body, "reject", false);
        return settled(pulls.nack(me, id, ids, reason, reject));
    }

    private static JsonObject settled(int n) {
        return CachedJson.createObjectBuilder().add("settled", n).build();
    }
}
