package com.idynic.eventbus.subscribers.delivery;

import com.idynic.eventbus.broker.AttemptResult;
import com.idynic.eventbus.broker.Decision;
import com.idynic.eventbus.broker.RetryPolicy;
import com.idynic.eventbus.broker.spi.DeliveryQueue;
import com.idynic.eventbus.broker.spi.Leased;
import com.idynic.eventbus.broker.spi.Spans;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * Pull delivery: a subscriber leases a batch, then acknowledges or negatively acknowledges each event by
 * id. A nack schedules a retry by the subscription's policy (or sends the event to the dead-letter queue
 * when the policy is exhausted or the subscriber rejects it); an event not settled within its ack
 * deadline is offered again. A paused or disabled subscription is handed nothing, so a long poll on it
 * ({@link LongPolls}) waits like an idle one (and a client's long-poll loop does not spin) until it is
 * resumed or the wait ends.
 *
 * @since 0.1.0
 */
public final class PullService {
    /** Reason recorded on a delivery not handed out because its owner may no longer read the type. */
    public static final String WITHHELD = "withheld: the owner may no longer read events of type ";

    private final DeliveryQueue deliveries;
    private final Clock clock;
    private final Spans spans;

    /**
     * @param deliveries delivery rows
     * @param clock time source for attempt records and retry times
     */
    public PullService(DeliveryQueue deliveries, Clock clock) {
        this(deliveries, clock, Spans.NONE);
    }

    /**
     * As {@link #PullService(DeliveryQueue, Clock)}, recording a {@value Spans#DELIVER} span per settled attempt, from
     * its lease to its ack or nack, a child of the event's trace context.
     *
     * @param spans where spans go
     * @since 0.20.0
     */
    public PullService(DeliveryQueue deliveries, Clock clock, Spans spans) {
        this.deliveries = deliveries;
        this.clock = clock;
        this.spans = spans;
    }

    /**
     * Leases once, without waiting ({@link LongPolls} waits for a long poll, holding no thread).
     *
     * @param subscriptionId the subscription
     * @param max most events to return
     * @param ackDeadline lease length
     * @param mayReadType whether the subscription's owner may read a type now; leased events it may
     *     not read are withheld (discarded with a reason), never returned
     * @return leased events, possibly none; always none while the subscription is paused or disabled (its
     *     events wait for the resume)
     */
    public List<Leased> lease(String subscriptionId, int max, Duration ackDeadline, Predicate<String> mayReadType) {
        return readable(deliveries.leaseRuns(subscriptionId, max, ackDeadline), mayReadType);
    }

    private List<Leased> readable(List<Leased> leased, Predicate<String> mayReadType) {
        List<Leased> out = new ArrayList<>(leased.size());
        for (Leased l : leased) {
            String type = l.event().envelope().eventType();
            if (mayReadType.test(type)) {
                out.add(l);
            } else {
                deliveries.withhold(l, WITHHELD + type);
                DeliveryLog.withheld(l, WITHHELD + type);
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
        List<DeliveryQueue.Settlement> batch = new ArrayList<>();
        for (Leased l : deliveries.leased(subscriptionId, eventIds)) {
            AttemptResult r = result(l, AttemptResult.Outcome.SUCCESS, target, null);
            batch.add(new DeliveryQueue.Settlement(l, r, new Decision(Decision.Kind.DELIVERED, null, null)));
        }
        Set<Long> settled = deliveries.settleAll(batch);
        spans(batch, settled, target);
        return settled.size();
    }

    private void spans(List<DeliveryQueue.Settlement> batch, Set<Long> settled, String target) {
        if (spans == Spans.NONE) {
            return;
        }
        for (DeliveryQueue.Settlement s : batch) {
            if (settled.contains(s.delivery().deliveryId())) {
                DeliverySpans.end(
                        DeliverySpans.start(
                                spans, s.delivery(), target, s.attempt().startedAt()),
                        s.attempt(),
                        s.decision());
            }
        }
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
        List<DeliveryQueue.Settlement> batch = new ArrayList<>();
        for (Leased l : deliveries.leased(subscriptionId, eventIds)) {
            AttemptResult r =
                    result(l, reject ? AttemptResult.Outcome.REJECTED : AttemptResult.Outcome.FAILURE, target, reason);
            Decision d = Decision.after(
                    r,
                    policy,
                    l.attempt(),
                    l.firstAttemptAt(),
                    ThreadLocalRandom.current().nextDouble());
            batch.add(new DeliveryQueue.Settlement(l, r, d));
        }
        Set<Long> settled = deliveries.settleAll(batch);
        spans(batch, settled, target);
        for (DeliveryQueue.Settlement s : batch) {
            if (settled.contains(s.delivery().deliveryId())) {
                DeliveryLog.settled(s);
            }
        }
        return settled.size();
    }

    private AttemptResult result(Leased l, AttemptResult.Outcome outcome, String target, String error) {
        Instant now = clock.instant();
        Instant started = l.leasedAt() == null || l.leasedAt().isAfter(now) ? now : l.leasedAt();
        return new AttemptResult(outcome, started, Duration.between(started, now), target, null, error, null);
    }
}
