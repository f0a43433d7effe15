package com.idynic.eventbus.broker;

import com.idynic.eventbus.api.Timestamps;
import java.io.Serializable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A guarded live tail of new events (optionally of one type), read through {@link EventQueries#search} (the
 * PostgreSQL indexes, never the Kafka log): it starts at the moment it is opened, and each read returns at most
 * {@link #MAX_ROWS} events and answers nothing when asked again within {@link #MIN_INTERVAL}, however often a
 * page polls. The console's Events page calls it.
 *
 * @since 0.9.0
 */
public final class LiveTail {
    /** The most events one read returns. */
    public static final int MAX_ROWS = 50;

    /** The shortest time between two reads of one tail. */
    public static final Duration MIN_INTERVAL = Duration.ofSeconds(2);

    private final EventQueries queries;
    private final Clock clock;

    public LiveTail(EventQueries queries, Clock clock) {
        this.queries = queries;
        this.clock = clock;
    }

    /**
     * Where a tail stands.
     *
     * @param eventType the type followed, or null for every type
     * @param since events accepted from this time on
     * @param afterSeq the last event shown
     * @param lastRead when the tail was last read, or null
     */
    public record Cursor(String eventType, Instant since, long afterSeq, Instant lastRead) implements Serializable {}

    /**
     * One read.
     *
     * @param hits the new events, oldest first (empty when throttled)
     * @param next the cursor for the next read
     * @param throttled whether the read came within {@link #MIN_INTERVAL} of the last and read nothing
     * @param capped whether more new events wait than one read returns
     */
    public record Read(List<EventQueries.Hit> hits, Cursor next, boolean throttled, boolean capped) {}

    /** @return a tail of the events accepted from now on */
    public Cursor open(String eventType) {
        String type = eventType == null || eventType.isBlank() ? null : eventType.trim();
        return new Cursor(type, clock.instant(), 0, null);
    }

    /** @return the events accepted since the last read, at most {@link #MAX_ROWS}, or nothing when asked too soon */
    public Read next(Cursor c) {
        Instant now = clock.instant();
        if (c.lastRead() != null && now.isBefore(c.lastRead().plus(MIN_INTERVAL))) {
            return new Read(List.of(), c, true, false);
        }
        List<EventQueries.Hit> hits = queries.search(
                        c.eventType(), null, null, null, Timestamps.format(c.since()), null, c.afterSeq(), MAX_ROWS)
                .events();
        long after = hits.isEmpty() ? c.afterSeq() : hits.get(hits.size() - 1).seq();
        return new Read(hits, new Cursor(c.eventType(), c.since(), after, now), false, hits.size() == MAX_ROWS);
    }
}
