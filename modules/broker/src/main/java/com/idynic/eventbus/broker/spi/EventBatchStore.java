package com.idynic.eventbus.broker.spi;

import com.idynic.eventbus.api.EventEnvelope;
import com.idynic.eventbus.api.PublishReceipt;
import java.util.List;
import java.util.Set;

/**
 * Stores many events and their outbox rows in one transaction (group commit): the cost of a commit, and
 * of its fsync, is shared by every event in the batch.
 *
 * @since 0.5.0
 */
public interface EventBatchStore {
    /**
     * One event to store.
     *
     * @param event the validated envelope
     * @param receipt its receipt (accepted time and receipt id)
     */
    record Entry(EventEnvelope event, PublishReceipt receipt) {}

    /**
     * Stores the events whose ids are free, in list order, with their outbox rows, in one transaction. A
     * taken id (an earlier event, or an earlier entry of this batch) writes nothing for that entry and does
     * not fail the others.
     *
     * @param batch entries with distinct ids
     * @return the ids stored by this call (committed when this returns)
     * @throws RuntimeException when the transaction failed: nothing of the batch was stored
     */
    Set<String> appendAll(List<Entry> batch);
}
