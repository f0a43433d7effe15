package com.idynic.eventbus.broker;

import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.ErrorCode;
import com.idynic.eventbus.broker.spi.DeadLetterStore;
import java.util.Collection;
import java.util.Map;

/**
 * What an operator does to a subscription's dead-letter queue: redrive or discard, each action stored with its
 * audit record in one transaction and then the delivery loops woken. The REST resource and, later, the console
 * and the CLI call these methods; the rules live here once.
 *
 * @since 0.7.0
 */
public final class DeadLetters {
    private final DeadLetterStore store;
    private final Signal enqueued;

    /**
     * @param store the dead letters, which store each action with its audit record
     * @param enqueued raised after an action, so redriven events go out without waiting for a poll
     */
    public DeadLetters(DeadLetterStore store, Signal enqueued) {
        this.store = store;
        this.enqueued = enqueued;
    }

    /**
     * Puts dead letters back in the queue in their order; idempotent.
     *
     * @param eventIds the ids, or null for all of the subscription's dead letters
     * @param actor the calling service, for the audit record
     * @return number redriven
     */
    public int redrive(String subscriptionId, Collection<String> eventIds, String actor) {
        int n = store.redrive(subscriptionId, eventIds, actor);
        enqueued.raise();
        return n;
    }

    /**
     * Drops dead letters for good; idempotent.
     *
     * @param eventIds the ids, or null for all of the subscription's dead letters
     * @param reason why, required (kept as the events' last error and in the audit record)
     * @param actor the calling service, for the audit record
     * @return number discarded
     * @throws BusException {@code VALIDATION_ERROR} naming {@code reason} when it is missing or blank
     */
    public int discard(String subscriptionId, Collection<String> eventIds, String reason, String actor) {
        if (reason == null || reason.isBlank()) {
            throw new BusException(
                    ErrorCode.VALIDATION_ERROR, "A reason is required to discard", Map.of("field", "reason"));
        }
        int n = store.discard(subscriptionId, eventIds, reason, actor);
        enqueued.raise();
        return n;
    }
}
