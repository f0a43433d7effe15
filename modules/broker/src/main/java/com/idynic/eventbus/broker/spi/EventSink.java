package com.idynic.eventbus.broker.spi;

import java.util.concurrent.CompletableFuture;

/**
 * Where the relay sends events (Kafka in production), one relay pass at a time.
 *
 * @since 0.1.0
 */
public interface EventSink {
    /**
     * Starts a relay pass. Per ordering key, what the broker ends up holding of one pass is a prefix of the rows
     * sent through it (less rows refused for good): a row is never written after an earlier row of its key in the
     * same pass failed to be. Passes opened by several threads may share a connection to the broker, so a failure
     * in one may fail the rows of the others; never the other way round (a row of a failed pass written later).
     *
     * @return the pass, to send one batch through
     * @throws RuntimeException when the sink cannot even start (e.g. the broker's address does not resolve)
     * @since 0.22.0
     */
    Pass open();

    /**
     * One relay pass: rows sent in outbox order, acknowledged or failed one by one.
     *
     * @since 0.22.0
     */
    interface Pass {
        /**
         * @param entry the row to send
         * @return completes with the record's position when the sink durably acknowledged it; fails with {@link
         *     EventRefusedException} when the sink will never take it, otherwise when it was not written (or may not
         *     have been: resending it is safe); fails at once once the pass was abandoned
         */
        CompletableFuture<Relayed> send(OutboxEntry entry);

        /**
         * Gives the pass up because its caller stops waiting before the last row (a failure, its acknowledgement
         * timeout, an interrupt): every row sent and not acknowledged yet fails, none of them is written afterwards
         * unless its request had already reached the broker (then in order behind the rows before it), and later
         * {@link #send}s fail at once. The sink may have done so by itself at the first failure; a second call
         * does nothing.
         */
        void abandon();
    }
}
