package com.idynic.eventbus.broker;

import com.idynic.eventbus.broker.spi.DeliveryQueue;
import com.idynic.eventbus.broker.spi.Leased;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A delivery queue that tells a listener of every settlement that committed ({@link DeliverySettled}): where
 * webhook and pull deliveries are settled, so processing time and retries are observed at the one point every
 * outcome passes. Everything else goes to the queue unchanged.
 *
 * @since 0.19.0
 */
public final class ObservedDeliveryQueue implements DeliveryQueue {
    private final DeliveryQueue queue;
    private final Consumer<DeliverySettled> listener;
    private final Clock clock;

    /**
     * @param listener told after commit; must return at once and not throw
     */
    public ObservedDeliveryQueue(DeliveryQueue queue, Consumer<DeliverySettled> listener, Clock clock) {
        this.queue = queue;
        this.listener = listener;
        this.clock = clock;
    }

    @Override
    public void enqueue(String eventId, String orderingKey, Collection<String> subscriptionIds) {
        queue.enqueue(eventId, orderingKey, subscriptionIds);
    }

    @Override
    public void enqueueAll(List<Enqueue> batch) {
        queue.enqueueAll(batch);
    }

    @Override
    public List<Leased> lease(String subscriptionId, int max, Duration leaseFor) {
        return queue.lease(subscriptionId, max, leaseFor);
    }

    @Override
    public List<Leased> leaseRuns(String subscriptionId, int max, Duration leaseFor) {
        return queue.leaseRuns(subscriptionId, max, leaseFor);
    }

    @Override
    public List<Leased> leased(String subscriptionId, Collection<String> eventIds) {
        return queue.leased(subscriptionId, eventIds);
    }

    @Override
    public void release(List<Leased> deliveries) {
        queue.release(deliveries);
    }

    @Override
    public boolean withhold(Leased delivery, String reason) {
        return queue.withhold(delivery, reason);
    }

    @Override
    public boolean settle(Leased delivery, AttemptResult attempt, Decision decision) {
        boolean settled = queue.settle(delivery, attempt, decision);
        if (settled) {
            tell(delivery, decision);
        }
        return settled;
    }

    @Override
    public Set<Long> settleAll(List<Settlement> batch) {
        Set<Long> settled = queue.settleAll(batch);
        for (Settlement s : batch) {
            if (settled.contains(s.delivery().deliveryId())) {
                tell(s.delivery(), s.decision());
            }
        }
        return settled;
    }

    @Override
    public int requeue(String subscriptionId, Collection<String> eventIds) {
        return queue.requeue(subscriptionId, eventIds);
    }

    private void tell(Leased l, Decision d) {
        try {
            listener.accept(new DeliverySettled(
                    l.subscriptionId(),
                    d.kind(),
                    l.replay(),
                    Duration.between(l.event().receipt().acceptedAt().toInstant(), clock.instant())));
        } catch (RuntimeException e) {
            // metrics must never fail a settlement that committed
        }
    }
}
