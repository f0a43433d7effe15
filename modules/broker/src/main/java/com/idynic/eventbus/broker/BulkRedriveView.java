package com.idynic.eventbus.broker;

import com.idynic.eventbus.broker.spi.BulkRedriveStore;
import java.time.Instant;

/**
 * A bulk redrive as callers follow it (the stored {@link BulkRedriveStore.Job} may change without changing it).
 *
 * @param id e.g. {@code rdr-5f1c2a9e-7b3d}
 * @param subscriptionId the subscription whose dead letters it redrives
 * @param filter which dead letters
 * @param ratePerSecond dead letters redriven per second at most
 * @param state {@code running}, {@code done}, {@code cancelled} or {@code failed}
 * @param total the dead letters that matched when it started
 * @param done how many it has redriven
 * @param etaSeconds seconds left at its rate; 0 once it ended
 * @param startedBy the service that started it
 * @param createdAt when it started
 * @param updatedAt when it last recorded progress
 * @param error why it failed, or null
 * @since 0.23.0
 */
public record BulkRedriveView(
        String id,
        String subscriptionId,
        DeadLetterFilter filter,
        double ratePerSecond,
        String state,
        long total,
        long done,
        long etaSeconds,
        String startedBy,
        Instant createdAt,
        Instant updatedAt,
        String error) {

    /** @return whether it still runs */
    public boolean running() {
        return "running".equals(state);
    }

    /** @return its progress in percent, 0 to 100 (100 when it had nothing to redrive) */
    public int percent() {
        return total == 0 ? 100 : (int) Math.min(100, done * 100 / total);
    }

    static BulkRedriveView of(BulkRedriveStore.Job j) {
        return new BulkRedriveView(
                j.id(),
                j.subscriptionId(),
                j.filter(),
                j.ratePerSecond(),
                j.state(),
                j.total(),
                j.done(),
                BulkRedrives.etaSeconds(j),
                j.actor(),
                j.createdAt(),
                j.updatedAt(),
                j.error());
    }
}
