package com.idynic.eventbus.bench;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.HdrHistogram.Histogram;

/**
 * Publishes at a fixed rate whatever the answers do (open loop): event i is due at {@code start + i / rate},
 * sent then with {@link BusClient#publishAsync}; its end-to-end latency is its arrival minus that due time (not
 * the send time), so a bus that falls behind shows up as latency instead of as a lower rate.
 */
final class OpenLoop {
    /** How long after its due time an event may arrive and still count as delivered. */
    static final Duration DELIVERY_LIMIT = Duration.ofSeconds(30);

    private final Bench b;
    private final double rate;
    private final String type;
    private final String tag;

    /** What was sent: ids, due times, answers. Events before {@link #measuredFrom} are the warm-up. */
    static final class Outcome {
        final String[] ids;
        final long[] due;
        final AtomicIntegerArray status;
        final int measuredFrom;
        final long nanoAtStart;
        final Instant wallAtStart;
        final Histogram publishMicros = LoadResult.histogram();
        final Map<Integer, Long> otherStatuses = new HashMap<>();
        final AtomicLong errors = new AtomicLong();
        long skipped;
        double measuredSeconds;
        Usage usage;
        String firstError;

        Outcome(int n, int measuredFrom, long nanoAtStart, Instant wallAtStart) {
            this.ids = new String[n];
            this.due = new long[n];
            this.status = new AtomicIntegerArray(n);
            this.measuredFrom = measuredFrom;
            this.nanoAtStart = nanoAtStart;
            this.wallAtStart = wallAtStart;
        }

        /** @return {@link System#nanoTime()} of a wall-clock instant (from another process on this machine) */
        long toNanoTime(Instant wall) {
            return nanoAtStart + Duration.between(wallAtStart, wall).toNanos();
        }

        boolean accepted(int i) {
            return status.get(i) == 202;
        }
    }

    OpenLoop(Bench b, double rate, String type, String tag) {
        this.b = b;
        this.rate = rate;
        this.type = type;
        this.tag = tag;
    }

    /** Sends for the warm-up and the measured window, then waits for the last answers (at most 30 s). */
    Outcome publish() throws InterruptedException {
        int warm = (int) Math.round(rate * b.plan.warmupSeconds());
        int n = warm + (int) Math.round(rate * b.plan.measureSeconds());
        long interval = (long) (1e9 / rate);
        // far more in flight than the rate needs means the bus is far behind: count the rest as skipped
        long maxInFlight = Math.max(256, (long) (rate / 2));
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        Outcome o = new Outcome(n, warm, System.nanoTime(), Instant.now());
        AtomicInteger inFlight = new AtomicInteger();
        ProcessSampler.Window usage = null;
        for (int i = 0; i < n; i++) {
            long due = start + i * interval;
            ClosedLoop.sleepUntil(due);
            if (i == warm) {
                usage = b.sampler.start();
            }
            String id = b.payloads.nextId(tag);
            o.ids[i] = id;
            o.due[i] = due;
            if (inFlight.get() >= maxInFlight) {
                o.skipped++;
                continue;
            }
            send(o, i, id, due, inFlight);
        }
        long end = start + n * interval;
        ClosedLoop.sleepUntil(end);
        o.usage = usage == null ? null : usage.stop();
        o.measuredSeconds = (end - (start + warm * interval)) / 1e9;
        Waits.until(DELIVERY_LIMIT, Duration.ofMillis(50), () -> inFlight.get() == 0);
        return o;
    }

    private void send(Outcome o, int i, String id, long due, AtomicInteger inFlight) {
        inFlight.incrementAndGet();
        CompletableFuture<HttpResponse<Void>> f;
        try {
            f = b.bus.publishAsync("/v1/events", b.payloads.envelope(type, id, Bench.idNumber(id)));
        } catch (Exception e) {
            inFlight.decrementAndGet();
            failed(o, e);
            return;
        }
        f.whenComplete((r, e) -> {
            long took = System.nanoTime() - due;
            inFlight.decrementAndGet();
            if (e != null) {
                failed(o, e);
                return;
            }
            o.status.set(i, r.statusCode());
            synchronized (o) {
                if (i >= o.measuredFrom) {
                    if (r.statusCode() == 202) {
                        o.publishMicros.recordValue(Math.min(took / 1000, o.publishMicros.getHighestTrackableValue()));
                    } else {
                        o.otherStatuses.merge(r.statusCode(), 1L, Long::sum);
                    }
                }
            }
        });
    }

