package com.idynic.eventbus.subscribers;

import com.idynic.eventbus.subscribers.spi.ReplayStore;
import java.time.Instant;
import java.util.List;

/**
 * A replay as callers (the REST API, the console) follow it: the stored {@link ReplayStore.Job} may change without
 * changing what they show; its read cursor stays in the store.
 *
 * @param id e.g. {@code rpl-5f1c2a9e-7b3d}
 * @param subscriptionId the only subscription that receives the replayed events
 * @param from {@code earliest}, an ISO-8601 time or an event id (inclusive)
 * @param to end time (exclusive), or null for up to the start of the job
 * @param eventTypes selectors narrowing the subscription's own, empty for all
 * @param ratePerSecond events queued per second at most
 * @param state {@code running}, {@code done}, {@code failed}, {@code cancelled}, or {@code dry-run} for a job a dry
 *     run counted and did not store
 * @param total events to replay
 * @param done events queued so far
 * @param etaSeconds seconds left at its rate; 0 once everything is queued
 * @param error why it failed or was cancelled, or null
 * @param createdAt when it was created
 * @param updatedAt when it last recorded progress
 * @param source {@code auto} (the Kafka topic where it still holds the range) or {@code postgresql}
 * @param readFrom {@code kafka} or {@code postgresql} once running (or for a dry run), else null
 * @since 0.23.0
 */
public record ReplayView(
        String id,
        String subscriptionId,
        String from,
        Instant to,
        List<String> eventTypes,
        double ratePerSecond,
        String state,
        long total,
        long done,
        long etaSeconds,
        String error,
        Instant createdAt,
        Instant updatedAt,
        String source,
        String readFrom) {

    public ReplayView {
        eventTypes = List.copyOf(eventTypes);
    }

    /** @return whether it still queues events */
    public boolean running() {
        return "running".equals(state);
    }

    /** @return whether it is a dry run's count, stored nowhere (it has no progress to follow) */
    public boolean dryRun() {
        return "dry-run".equals(state);
    }

    static ReplayView of(ReplayStore.Job j) {
        return new ReplayView(
                j.id(),
                j.subscriptionId(),
                j.from(),
                j.to(),
                j.eventTypes(),
                j.ratePerSecond(),
                j.state(),
                j.total(),
                j.done(),
                ReplayService.etaSeconds(j),
                j.error(),
                j.createdAt(),
                j.updatedAt(),
                j.source(),
                j.readFrom());
    }
}
