package com.idynic.eventbus.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The soak test's verdict: each watched series is flat when its least-squares slope over the second half of the load
 * stays under a limit and, for backlogs and lags, its end (the median of the last minute's samples) stays small; and
 * the ledger lost nothing and saw nothing out of order.
 */
record SoakVerdict(double minutes, double rate, double achieved, List<Check> checks, FaultVerdict ledger) {
    /** One series: {@code start} is the first sample, {@code end} the median of the last six. */
    record Check(String series, double start, double end, double slopePerMinute, double maxSlope, double maxEnd) {
        boolean passed() {
            return slopePerMinute <= maxSlope && (Double.isNaN(maxEnd) || end <= maxEnd);
        }

        String text() {
            return String.format(
                    Locale.ROOT,
                    "%s %.1f→%.1f (%+.3f/min, limit %s%s)",
                    series,
                    start,
                    end,
                    slopePerMinute,
                    num(maxSlope),
                    Double.isNaN(maxEnd) ? "" : ", end ≤ " + num(maxEnd));
        }

        private static String num(double d) {
            return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
        }
    }

    /** The series watched, their limits and how to read them from a sample. */
    record Series(String name, ToDoubleFunction<SoakSampler.Sample> value, double maxSlope, double maxEnd) {}

    static final List<Series> SERIES = List.of(
            new Series("rss_mb", SoakSampler.Sample::rssMb, 1, Double.NaN),
            new Series("heap_after_gc_mb", SoakSampler.Sample::heapAfterGcMb, 1, Double.NaN),
            new Series("outbox_backlog", SoakSampler.Sample::outboxBacklog, 10, 1000),
            new Series("relay_lag_s", SoakSampler.Sample::relayLagSeconds, 0.1, 5),
            new Series("delivery_lag_s", SoakSampler.Sample::deliveryLagSeconds, 0.1, 10),
            new Series("cdi_lag_s", SoakSampler.Sample::cdiLagSeconds, 0.1, 10));

    /** @param load the samples taken while the load ran, in order */
    static SoakVerdict of(double minutes, double rate, List<SoakSampler.Sample> load, FaultVerdict ledger) {
        List<SoakSampler.Sample> half = load.subList(load.size() / 2, load.size());
        List<Check> checks = SERIES.stream().map(s -> check(s, load)).toList();
        SoakSampler.Sample a = half.get(0);
        SoakSampler.Sample b = load.get(load.size() - 1);
        double achieved = (b.accepted() - a.accepted()) / Math.max(1e-9, b.tSeconds() - a.tSeconds());
        return new SoakVerdict(minutes, rate, achieved, checks, ledger);
    }

    /** @return the series checked over the samples taken while the load ran (those it could not read, -1, left out) */
    static Check check(Series s, List<SoakSampler.Sample> load) {
        List<SoakSampler.Sample> read =
                load.stream().filter(x -> s.value().applyAsDouble(x) >= 0).toList();
        List<SoakSampler.Sample> last = read.subList(Math.max(0, read.size() - 6), read.size());
        return new Check(
                s.name(),
                s.value().applyAsDouble(read.get(0)),
                median(last.stream().mapToDouble(s.value()).toArray()),
                slopePerMinute(read.subList(read.size() / 2, read.size()), s.value()),
                s.maxSlope(),
                s.maxEnd());
    }

    /** @return the least-squares slope of {@code value} over time, per minute */
    static double slopePerMinute(List<SoakSampler.Sample> samples, ToDoubleFunction<SoakSampler.Sample> value) {
        int n = samples.size();
        double mx = samples.stream().mapToDouble(SoakSampler.Sample::tSeconds).sum() / n;
        double my = samples.stream().mapToDouble(value).sum() / n;
        double sxy = 0;
        double sxx = 0;
        for (SoakSampler.Sample s : samples) {
            double dx = s.tSeconds() - mx;
            sxy += dx * (value.applyAsDouble(s) - my);
            sxx += dx * dx;
        }
        return sxx == 0 ? 0 : sxy / sxx * 60;
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        java.util.Arrays.sort(v);
        return v.length == 0
                ? Double.NaN
                : v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    boolean passed() {
        return ledger.passed() && checks.stream().allMatch(Check::passed);
    }

    /** @return the one-line verdict */
    String line() {
        List<String> parts = new ArrayList<>();
        for (Check c : checks) {
            parts.add((c.passed() ? "" : "NOT FLAT ") + c.text());
        }
        return String.format(
                Locale.ROOT,
                "%s soak %.0f min at %.0f ev/s (accepted %.0f ev/s in the second half): %s; ledger: %s",
                passed() ? "PASS" : "FAIL",
                minutes,
                rate,
                achieved,
                String.join(", ", parts),
                ledger.line());
    }
}
