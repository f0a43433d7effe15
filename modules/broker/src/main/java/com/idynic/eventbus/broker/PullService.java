package com.idynic.eventbus.broker;

import com.idynic.eventbus.broker.spi.DeliveryStore;
import com.idynic.eventbus.broker.spi.Leased;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * Pull delivery: a subscriber leases a batch, then acknowledges or negatively acknowledges each event by
 * id. A nack schedules a retry by the subscription's policy (or sends the event to the dead-letter queue
 * when the policy is exhausted or the subscriber rejects it); an event not settled within its ack
 * deadline is offered again. Long polling waits for new deliveries instead of returning empty at once;
 * a paused or disabled subscription is handed nothing, so its pull waits like an idle one (and a client's
 * long-poll loop does not spin) until it is resumed or the wait ends.
 *
 * @since 0.1.0
 */
public final class PullService {
    private static final Duration RECHECK = Duration.ofMillis(200);

    /** Reason recorded on a delivery not handed out because its owner may no longer read the type. */
    public static final String WITHHELD = "withheld: the owner may no longer read events of type ";

    private final DeliveryStore deliveries;
    private final Signal enqueued;
    private final Clock clock;

    /**
     * @param deliveries delivery rows
     * @param enqueued raised when new rows arrive on this server
     * @param clock time source for attempt records and retry times
     */
    public PullService(DeliveryStore deliveries, Signal enqueued, Clock clock) {
        this.deliveries = deliveries;
        this.enqueued = enqueued;
        this.clock = clock;
    }

    /**
     * @param subscriptionId the subscription
     * @param max most events to return
     * @param wait how long to wait for at least one event
     * @param ackDeadline lease length
     * @param mayReadType whether the subscription's owner may read a type now; leased events it may
     *     not read are withheld (discarded with a reason), never returned
     * @return leased events, possibly empty after {@code wait}; always empty while the subscription is
     *     paused or disabled (its events wait for the resume)
     */
    public List<Leased> pull(
            String subscriptionId, int max, Duration wait, Duration ackDeadline, Predicate<String> mayReadType)
            throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            long seen = enqueued.generation();
            List<Leased> got = readable(deliveries.lease(subscriptionId, max, ackDeadline), mayReadType);
            long left = deadline - System.nanoTime();
            if (!got.isEmpty() || left <= 0) {
                return got;
            }
            enqueued.awaitChange(seen, Duration.ofNanos(Math.min(left, RECHECK.toNanos())));
        }
    }

    private List<Leased> readable(List<Leased> leased, Predicate<String> mayReadType) {
        List<Leased> out = new ArrayList<>(leased.size());
        for (Leased l : leased) {
            String type = l.event().envelope().eventType();
            if (mayReadType.test(type)) {
                out.add(l);
            } else {
                deliveries.withhold(l, WITHHELD + type);
            }
        }
        return out;
    }

    /**
     * Marks leased events delivered.
     *
     * @param target {@code pull} or {@code cdi}, for the attempt record
     * @return events settled
     */
    public int ack(String subscriptionId, Collection<String> eventIds, String target) {
        List<DeliveryStore.Settlement> batch = new ArrayList<>();
        for (Leased l : deliveries.leased(subscriptionId, eventIds)) {
            AttemptResult r = result(l, AttemptResult.Outcome.SUCCESS, target, null);
            batch.add(new DeliveryStore.Settlement(l, r, new Decision(Decision.Kind.DELIVERED, null, null)));
        }
        return deliveries.settleAll(batch).size();
    }

    /**
     * Negatively acknowledges leased events: retried per {@code policy}, or dead-lettered when {@code
     * reject} is set or the policy is exhausted.
     *
     * @return events settled
     */
    public int nack(
            String subscriptionId,
            Collection<String> eventIds,
            String reason,
            boolean reject,
            RetryPolicy policy,
            String target) {
        List<DeliveryStore.Settlement> batch = new ArrayList<>();
        for (Leased l : deliveries.leased(subscriptionId, eventIds)) {
            AttemptResult r =
                    result(l, reject ? AttemptResult.Outcome.REJECTED : AttemptResult.Outcome.FAILURE, target, reason);
            Decision d = Decision.after(
                    r,
                    policy,
                    l.attempt(),
                    l.firstAttemptAt(),
                    ThreadLocalRandom.current().nextDouble());
            batch.add(new DeliveryStore.Settlement(l, r, d));
        }
        return deliveries.settleAll(batch).size();
    }

    private AttemptResult result(Leased l, AttemptResult.Outcome outcome, String target, String error) {
        Instant now = clock.instant();
        Instant started = l.leasedAt() == null || l.leasedAt().isAfter(now) ? now : l.leasedAt();
        return new AttemptResult(outcome, started, Duration.between(started, now), target, null, error, null);
    }
}
