package com.idynic.eventbus.subscribers;

import com.idynic.eventbus.api.EventTypes;
import java.util.List;

/**
 * Where a replay reads and how long it takes: a job that selects some event types finds them through
 * PostgreSQL's type index (a few events among millions cost a few rows); a job of every type reads each
 * event of its range, and the events it drops cost reading time too.
 */
final class ReplayPlan {
    /**
     * Events a job of every event type reads per second when it drops them (they do not pass the
     * subscription's filter): a cautious figure from issue 16, where a Kafka read went through 170,000
     * events in about 60 s. Only estimates use it, so they err long.
     */
    static final long EXAMINED_PER_SECOND = 2_500;

    private ReplayPlan() {}

    /**
     * @return whether the job selects only some event types (the subscription's or its own selectors have
     *     no {@code *}), so PostgreSQL finds its events through the type index without reading the others
     */
    static boolean selective(Subscription s, List<String> narrowedTo) {
        return !s.eventTypes().contains(EventTypes.ALL)
                || (!narrowedTo.isEmpty() && !narrowedTo.contains(EventTypes.ALL));
    }

    /** @return seconds to queue {@code queued} events at {@code ratePerSecond} and read past {@code dropped} */
    static long estimateSeconds(long queued, long dropped, double ratePerSecond) {
        return (long) Math.ceil(queued / ratePerSecond + (double) dropped / EXAMINED_PER_SECOND);
    }
}
