package com.idynic.eventbus.subscribers.spi;

import com.idynic.eventbus.api.EventEnvelope;
import com.idynic.eventbus.subscribers.Filter;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Replay jobs and the event history they read.
 *
 * @since 0.2.0
 */
public interface ReplayStore {
    /**
     * A replay of stored events to one subscription.
     *
     * @param id job id, e.g. {@code rpl-...}
     * @param subscriptionId the only subscription that receives the replayed events
     * @param from {@code earliest}, an ISO-8601 time or an event id (inclusive)
     * @param to end time (exclusive) or null for up to the start of the job
     * @param eventTypes selectors narrowing the subscription's own, empty for all
     * @param ratePerSecond budget, events queued per second
     * @param state {@code running}, {@code done}, {@code failed} or {@code cancelled} (its subscription was
     *     deleted; {@code error} says why); at most one job per subscription is {@code running}
     * @param total events to replay (known when the job starts)
     * @param done events queued so far
     * @param lastSeq the last event sequence number examined
     * @param error why it failed, or null
     * @param createdAt creation time
     * @param updatedAt last progress time
     * @param source {@code auto} (the Kafka topic where it still holds the range) or {@code postgresql}
     * @param readFrom {@code kafka} or {@code postgresql} once running, else null
     */
    record Job(
            String id,
            String subscriptionId,
            String from,
            Instant to,
            List<String> eventTypes,
            double ratePerSecond,
            String state,
            long total,
            long done,
            long lastSeq,
            String error,
            Instant createdAt,
            Instant updatedAt,
            String source,
            String readFrom) {}

    /** A stored event with its publish-order sequence number. */
    record Row(long seq, EventEnvelope event) {}

    /**
     * Stores a new running job unless its subscription has one running already (on any server: the
     * database allows one running job per subscription).
     *
     * @return empty when stored; else the subscription's running job, and nothing was stored
     * @since 0.5.0
     */
    Optional<Job> create(Job job);

    /**
     * Records progress of a running job; also renews this server's claim on it.
     *
     * @return false when the job is no longer running (it was cancelled): nothing was recorded then, and
     *     the job must stop
     */
    boolean progress(String id, String state, long total, long done, long lastSeq, String error);

    /**
     * Ends the running jobs of a subscription in state {@code cancelled} with {@code reason} as their error.
     *
     * @return how many jobs were cancelled
     * @since 0.5.0
     */
    int cancel(String subscriptionId, String reason);

    Optional<Job> find(String id);

    /** Records where the job reads events from ({@code kafka} or {@code postgresql}). */
    void readingFrom(String id, String readFrom);

    /** @return whether every event up to {@code upToSeq} has left the outbox (is in Kafka) */
    boolean relayedUpTo(long upToSeq);

    /** @return the accepted time of the first event after {@code afterSeq}, empty when there is none */
    Optional<Instant> acceptedAfter(long afterSeq);

    /** @return running jobs not claimed by another live server, now claimed by {@code owner} */
    List<Job> claimRunnable(String owner);

    /** @return the sequence number just before the first event at {@code from}; -1 when the event id is unknown */
    long seqBefore(String from);

    /** @return the highest sequence number accepted before {@code to} (not null) */
    long seqUpTo(Instant to);

    /**
     * Reads the events with {@code afterSeq < seq <= upToSeq} that a replay would queue (selected as
     * {@link #countUpTo} counts them), in sequence order. Only selected events are read: with event-type
     * selectors, through each day partition's {@code (event_type, accepted_at, seq)} index, so a replay of
     * a few events among millions reads a few rows.
     *
     * @param selectors the subscription's event-type selectors
     * @param narrowedTo the job's own selectors; empty for no narrowing
     * @param filter the subscription's attribute filter
     * @param limit the most events to return, e.g. {@code 200}
     * @return up to {@code limit} events; empty when none is left in the range
     * @since 0.5.0
     */
    List<Row> page(
            long afterSeq, long upToSeq, List<String> selectors, List<String> narrowedTo, Filter filter, int limit);

    /**
     * Counts the events with {@code afterSeq < seq <= upToSeq} that a replay would queue, looking at no
     * more than {@code cap + 1} of them, so a dry run over a year of history costs what one over an hour
     * does. An event counts when one of {@code selectors} selects its type, one of {@code narrowedTo}
     * does too (unless empty) and {@code filter} matches it (numbers in data conditions compare by value).
     *
     * @param selectors the subscription's event-type selectors
     * @param narrowedTo the job's own selectors; empty for no narrowing
     * @param filter the subscription's attribute filter
     * @param cap the largest count worth knowing exactly, e.g. {@code 10000}; at most {@code Long.MAX_VALUE - 1}
     * @return the count, at most {@code cap + 1} (which stands for "more than {@code cap}")
     * @since 0.4.0
     */
    long countUpTo(
            long afterSeq, long upToSeq, List<String> selectors, List<String> narrowedTo, Filter filter, long cap);
}
