package com.idynic.eventbus.broker.spi;

import com.idynic.eventbus.broker.DeadLetterFilter;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * A subscription's dead-letter queue: deliveries that exhausted their retries or were rejected, with the
 * rows parked behind them (ordered subscriptions), and the operator actions on them. Each action is stored
 * with its audit record in one transaction.
 *
 * @since 0.8.0
 */
public interface DeadLetterStore {
    /**
     * @param filter which dead letters
     * @return dead letters of a subscription in delivery order, after {@code afterDeliveryId}
     */
    List<DeliveryStatus> deadLetters(String subscriptionId, DeadLetterFilter filter, long afterDeliveryId, int limit);

    /** @return number of dead letters of a subscription matching {@code filter} */
    long deadLetterCount(String subscriptionId, DeadLetterFilter filter);

    /** @return the event's dead letter in the subscription's queue, empty when the event is not dead there */
    Optional<DeliveryStatus> deadLetter(String subscriptionId, String eventId);

    /**
     * @param deadGroup the parked sequence: {@link DeliveryStatus#deadGroup()} of one of its dead letters
     * @param limit most event ids to return
     * @return the event ids of the dead letters in that sequence, in delivery order
     */
    List<String> parkedSequence(String subscriptionId, long deadGroup, int limit);

    /**
     * Puts dead letters back in the queue, keeping their order, and records the audit entry ({@code actor},
     * {@code redrive}, the ids or {@code all} and the number) in the same transaction: an action is never
     * taken without its record. {@code eventIds == null} means all.
     *
     * @return number redriven (already redriven or unknown ids count 0)
     */
    int redrive(String subscriptionId, Collection<String> eventIds, String actor);

    /**
     * Drops dead letters for good, recording the audit entry in the same transaction. {@code eventIds == null}
     * means all.
     *
     * @return number discarded
     */
    int discard(String subscriptionId, Collection<String> eventIds, String reason, String actor);
}
