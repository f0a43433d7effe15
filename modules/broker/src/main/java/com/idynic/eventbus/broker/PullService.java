package com.idynic.eventbus.broker;

import com.idynic.eventbus.broker.spi.DeliveryStore;
import com.idynic.eventbus.broker.spi.Leased;
import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * Pull delivery: a subscriber leases a batch, then acknowledges or negatively acknowledges each event by
 * id. Unacknowledged events come back after their ack deadline; nacked ones after the retry delay. Long
 * polling waits for new deliveries instead of returning empty at once.
 *
 * @since 0.1.0
 */
public final class PullService {
    private static final Duration RECHECK = Duration.ofMillis(200);

    private final DeliveryStore deliveries;
    private final Signal enqueued;
    private final Duration retryDelay;

    /**
     * @param deliveries delivery rows
     * @param enqueued raised when new rows arrive on this server
     * @param retryDelay delay before a nacked event is offered again
     */
    public PullService(DeliveryStore deliveries, Signal enqueued, Duration retryDelay) {
        this.deliveries = deliveries;
        this.enqueued = enqueued;
        this.retryDelay = retryDelay;
    }

    /**
     * @param subscriptionId the subscription
     * @param max most events to return
     * @param wait how long to wait for at least one event
     * @param ackDeadline lease length
     * @return leased events, possibly empty after {@code wait}
     */
    public List<Leased> pull(String subscriptionId, int max, Duration wait, Duration ackDeadline)
            throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            long seen = enqueued.generation();
            List<Leased> got = deliveries.lease(subscriptionId, max, ackDeadline);
            long left = deadline - System.nanoTime();
            if (!got.isEmpty() || left <= 0) {
                return got;
            }
            enqueued.awaitChange(seen, Duration.ofNanos(Math.min(left, RECHECK.toNanos())));
        }
    }

    /** @return events marked delivered */
    public int ack(String subscriptionId, Collection<String> eventIds) {
        return deliveries.ack(subscriptionId, eventIds);
    }

    /** @return events scheduled for redelivery */
    public int nack(String subscriptionId, Collection<String> eventIds, String reason) {
        return deliveries.nack(subscriptionId, eventIds, retryDelay, reason);
    }
}
