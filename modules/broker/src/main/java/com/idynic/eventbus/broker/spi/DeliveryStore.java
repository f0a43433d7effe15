package com.idynic.eventbus.broker.spi;

import com.idynic.eventbus.broker.AttemptResult;
import com.idynic.eventbus.broker.Decision;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Per-subscription delivery state: one row per (subscription, event), its attempts and the
 * dead-letter queue.
 *
 * @since 0.1.0
 */
public interface DeliveryStore {
    /**
     * Records that each subscription must receive the event; idempotent per (subscription, event).
     *
     * @param eventId the event
     * @param orderingKey its ordering key or null; rows with equal keys are delivered one at a time, in order
     * @param subscriptionIds the subscriptions that want it
     */
    void enqueue(String eventId, String orderingKey, Collection<String> subscriptionIds);

    /**
     * One event's delivery rows.
     *
     * @param eventId the event
     * @param orderingKey its ordering key, or null
     * @param subscriptionIds the subscriptions that want it
     * @since 0.5.0
     */
    record Enqueue(String eventId, String orderingKey, Collection<String> subscriptionIds) {}

    /**
     * As {@link #enqueue(String, String, Collection)} for many events, in one statement; idempotent.
     *
     * @since 0.5.0
     */
    default void enqueueAll(java.util.List<Enqueue> batch) {
        for (Enqueue e : batch) {
            enqueue(e.eventId(), e.orderingKey(), e.subscriptionIds());
        }
    }

    /**
     * Leases up to {@code max} deliverable events of one subscription: due, not leased (or lease
     * expired), and (ordered subscriptions) with no earlier pending, leased or dead event of the same key.
     * A subscription that is not {@code active} (paused or disabled) gets none: its events wait until it
     * is resumed.
     */
    List<Leased> lease(String subscriptionId, int max, Duration leaseFor);

    /** @return the currently leased deliveries of these events (for ack and nack by event id) */
    List<Leased> leased(String subscriptionId, Collection<String> eventIds);

    /**
     * Ends a leased delivery without sending it, as {@code DISCARDED} with the reason (the owner may no
     * longer read its type). It does not block later events of its key.
     *
     * @return false when the lease was lost meanwhile
     */
    boolean withhold(Leased delivery, String reason);

    /**
     * Records the attempt and applies the decision. A dead delivery of an ordered subscription takes
     * every later pending event of its key along into the dead-letter queue (one parked sequence).
     *
     * @return false when the lease was lost meanwhile (nothing changed)
     */
    boolean settle(Leased delivery, AttemptResult attempt, Decision decision);

    /**
     * Queues stored events again for one subscription as replays (marked so receivers can tell):
     * delivered or discarded ones are reset, pending ones are left alone; per-key order follows the
     * events' publish order, also relative to live events.
     *
     * @return rows queued or reset
     */
    int requeue(String subscriptionId, Collection<String> eventIds);

    /**
     * One outcome to record.
     *
     * @param delivery the leased delivery
     * @param attempt what the attempt did
     * @param decision what happens next
     * @since 0.5.0
     */
    record Settlement(Leased delivery, AttemptResult attempt, Decision decision) {}

    /**
     * As {@link #settle} for many deliveries in one transaction.
     *
     * @return the delivery ids that were still leased and are now settled
     * @since 0.5.0
     */
    default java.util.Set<Long> settleAll(java.util.List<Settlement> batch) {
        java.util.Set<Long> settled = new java.util.HashSet<>();
        for (Settlement s : batch) {
            if (settle(s.delivery(), s.attempt(), s.decision())) {
                settled.add(s.delivery().deliveryId());
            }
        }
        return settled;
    }

    /**
     * @param eventType only this event type, or null for all
     * @param errorContains only dead letters whose last error contains this text (case-insensitive), or null
     * @return dead letters of a subscription in delivery order, after {@code afterDeliveryId}
     */
    List<DeliveryStatus> deadLetters(
            String subscriptionId, String eventType, String errorContains, long afterDeliveryId, int limit);

    /** @return number of dead letters of a subscription matching the same filter as {@link #deadLetters} */
    long deadLetterCount(String subscriptionId, String eventType, String errorContains);

    /**
     * @return the event's dead letter in the subscription's queue, empty when the event is not dead there
     * @since 0.4.0
     */
    Optional<DeliveryStatus> deadLetter(String subscriptionId, String eventId);

    /**
     * @param deadGroup the parked sequence: {@link DeliveryStatus#deadGroup()} of one of its dead letters
     * @param limit most event ids to return
     * @return the event ids of the dead letters in that sequence, in delivery order
     * @since 0.4.0
     */
    List<String> parkedSequence(String subscriptionId, long deadGroup, int limit);

    /**
     * Puts dead letters back in the queue, keeping their order, and records the audit entry ({@code actor},
     * {@code redrive}, the ids or {@code all} and the number) in the same transaction: an action is never
     * taken without its record. {@code eventIds == null} means all.
     *
     * @return number redriven (already redriven or unknown ids count 0)
     * @since 0.7.0
     */
    int redrive(String subscriptionId, Collection<String> eventIds, String actor);

    /**
     * Drops dead letters for good, recording the audit entry in the same transaction. {@code eventIds == null}
     * means all.
     *
     * @return number discarded
     * @since 0.7.0
     */
    int discard(String subscriptionId, Collection<String> eventIds, String reason, String actor);

    /** @return the state of the event for every subscription that received it */
    List<DeliveryStatus> statusOf(String eventId);

    /** @return every recorded attempt for the event, oldest first */
    List<DeliveryAttempt> attemptsOf(String eventId);

    /** Records who did what to which subscription. */
    void audit(String actor, String action, String subscriptionId, String detail);
}
