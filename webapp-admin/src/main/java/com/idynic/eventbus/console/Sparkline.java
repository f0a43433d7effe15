package com.idynic.eventbus.console;

import com.idynic.eventbus.admin.FigureHistory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * One figure's chart of the last hour as an inline SVG path (drawn by the browser, no script): time across from an
 * hour ago to now, the value up from the chart's floor to its top; a gap where the figure had no value (no attempts in
 * the window); a dashed line at the alert threshold when it falls inside the chart.
 *
 * @param id the chart's element id suffix
 * @param label what it shows, for screen readers
 * @param path the SVG path ({@code M x y L x y ...}) in a {@link #WIDTH} × {@link #HEIGHT} box; empty without samples
 * @param lastX the last point's x, or null
 * @param lastY the last point's y, or null
 * @param thresholdY the alert threshold's y, or null when it is outside the chart or there is none
 * @param top the value at the chart's top, as text
 * @param bottom the value at the chart's floor, as text
 * @param points how many samples carry a value
 * @param since how far back the chart reaches, e.g. {@code 60 min ago}: the span, or since the first sample of a
 *     server that started later (at least {@link #LEAST_SPAN}, so a young history is not squeezed into one edge)
 */
public record Sparkline(
        String id,
        String label,
        String path,
        String lastX,
        String lastY,
        String thresholdY,
        String top,
        String bottom,
        int points,
        String since) {
    /** The drawing box. */
    public static final int WIDTH = 300;

    public static final int HEIGHT = 64;

    /** The least time a chart spans. */
    static final Duration LEAST_SPAN = Duration.ofMinutes(5);

    /**
     * @param value the figure in a sample, or null where it has none
     * @param format a value as text, e.g. {@code 12.5/s}
     * @param threshold the alert threshold, or null
     * @param floor the least floor (e.g. 99 for a success rate in percent; 0 for counts), lowered to the least value
     * @param fixedTop the chart's top whatever the values (100 for a percentage), or null to fit the largest value
     */
    static Sparkline of(
            String id,
            String label,
            List<FigureHistory.Sample> samples,
            Instant now,
            Duration span,
            Function<FigureHistory.Sample, Double> value,
            Function<Double, String> format,
            Double threshold,
            double floor,
            Double fixedTop) {
        double lo = floor;
        double hi = fixedTop == null ? 0 : fixedTop;
        int points = 0;
        for (FigureHistory.Sample s : samples) {
            Double v = value.apply(s);
            if (v != null) {
                points++;
                lo = Math.min(lo, v);
                hi = fixedTop == null ? Math.max(hi, v) : hi;
            }
        }
        if (fixedTop == null) {
            hi = hi <= lo ? lo + 1 : lo + (hi - lo) * 1.15;
        }
        Instant start = now.minus(span);
        if (!samples.isEmpty() && samples.get(0).at().isAfter(start)) {
            Instant first = samples.get(0).at();
            start = first.isBefore(now.minus(LEAST_SPAN)) ? first : now.minus(LEAST_SPAN);
            span = Duration.between(start, now);
        }
        StringBuilder path = new StringBuilder();
        boolean pen = false;
        String lastX = null;
        String lastY = null;
        for (FigureHistory.Sample s : samples) {
            Double v = value.apply(s);
            if (v == null) {
                pen = false;
                continue;
            }
            double x = WIDTH * (double) Duration.between(start, s.at()).toMillis() / span.toMillis();
            lastX = n(Math.max(0, Math.min(WIDTH, x)));
            lastY = n(y(v, lo, hi));
            path.append(pen ? " L" : (path.isEmpty() ? "M" : " M"))
                    .append(lastX)
                    .append(' ')
                    .append(lastY);
            pen = true;
        }
        String thresholdY = threshold != null && threshold >= lo && threshold <= hi ? n(y(threshold, lo, hi)) : null;
        return new Sparkline(
                id,
                label,
                path.toString(),
                lastX,
                lastY,
                thresholdY,
                format.apply(hi),
                format.apply(lo),
                points,
                Math.max(1, Math.round(span.toSeconds() / 60.0)) + " min ago");
    }

    private static double y(double v, double lo, double hi) {
        return (HEIGHT - 2) - (HEIGHT - 4) * (v - lo) / (hi - lo);
    }

    private static String n(double d) {
        return String.format(Locale.ROOT, "%.1f", d);
    }

    /** @return whether the chart has a line to draw (two samples at least) */
    public boolean isDrawn() {
        return points >= 2;
    }
}
