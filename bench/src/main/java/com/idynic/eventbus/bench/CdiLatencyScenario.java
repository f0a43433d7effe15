package com.idynic.eventbus.bench;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Open-loop publish → CDI observer latency, to the co-deployed example app ({@code examples/profile-service},
 * its {@code user.created} observer). It needs the time each call was received, from {@code GET
 * /profile-service/api/received}: a {@code receivedAt} per call (ISO-8601 instant, or epoch milliseconds as a
 * number) or {@code receivedAtEpochMicros}. Without one the scenario reports "not measured".
 */
final class CdiLatencyScenario {
    static final String TYPE = "user.created";
    static final String RECEIVED = "/profile-service/api/received";

    private final Bench b;
    private final Map<String, Instant> received = new ConcurrentHashMap<>();

    CdiLatencyScenario(Bench b) {
        this.b = b;
    }

    void run() throws Exception {
        String why = probe();
        if (why != null) {
            b.results.put("bus.latency.cdi.measured", false);
            b.results.put("bus.latency.cdi.reason", why);
            b.results.note("CDI latency not measured: " + why);
            return;
        }
        b.results.put("bus.latency.cdi.measured", true);
        for (int rate : b.plan.latencyRates()) {
            b.settleOrNote("CDI latency " + rate + "/s");
            OpenLoop loop = new OpenLoop(b, rate, TYPE, "cdi" + rate);
            OpenLoop.Outcome o = loop.publish();
            Map<String, Object> m = loop.publishFigures(o);
            m.putAll(OpenLoop.deliveries(
                    o,
                    id -> {
                        Instant at = received.get(id);
                        return at == null ? null : o.toNanoTime(at);
                    },
                    () -> {
                        fetch();
                        return true;
                    },
                    Duration.ofSeconds(1)));
            b.results.put("bus.latency.cdi.r" + rate, m);
            String saturated = OpenLoop.saturated(m, rate);
            if (saturated != null) {
                b.results.note("CDI latency: rates above " + rate + "/s skipped, the bus did not keep up at " + rate
                        + "/s (" + saturated + ")");
                break;
            }
        }
    }

    /** @return null when receive times can be read, otherwise why not */
    private String probe() throws Exception {
        HttpResponse<String> r = b.bus.get(RECEIVED);
        if (r.statusCode() != 200) {
            return "GET " + RECEIVED + " answered " + r.statusCode() + " (is the example app deployed?)";
        }
        String id = b.payloads.nextId("cdiprobe");
        BusClient.expect(b.bus.post("/v1/events", b.payloads.envelope(TYPE, id, Bench.idNumber(id))), 202);
        JsonObject[] call = new JsonObject[1];
        boolean seen = Waits.until(Duration.ofSeconds(15), Duration.ofMillis(250), () -> {
            for (JsonValue v : Json.array(Json.object(b.bus.get(RECEIVED).body()), "calls")) {
                if (v instanceof JsonObject c
                        && id.equals(Json.string(c, "eventId").orElse(""))) {
                    call[0] = c;
                    return true;
                }
            }
            return false;
        });
        if (!seen) {
            return "the probe event " + id + " did not reach the profile-service observer within 15 s";
        }
        if (receivedAt(call[0]) == null) {
            return "GET " + RECEIVED + " lists calls without a receive time (needs 'receivedAt', an ISO-8601"
                    + " instant with sub-millisecond digits, per call)";
        }
        return null;
    }

    private void fetch() throws Exception {
        HttpResponse<String> r = b.bus.get(RECEIVED);
        if (r.statusCode() != 200) {
            return;
        }
        for (JsonValue v : Json.array(Json.object(r.body()), "calls")) {
            if (v instanceof JsonObject c && !c.getBoolean("failed", false)) {
                String id = Json.string(c, "eventId").orElse(null);
                Instant at = receivedAt(c);
                if (id != null && at != null) {
                    received.putIfAbsent(id, at);
                }
            }
        }
    }

    static Instant receivedAt(JsonObject call) {
        JsonValue v = call.get("receivedAt");
        if (v instanceof JsonString s) {
            return Instant.parse(s.getString());
        }
        if (v instanceof JsonNumber n) {
            return Instant.ofEpochMilli(n.longValue());
        }
        if (call.get("receivedAtEpochMicros") instanceof JsonNumber n) {
            long micros = n.longValue();
            return Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1000);
        }
        return null;
    }
}
