package com.idynic.eventbus.broker.spi;

import java.util.List;

/**
 * The outbox as the relay sees it: a lane that one server at a time holds (so per-key order survives
 * several servers on one database), claimed and recorded in two steps so that nothing of the database
 * stays open while the sink is sent to. The relay calls {@link #claim}, sends the batch, then calls
 * {@link #record} with the outcome, from one thread.
 *
 * @since 0.1.0
 */
public interface OutboxStore {
    /**
     * Takes (or keeps) the exclusive relay lane and reads the oldest unsent rows in sequence order, leaving
     * no database transaction open. A claim that finds the outbox empty gives the lane up again.
     *
     * @param max most rows to hand over
     * @param maxBytes most bytes of payload to hand over: rows are taken while the payloads before them add
     *     up to less, so the first row always goes and a batch holds at most this plus one payload
     * @return the rows to send, in sequence order; empty when the outbox is empty or another server holds
     *     the lane
     * @since 0.8.0
     */
    List<OutboxEntry> claim(int max, long maxBytes);

    /**
     * Records the outcome of sending the last claimed batch in one short transaction, which commits only
     * while this server still holds the lane: where the acknowledged rows landed (on their events), the rows
     * the sink refused for good set aside with their reason (not relayed, not retried, until an operator
     * queues their event again), and both removed from the outbox. Every other row of the batch stays for
     * the next pass. An outcome that removes nothing gives the lane up, so another server may try.
     *
     * @param batch the rows of the last {@link #claim}
     * @param outcome what the sink acknowledged and refused
     * @return rows removed (relayed and refused)
     * @throws RuntimeException when the transaction failed or the lane was lost meanwhile (the connection
     *     holding it ended): nothing was recorded, the rows stay and the lane is given up
     * @since 0.8.0
     */
    int record(List<OutboxEntry> batch, RelayOutcome outcome);

    /**
     * @return another member of the relay on this server: a store with its own lanes (its own lock session),
     *     for another relay thread; the members share the lanes as several servers do, so one key's events still
     *     go through one member at a time. Given up with {@link #close()}.
     * @throws UnsupportedOperationException when this outbox is relayed by one member only
     * @since 0.24.0
     */
    default OutboxStore member() {
        throw new UnsupportedOperationException("this outbox is relayed by one member only");
    }

    /**
     * Gives this member's lanes up (another member or server takes them); a later claim takes lanes again.
     *
     * @since 0.24.0
     */
    default void close() {}

    /** @return number of rows not yet relayed */
    long backlog();

    /**
     * @return how long the oldest row not yet relayed has waited, in milliseconds (0 when empty): the
     *     relay lag
     * @since 0.3.0
     */
    long lagMillis();
}