    private static void failed(Outcome o, Throwable e) {
        o.errors.incrementAndGet();
        synchronized (o) {
            if (o.firstError == null) {
                o.firstError = e.toString();
            }
        }
    }

    /**
     * Waits until every accepted event of the measured window arrived, or until 30 s after the last one was
     * due, and reports the latency of those that arrived within 30 s of their due time.
     *
     * @param arrivals the arrival ({@link System#nanoTime()}) of an event id, or null; called repeatedly
     * @param refresh called before each look at the arrivals (e.g. to fetch a list), may be a no-op
     * @param poll how often to look
     */
    static Map<String, Object> deliveries(
            Outcome o, Function<String, Long> arrivals, Waits.Condition refresh, Duration poll)
            throws InterruptedException {
        int n = o.ids.length;
        long limit = DELIVERY_LIMIT.toNanos();
        long lastDue = n == 0 ? System.nanoTime() : o.due[n - 1];
        long waitNanos = Math.max(0, lastDue + limit - System.nanoTime());
        Waits.until(Duration.ofNanos(waitNanos), poll, () -> {
            refresh.met();
            for (int i = o.measuredFrom; i < n; i++) {
                if (o.accepted(i) && arrivals.apply(o.ids[i]) == null) {
                    return false;
                }
            }
            return true;
        });
        Histogram h = LoadResult.histogram();
        long accepted = 0;
        long late = 0;
        for (int i = o.measuredFrom; i < n; i++) {
            if (!o.accepted(i)) {
                continue;
            }
            accepted++;
            Long at = arrivals.apply(o.ids[i]);
            if (at == null || at - o.due[i] > limit) {
                late++;
            } else {
                h.recordValue(Math.max(0, Math.min((at - o.due[i]) / 1000, h.getHighestTrackableValue())));
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("delivered", h.getTotalCount());
        m.put("notDeliveredWithin30s", late);
        m.put("p50Ms", ms(h, 50));
        m.put("p99Ms", ms(h, 99));
        m.put("p999Ms", ms(h, 99.9));
        m.put("maxMs", h.getTotalCount() == 0 ? Double.NaN : h.getMaxValue() / 1000.0);
        m.put("acceptedInWindow", accepted);
        return m;
    }

    /** @return the sending side: target and achieved rate, answers, publish latency (due time to 202) */
    Map<String, Object> publishFigures(Outcome o) {
        long accepted = 0;
        for (int i = o.measuredFrom; i < o.ids.length; i++) {
            if (o.accepted(i)) {
                accepted++;
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("targetPerSecond", rate);
        m.put("sent", o.ids.length - o.measuredFrom);
        m.put("acceptedPerSecond", accepted / o.measuredSeconds);
        synchronized (o) {
            m.put("publishP50Ms", ms(o.publishMicros, 50));
            m.put("publishP99Ms", ms(o.publishMicros, 99));
            Map<String, Object> statuses = new LinkedHashMap<>();
            o.otherStatuses.forEach((k, v) -> statuses.put(String.valueOf(k), v));
            m.put("otherStatuses", statuses);
        }
        m.put("errors", o.errors.get());
        m.put("skippedClientBacklog", o.skipped);
        if (o.firstError != null) {
            m.put("firstError", o.firstError);
        }
        if (o.usage != null) {
            m.put("usage", o.usage.toMap());
        }
        return m;
    }

    /**
     * @param figures a rate point's {@link #publishFigures} and {@link #deliveries}
     * @return why higher rates are not worth running (the bus did not keep up at this one), or null
     */
    static String saturated(Map<String, Object> figures, double rate) {
        double acceptedPerSecond = ((Number) figures.get("acceptedPerSecond")).doubleValue();
        long accepted = ((Number) figures.get("acceptedInWindow")).longValue();
        long late = ((Number) figures.get("notDeliveredWithin30s")).longValue();
        if (acceptedPerSecond < 0.8 * rate) {
            return "only " + Math.round(acceptedPerSecond) + " of " + Math.round(rate) + " events/s were accepted";
        }
        if (late > 0.1 * accepted) {
            return late + " of " + accepted + " accepted events were not delivered within 30 s";
        }
        return null;
    }

    static double ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1000.0;
    }
}
