package com.idynic.eventbus.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lag over time: accepted and delivered counts sampled during a load, and whether the lag (accepted, not yet
 * delivered) stayed flat. Flat means that its least-squares growth over the measured window is at most
 * {@value #FLAT_SHARE} of the accepted rate: a receiver that keeps up to within 5 % leaves a lag that grows by
 * at most one second of publishing every 20 seconds.
 */
final class LagSeries {
    static final double FLAT_SHARE = 0.05;

    /**
     * One sample.
     *
     * @param seconds since the load started
     * @param accepted events accepted by then
     * @param queued events the dispatcher had queued for the receiver by then (delivered or not): the rest of the
     *     lag is still in the outbox or Kafka
     * @param delivered events delivered by then
     */
    record Sample(double seconds, long accepted, long queued, long delivered) {
        long lag() {
            return Math.max(0, accepted - delivered);
        }
    }

    private final List<Sample> samples = new ArrayList<>();

    synchronized void add(Sample s) {
        samples.add(s);
    }

    synchronized List<Sample> samples() {
        return List.copyOf(samples);
    }

    /** @return the samples from {@code from} to {@code to} seconds (both included) */
    synchronized List<Sample> between(double from, double to) {
        return samples.stream()
                .filter(s -> s.seconds() >= from && s.seconds() <= to)
                .toList();
    }

    /** @return the least-squares slope of the lag over these samples, events per second; NaN for fewer than 2 */
    static double growthPerSecond(List<Sample> window) {
        int n = window.size();
        if (n < 2) {
            return Double.NaN;
        }
        double mt = 0;
        double ml = 0;
        for (Sample s : window) {
            mt += s.seconds();
            ml += s.lag();
        }
        mt /= n;
        ml /= n;
        double cov = 0;
        double var = 0;
        for (Sample s : window) {
            cov += (s.seconds() - mt) * (s.lag() - ml);
            var += (s.seconds() - mt) * (s.seconds() - mt);
        }
        return var == 0 ? Double.NaN : cov / var;
    }

    /** @return whether a lag growing by {@code growthPerSecond} is flat next to {@code acceptedPerSecond} */
    static boolean flat(double growthPerSecond, double acceptedPerSecond) {
        return growthPerSecond <= FLAT_SHARE * acceptedPerSecond;
    }

    /**
     * @return the samples as maps for the JSON file ({@code t}, {@code accepted}, {@code queued}, {@code delivered},
     *     {@code lag})
     */
    synchronized List<Map<String, Object>> toList() {
        List<Map<String, Object>> out = new ArrayList<>(samples.size());
        for (Sample s : samples) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("t", s.seconds());
            m.put("accepted", s.accepted());
            m.put("queued", s.queued());
            m.put("delivered", s.delivered());
            m.put("lag", s.lag());
            out.add(m);
        }
        return out;
    }
}
