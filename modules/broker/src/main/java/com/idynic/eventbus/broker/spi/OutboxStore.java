package com.idynic.eventbus.broker.spi;

import java.util.List;
import java.util.function.Function;

/**
 * The outbox as the relay sees it.
 *
 * @since 0.1.0
 */
public interface OutboxStore {
    /**
     * Takes the exclusive relay lease (so only one server relays at a time, keeping per-key order),
     * hands the oldest unsent rows in sequence order to {@code sender} and removes the rows it reports as
     * relayed or refused, all in one short transaction. A refused row is kept aside with its reason (not
     * relayed, not retried) until an operator queues its event again.
     *
     * @param max most rows to hand over
     * @param maxBytes most bytes of payload to hand over: rows are taken while the payloads before them add
     *     up to less, so the first row always goes and a batch holds at most this plus one payload
     * @param sender sends rows, returns the rows the sink acknowledged and where they landed (recorded on
     *     the events) and the rows it refused for good
     * @return rows removed (relayed and refused); 0 when the outbox is empty or another server holds the
     *     lease
     * @since 0.7.0
     */
    int relay(int max, long maxBytes, Function<List<OutboxEntry>, RelayOutcome> sender);

    /** @return number of rows not yet relayed */
    long backlog();

    /**
     * @return how long the oldest row not yet relayed has waited, in milliseconds (0 when empty): the
     *     relay lag
     * @since 0.3.0
     */
    long lagMillis();
}
