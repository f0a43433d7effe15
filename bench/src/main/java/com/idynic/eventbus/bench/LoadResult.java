package com.idynic.eventbus.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * One measured load point: successful operations (202 for a publish, no exception for an anchor) in the
 * window, their latency, and everything else counted apart.
 *
 * @param clients closed-loop clients (0 for an open loop)
 * @param seconds the measured window
 * @param ok successful operations that completed in the window
 * @param unitsPerOp events (rows, messages) per operation: 100 for a batch, 1 otherwise
 * @param latencyMicros latency of the successful operations
 * @param otherStatuses count per answer that was not a success (HTTP status; 429 is the bus refusing)
 * @param errors operations that threw (timeouts, refused connections)
 * @param firstError the first such exception, or null
 * @param usage Liberty's and the machine's use of memory and CPU in the window, or null
 */
record LoadResult(
        int clients,
        double seconds,
        long ok,
        int unitsPerOp,
        Histogram latencyMicros,
        Map<Integer, Long> otherStatuses,
        long errors,
        String firstError,
        Usage usage) {

    /** @return events (rows, messages) per second */
    double perSecond() {
        return seconds <= 0 ? Double.NaN : ok * (double) unitsPerOp / seconds;
    }

    /** @return the latency at this percentile (0-100) in milliseconds, NaN without samples */
    double percentileMs(double percentile) {
        return latencyMicros.getTotalCount() == 0
                ? Double.NaN
                : latencyMicros.getValueAtPercentile(percentile) / 1000.0;
    }

    long status(int code) {
        return otherStatuses.getOrDefault(code, 0L);
    }

    /** @return answers that were neither the success status nor 429 */
    long otherThan429() {
        return otherStatuses.entrySet().stream()
                .filter(e -> e.getKey() != 429)
                .mapToLong(Map.Entry::getValue)
                .sum();
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("clients", clients);
        m.put("seconds", seconds);
        m.put("ok", ok);
        if (unitsPerOp != 1) {
            m.put("unitsPerOp", unitsPerOp);
            m.put("opsPerSecond", seconds <= 0 ? Double.NaN : ok / seconds);
        }
        m.put("perSecond", perSecond());
        m.put("p50Ms", percentileMs(50));
        m.put("p99Ms", percentileMs(99));
        m.put("p999Ms", percentileMs(99.9));
        m.put("maxMs", latencyMicros.getTotalCount() == 0 ? Double.NaN : latencyMicros.getMaxValue() / 1000.0);
        Map<String, Object> statuses = new TreeMap<>();
        otherStatuses.forEach((k, v) -> statuses.put(String.valueOf(k), v));
        m.put("otherStatuses", statuses);
        m.put("errors", errors);
        if (firstError != null) {
            m.put("firstError", firstError);
        }
        if (usage != null) {
            m.put("usage", usage.toMap());
        }
        return m;
    }

    /**
     * @return the points added up as one longer point: operations, seconds, answers and errors summed, latencies
     *     merged, usage weighted by each point's seconds (null when any point has none)
     */
    static LoadResult sum(java.util.List<LoadResult> points) {
        Histogram h = histogram();
        Map<Integer, Long> statuses = new TreeMap<>();
        long ok = 0;
        long errors = 0;
        double seconds = 0;
        String firstError = null;
        for (LoadResult p : points) {
            h.add(p.latencyMicros);
            p.otherStatuses.forEach((k, v) -> statuses.merge(k, v, Long::sum));
            ok += p.ok;
            errors += p.errors;
            seconds += p.seconds;
            firstError = firstError != null ? firstError : p.firstError;
        }
        LoadResult first = points.get(0);
        return new LoadResult(
                first.clients,
                seconds,
                ok,
                first.unitsPerOp,
                h,
                statuses,
                errors,
                firstError,
                Usage.weighted(points.stream().map(LoadResult::usage).toList()));
    }

    static Histogram histogram() {
        return new Histogram(120_000_000L, 3);
    }
}
