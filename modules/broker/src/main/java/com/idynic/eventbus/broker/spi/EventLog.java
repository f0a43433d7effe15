package com.idynic.eventbus.broker.spi;

import com.idynic.eventbus.api.EventEnvelope;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The relayed event log (the Kafka topic), read by time for replays: where it still holds the events
 * a replay needs, they come from here; otherwise the replay reads the PostgreSQL store.
 *
 * @since 0.3.0
 */
public interface EventLog {
    /** An event read back from the log with its publish-order sequence number. */
    record Logged(long seq, EventEnvelope event) {}

    /** Reads a fixed range of the log; not thread-safe. */
    interface Reader extends AutoCloseable {
        /**
         * @return up to {@code max} further events, in sequence order; empty at the end of the range
         * @throws RuntimeException when the log stops answering (the replay retries later)
         */
        List<Logged> next(int max);

        @Override
        void close();
    }

    /**
     * Opens a reader over the events with {@code afterSeq < seq <= upToSeq} that the log holds from
     * {@code since} on (the accepted time of the first of them).
     *
     * @return empty when the log no longer holds all of them (retention removed some) or is unreachable
     */
    Optional<Reader> open(Instant since, long afterSeq, long upToSeq);
}
