package com.idynic.eventbus.broker.spi;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Retention policies and the removal of expired events, in steps that each end within a given
 * statement timeout (an index-backed batch, one day's partition, one counting step).
 *
 * @since 0.2.0
 */
public interface RetentionStore {
    /** @return every per-type policy */
    List<RetentionPolicy> policies();

    void save(RetentionPolicy policy);

    /** @return true when a policy was removed */
    boolean delete(String eventType);

    /**
     * A place in one event type's history: events are ordered by acceptance time, then publish sequence.
     *
     * @param acceptedAt when the bus accepted the event
     * @param seq the event's publish-order number
     * @since 0.4.0
     */
    record Position(Instant acceptedAt, long seq) implements Comparable<Position> {
        /** @return the position just before every event accepted at {@code t} */
        public static Position before(Instant t) {
            return new Position(t, Long.MIN_VALUE);
        }

        @Override
        public int compareTo(Position o) {
            int byTime = acceptedAt.compareTo(o.acceptedAt);
            return byTime != 0 ? byTime : Long.compare(seq, o.seq);
        }
    }

    /**
     * What one batch did.
     *
     * @param examined events looked at, at most the batch's limit; fewer means the range is done
     * @param removed events removed: those examined that nobody is owed
     * @param last where the next batch starts (the last event examined); null when none was
     * @since 0.4.0
     */
    record Batch(int examined, int removed, Position last) {}

    /**
     * Looks at the next {@code limit} events of {@code eventType} after {@code after} (from the oldest when
     * null) and before {@code before}, oldest first, and removes those not in the outbox and without a
     * pending, leased or dead delivery; with them go their finished deliveries (in the queue and in the
     * delivery history), attempt records, idempotency keys and ids.
     * One statement, through the index on {@code (event_type, accepted_at, seq)}.
     *
     * @throws StatementTimeoutException when the statement ran longer than {@code statementTimeout} (nothing
     *     of the batch is removed)
     * @since 0.4.0
     */
    Batch purge(String eventType, Position after, Position before, int limit, Duration statementTimeout);

    /**
     * Finds the {@code n}-th newest event of {@code eventType} among those before {@code before} (among all
     * when null), reading at most {@code n} index entries.
     *
     * @param n from 1
     * @return its position; empty when there are fewer than {@code n}
     * @throws StatementTimeoutException when the statement ran longer than {@code statementTimeout}
     * @since 0.4.0
     */
    Optional<Position> nthNewest(String eventType, Position before, long n, Duration statementTimeout);

    /**
     * @param after null for the first
     * @return the smallest stored event type after {@code after}, in one index probe per partition
     * @throws StatementTimeoutException when the statement ran longer than {@code statementTimeout}
     * @since 0.4.0
     */
    Optional<String> eventTypeAfter(String after, Duration statementTimeout);

    /**
     * Creates the store's time partitions (one per UTC day) from today through {@code daysAhead} days
     * ahead, so events never land in the catch-all partition.
     *
     * @return partitions created
     * @since 0.3.0
     */
    int ensurePartitions(int daysAhead);

    /**
     * @return the days (UTC) whose time partition ends before {@code cutoff}, oldest first
     * @since 0.4.0
     */
    List<LocalDate> daysBefore(Instant cutoff);

    /**
     * Drops one day's time partition whole, with that day's delivery history and attempt records, its ids,
     * finished deliveries and idempotency keys, in one transaction whose statements each end within {@code
     * statementTimeout}, unless the day holds an event still in the outbox or with a pending, leased or dead
     * delivery (it is then left to {@link #purge}).
     *
     * @return events removed per event type; empty when the day still holds something owed
     * @throws RuntimeException when the drop failed (a lock not granted within 5 s, a timeout, a delivery
     *     that became owed meanwhile): nothing changed
     * @since 0.4.0
     */
    Optional<Map<String, Long>> dropDay(LocalDate day, Duration statementTimeout);
}
