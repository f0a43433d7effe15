package com.idynic.eventbus.admin;

import com.idynic.eventbus.admin.spi.AuditReader;
import com.idynic.eventbus.api.InvalidFieldException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * Reading the audit log: who did what to which subscription, newest first, filtered by actor, action, subscription
 * and time, a page at a time (keyset: {@code before} the last id of the previous page). The REST API
 * ({@code GET /v1/audit}) and the console's audit page both read it here.
 *
 * @since 0.20.0
 */
public final class AuditTrail {
    /** Most entries in one page. */
    public static final int MAX_LIMIT = 500;

    private static final int MAX_FILTER = 200;

    /**
     * One page of the log.
     *
     * @param entries newest first
     * @param next the {@code before} of the next page, or null when this one is the last
     */
    public record Page(List<AuditEntry> entries, Long next) {}

    private final AuditReader reader;

    public AuditTrail(AuditReader reader) {
        this.reader = reader;
    }

    /**
     * Reads one page; blank filters count as absent.
     *
     * @param actor exactly this service (or {@code eventbus}), or null
     * @param action exactly this action, e.g. {@code subscription-pause}, or null
     * @param subscription exactly this subscription, or null
     * @param from an ISO-8601 time with offset: entries at or after it, or null
     * @param to an ISO-8601 time with offset: entries before it, or null
     * @param before the {@code next} of the previous page, or 0 for the newest
     * @param limit from 1 to {@link #MAX_LIMIT}
     * @throws InvalidFieldException naming the first invalid parameter
     */
    public Page page(String actor, String action, String subscription, String from, String to, long before, int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidFieldException("limit", "must be between 1 and " + MAX_LIMIT);
        }
        if (before < 0) {
            throw new InvalidFieldException("before", "must not be negative");
        }
        Instant f = time("from", from);
        Instant t = time("to", to);
        if (f != null && t != null && !f.isBefore(t)) {
            throw new InvalidFieldException("to", "must be after from");
        }
        AuditReader.Filter filter = new AuditReader.Filter(
                filter("actor", actor), filter("action", action), filter("subscription", subscription), f, t);
        List<AuditEntry> entries = reader.entries(filter, before, limit);
        Long next = entries.size() == limit ? entries.get(entries.size() - 1).id() : null;
        return new Page(entries, next);
    }

    private static String filter(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.strip();
        if (v.length() > MAX_FILTER) {
            throw new InvalidFieldException(field, "must be at most " + MAX_FILTER + " characters");
        }
        return v;
    }

    private static Instant time(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value.strip()).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidFieldException(field, "must be an ISO-8601 time with offset, e.g. 2026-01-31T12:00:00Z");
        }
    }
}
