package com.idynic.eventbus.broker.spi;

import com.idynic.eventbus.broker.AttemptResult;
import com.idynic.eventbus.broker.Decision;
import com.idynic.eventbus.broker.RelayedEvent;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The delivery queue: one row per (subscription, event) from fan-out until it is delivered, discarded or
 * dead; leasing hands rows out and settling records each attempt and its outcome. Dead letters, history and
 * the audit log are separate ports ({@link DeadLetterStore}, {@link DeliveryHistory}, {@link AuditLog}).
 *
 * @since 0.8.0
 */
public interface DeliveryQueue {
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
     * @param eventSeq the event's sequence number when the caller knows it (the dispatcher reads it from the Kafka
     *     record), else {@link RelayedEvent#UNKNOWN_SEQ}: the store reads it from the
     *     event row (since 0.22.0)
     * @since 0.5.0
     */
    record Enqueue(String eventId, String orderingKey, Collection<String> subscriptionIds, long eventSeq) {
        /** One event's delivery rows, its sequence number read by the store. */
        public Enqueue(String eventId, String orderingKey, Collection<String> subscriptionIds) {
            this(eventId, orderingKey, subscriptionIds, RelayedEvent.UNKNOWN_SEQ);
        }
    }

    /**
     * As {@link #enqueue(String, String, Collection)} for many events, in one statement; idempotent.
     *
     * @since 0.5.0
     */
    default void enqueueAll(List<Enqueue> batch) {
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

    /**
     * As {@link #lease}, but an ordered subscription hands out, for each key whose head is deliverable, the
     * head and its consecutive deliverable successors in order (a <em>run</em>), up to {@code max} in all, as
     * Pub/Sub ordering keys and Kafka partitions do: five ready events of one key take one pull, not five. The
     * holder must process a key's run in order; a retry or dead letter of one of its events releases the
     * later events of the run ({@link #settleAll}). Unordered subscriptions lease as {@link #lease} does.
     *
     * @since 0.18.0
     */
    default List<Leased> leaseRuns(String subscriptionId, int max, Duration leaseFor) {
        return lease(subscriptionId, max, leaseFor);
    }

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
     * Returns leased deliveries that their holder will not attempt to pending, taking back the attempt their lease
     * counted: a webhook run whose earlier event was not delivered, or whose lease would lapse before its turn. A
     * delivery leased again meanwhile (another attempt) is left alone. The default lets the leases lapse instead.
     *
     * @param deliveries leased deliveries, as the lease handed them out
     * @since 0.22.0
     */
    default void release(List<Leased> deliveries) {}

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
     * As {@link #settle} for many deliveries in one transaction. A retry or a dead letter in an ordered
     * subscription first returns the later events of its key that the same run leased ({@link #leaseRuns}) to
     * pending, uncounted, so they are delivered again after it (or parked behind it).
     *
     * @return the delivery ids that were still leased and are now settled
     * @since 0.5.0
     */
    default Set<Long> settleAll(List<Settlement> batch) {
        Set<Long> settled = new HashSet<>();
        for (Settlement s : batch) {
            if (settle(s.delivery(), s.attempt(), s.decision())) {
                settled.add(s.delivery().deliveryId());
            }
        }
        return settled;
    }
}
