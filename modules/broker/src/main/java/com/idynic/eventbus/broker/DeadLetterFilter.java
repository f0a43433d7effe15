package com.idynic.eventbus.broker;

import java.time.Instant;

/**
 * Which dead letters of a subscription a list, count, export or bulk redrive covers. Every part is optional
 * (null): no filter at all matches every dead letter.
 *
 * @param eventType only this event type
 * @param errorContains only those whose last error contains this text (case-insensitive)
 * @param deadFrom only those that entered the queue at or after this time
 * @param deadTo only those that entered the queue before this time
 * @since 0.9.0 (in {@code broker.spi} until 0.23.0: a query, not a storage record)
 */
public record DeadLetterFilter(String eventType, String errorContains, Instant deadFrom, Instant deadTo) {
    /** Matches every dead letter. */
    public static final DeadLetterFilter ALL = new DeadLetterFilter(null, null, null, null);

    /** Blank texts stand for "no condition". */
    public DeadLetterFilter {
        eventType = blankToNull(eventType);
        errorContains = blankToNull(errorContains);
    }

    /** @return a filter on type and error text only */
    public static DeadLetterFilter of(String eventType, String errorContains) {
        return new DeadLetterFilter(eventType, errorContains, null, null);
    }

    /** @return the filter in words, for audit records and logs, e.g. {@code type=order.created error~"503"} */
    public String describe() {
        StringBuilder b = new StringBuilder();
        if (eventType != null) {
            b.append("type=").append(eventType).append(' ');
        }
        if (errorContains != null) {
            b.append("error~\"").append(errorContains).append("\" ");
        }
        if (deadFrom != null) {
            b.append("deadFrom=").append(deadFrom).append(' ');
        }
        if (deadTo != null) {
            b.append("deadTo=").append(deadTo).append(' ');
        }
        return b.isEmpty() ? "all" : b.toString().trim();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
