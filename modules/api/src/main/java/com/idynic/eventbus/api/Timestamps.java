package com.idynic.eventbus.api;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAccessor;

/**
 * The one way the bus writes a point in time in its answers: ISO-8601 in UTC with exactly three fraction
 * digits, e.g. {@code 2026-11-27T17:29:43.700Z} (never {@code 17:29:43.7Z}, never {@code 17:29:43Z}, never
 * microseconds), so clients can compare and parse them with one pattern.
 *
 * @since 0.4.0
 */
public final class Timestamps {
    private static final DateTimeFormatter MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Timestamps() {}

    /**
     * @param t an {@link Instant} or a date-time with an offset (e.g. {@code OffsetDateTime})
     * @return {@code t} in UTC with milliseconds, sub-millisecond digits dropped
     */
    public static String format(TemporalAccessor t) {
        return MILLIS.format(t);
    }

    /** @return {@code t} cut to the millisecond, as {@link #format} shows it */
    public static Instant millis(Instant t) {
        return t.truncatedTo(ChronoUnit.MILLIS);
    }
}
