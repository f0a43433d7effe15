package com.idynic.eventbus.admin.spi;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the event catalog and the flow graph read besides schemas and subscriptions: who published which event type
 * (counts kept by the bus as it stores events, never counted from the events table) and the latest stored event of
 * a type (one index probe).
 *
 * @since 0.20.0
 */
public interface CatalogStore {
    /**
     * Events of one type one source published.
     *
     * @param eventType the event type
     * @param source the event's {@code source}, the publishing service (publish permissions bind it to the caller)
     * @param firstSeen when the first was stored
     * @param lastSeen when the latest was stored
     * @param published how many were stored
     */
    record Published(String eventType, String source, Instant firstSeen, Instant lastSeen, long published) {}

    /**
     * Counts of one minute.
     *
     * @param minute the minute's start
     */
    record PublishedInMinute(String eventType, String source, Instant minute, long published) {}

    /**
     * The latest stored event of a type.
     *
     * @param eventId its id
     * @param acceptedAt when the bus accepted it
     * @param json the stored envelope (JSON)
     */
    record Sample(String eventId, Instant acceptedAt, String json) {}

    /** Adds counts: totals and first/last times per (type, source), and per minute. */
    void add(List<Published> totals, List<PublishedInMinute> minutes);

    /** @return every (type, source) pair seen, with its totals */
    List<Published> publishers();

    /**
     * @param since the window's start (minutes starting at or after it count)
     * @return per (type, source) the events published since then; {@code firstSeen}/{@code lastSeen} are the first
     *     and last minute with events
     */
    List<Published> publishedSince(Instant since);

    /** Removes per-minute counts of minutes before {@code before}. */
    void pruneMinutes(Instant before);

    /** @return the latest stored event of the type (by acceptance time), or empty */
    Optional<Sample> latest(String eventType);
}
