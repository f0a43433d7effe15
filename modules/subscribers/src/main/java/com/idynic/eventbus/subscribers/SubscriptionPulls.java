package com.idynic.eventbus.subscribers;

import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.ErrorCode;
import com.idynic.eventbus.broker.spi.Leased;
import com.idynic.eventbus.security.ServiceAccount;
import com.idynic.eventbus.subscribers.delivery.LongPolls;
import com.idynic.eventbus.subscribers.delivery.PullService;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Pull delivery as a subscription's owner asks for it: lease (optionally waiting, as a long poll), ack and nack.
 * Only the owner (or an admin) consumes, and a webhook subscription is never pulled: the bus pushes its events.
 *
 * @since 0.8.0
 */
public final class SubscriptionPulls {
    /** A nack's reason is kept as the delivery's last error up to this many characters. */
    static final int MAX_REASON = 2000;

    private final SubscriptionRegistry registry;
    private final SubscriptionAccess access;
    private final PullService pulls;
    private final LongPolls longPolls;

    /**
     * @param pulls leases and settles pull deliveries
     * @param longPolls holds waiting pulls without a thread, and counts each service's
     */
    public SubscriptionPulls(SubscriptionRegistry registry, PullService pulls, LongPolls longPolls) {
        this.registry = registry;
        this.access = new SubscriptionAccess(registry);
        this.pulls = pulls;
        this.longPolls = longPolls;
    }

    /**
     * Leases up to {@code max} events of the types the owner may read now; waits up to {@code wait} for the
     * first when there are none.
     *
     * @return the answer, done at once or when the first events are leased or the wait ends (then empty);
     *     cancel it when the caller is gone
     * @throws BusException {@code NOT_FOUND}, {@code FORBIDDEN}, {@code VALIDATION_ERROR} naming {@code
     *     target.type} for a webhook subscription, {@code RATE_LIMITED} when the caller holds all its long polls
     */
    public CompletableFuture<List<Leased>> pull(
            ServiceAccount me, String id, int max, Duration wait, Duration ackDeadline) {
        Subscription s = access.owned(me, id);
        if (s.target().isPush()) {
            throw new BusException(
                    ErrorCode.VALIDATION_ERROR,
                    "Subscription '" + id + "' is a webhook subscription; the bus pushes its events",
                    Map.of("field", "target.type"));
        }
        return longPolls.pull(
                me.name(), wait, () -> pulls.lease(id, max, ackDeadline, type -> registry.mayRead(s, type)));
    }

    /**
     * Marks leased events delivered.
     *
     * @return number settled (events no longer leased count 0)
     * @throws BusException {@code NOT_FOUND} or {@code FORBIDDEN}
     */
    public int ack(ServiceAccount me, String id, Collection<String> eventIds) {
        Subscription s = access.owned(me, id);
        return pulls.ack(id, eventIds, s.target().type());
    }

    /**
     * Returns leased events for a retry per the subscription's policy, or with {@code reject} sends them straight
     * to the dead-letter queue.
     *
     * @param reason kept as the last error, cut to its first {@value #MAX_REASON} characters
     * @return number settled
     * @throws BusException {@code NOT_FOUND} or {@code FORBIDDEN}
     */
    public int nack(ServiceAccount me, String id, Collection<String> eventIds, String reason, boolean reject) {
        Subscription s = access.owned(me, id);
        String kept = reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) : reason;
        return pulls.nack(
                id, eventIds, kept, reject, s.retryPolicy(), s.target().type());
    }
}
