package com.idynic.eventbus.subscribers.delivery;

import com.idynic.eventbus.api.LaneSplit;
import com.idynic.eventbus.broker.spi.Leased;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Sends an ordered subscription's leased runs ({@link com.idynic.eventbus.broker.spi.DeliveryQueue#leaseRuns}) on a
 * few lanes: each key's events go through one lane, one after another in sequence order, each sent only once the one
 * before it finished (the sender says when: a delivered one as soon as the receiver answered); different keys go in
 * parallel on different lanes, never more lanes than calls allowed. A key whose event was not delivered (a retry, a
 * dead letter, a lost lease, a failure) sends none of its later events: they are released back to pending, to be
 * leased again behind it. So one lease hands a key's consecutive events to the sender instead of one lease (and one
 * pass of the push loop) per event, which starved ordered webhooks under load.
 */
final class KeyLanes {
    /** What became of one sent event. */
    enum Step {
        /** Delivered (its settlement may still be on its way) or withheld: its key's next event may go. */
        NEXT,
        /** Not delivered, or not settled: its key's later events are released, not sent. */
        STOP_KEY
    }

    private KeyLanes() {}

    /**
     * @param leased leased events in sequence order
     * @param lanes most lanes (at least 1)
     * @return the events on at most {@code lanes} non-empty lanes ({@link LaneSplit#balanced}: each key's events on
     *     one lane in their order, the lanes holding about as many events each)
     */
    static List<Deque<Leased>> split(List<Leased> leased, int lanes) {
        return LaneSplit.balanced(leased, lanes, l -> l.event().envelope().partitionKey()).stream()
                .filter(l -> !l.isEmpty())
                .map(l -> (Deque<Leased>) new ArrayDeque<>(l))
                .toList();
    }

    /**
     * Sends one lane's events in order.
     *
     * @param lane the lane's events; consumed
     * @param send sends and settles one event; may complete exceptionally (treated as {@link Step#STOP_KEY})
     * @param mayStart whether an event may still be sent (its lease will not lapse during the call); when it may
     *     not, it and the rest of the lane are released
     * @param release returns leased events that will not be sent to pending
     * @return completes (never exceptionally) when the lane is done
     */
    static CompletableFuture<Void> run(
            Deque<Leased> lane,
            Function<Leased, CompletableFuture<Step>> send,
            Predicate<Leased> mayStart,
            Consumer<List<Leased>> release) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        next(lane, send, mayStart, release, done);
        return done;
    }

    private static void next(
            Deque<Leased> lane,
            Function<Leased, CompletableFuture<Step>> send,
            Predicate<Leased> mayStart,
            Consumer<List<Leased>> release,
            CompletableFuture<Void> done) {
        Leased l = lane.poll();
        if (l == null) {
            done.complete(null);
            return;
        }
        if (!mayStart.test(l)) {
            List<Leased> rest = new ArrayList<>();
            rest.add(l);
            rest.addAll(lane);
            lane.clear();
            releaseQuietly(release, rest);
            done.complete(null);
            return;
        }
        CompletableFuture<Step> sent;
        try {
            sent = send.apply(l);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((step, failure) -> {
            if (failure != null || step != Step.NEXT) {
                releaseQuietly(release, dropLaterOfKey(lane, l));
            }
            next(lane, send, mayStart, release, done);
        });
    }

    /** Takes the later events of the event's key out of the lane (an event without a key has none). */
    static List<Leased> dropLaterOfKey(Deque<Leased> lane, Leased l) {
        List<Leased> dropped = new ArrayList<>();
        String key = l.event().envelope().partitionKey();
        if (key == null) {
            return dropped;
        }
        for (var it = lane.iterator(); it.hasNext(); ) {
            Leased later = it.next();
            if (key.equals(later.event().envelope().partitionKey())) {
                it.remove();
                dropped.add(later);
            }
        }
        return dropped;
    }

    private static void releaseQuietly(Consumer<List<Leased>> release, List<Leased> events) {
        if (events.isEmpty()) {
            return;
        }
        try {
            release.accept(events);
        } catch (RuntimeException e) {
            // their leases lapse instead; they are leased again afterwards, still behind their key's earlier events
        }
    }
}
