package com.idynic.eventbus.bench;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/** How the report writes figures: a dash for a figure that is missing or not a number. */
final class Format {
    private Format() {}

    static String met(double value, double target, boolean atLeast) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "–";
        }
        return (atLeast ? value >= target : value <= target) ? "yes" : "**no**";
    }

    static double d(Object v) {
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    static double rate(LoadResult a, double b) {
        return a == null ? Double.NaN : a.perSecond() / b;
    }

    static String rate(LoadResult a) {
        return a == null ? "–" : rate(a.perSecond());
    }

    static String rate(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "–" : String.format(Locale.ROOT, "%,.0f", v);
    }

    static String ms(LoadResult a, double percentile) {
        return a == null ? "–" : ms(a.percentileMs(percentile));
    }

    static String ms(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.1f", v);
    }

    static String sec(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.1f", v);
    }

    /** @return a count or mean with one decimal */
    static String tenths(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "–" : String.format(Locale.ROOT, "%.1f", v);
    }

    static String mib(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.0f", v);
    }

    static String cores(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.2f", v);
    }

    static String ratio(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "–" : String.format(Locale.ROOT, "%.2f×", v);
    }

    static String num(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "–" : round(v);
    }

    /** @return {@code d} with at most 4 decimals (1 from 100 on), no exponent */
    static String round(double d) {
        return BigDecimal.valueOf(d)
                .setScale(Math.abs(d) >= 100 ? 1 : 4, RoundingMode.HALF_UP)
                .stripTrailingZeros()
                .toPlainString();
    }
}
