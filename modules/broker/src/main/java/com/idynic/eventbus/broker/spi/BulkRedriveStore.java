package com.idynic.eventbus.broker.spi;

import com.idynic.eventbus.broker.DeadLetterFilter;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Bulk redrive jobs ("redrive every dead letter of a subscription that matches a filter") and their steps. A
 * job covers the dead letters that match when it is stored; each step redrives the next chunk of them in
 * delivery order and records the job's progress in the same transaction, so progress survives a restart
 * exactly. The database allows one running job per subscription.
 *
 * @since 0.9.0
 */
public interface BulkRedriveStore {
    /**
     * A bulk redrive.
     *
     * @param id job id, e.g. {@code rdr-...}
     * @param subscriptionId the subscription whose dead letters it redrives (to it only)
     * @param filter which dead letters
     * @param ratePerSecond budget, dead letters redriven per second
     * @param state {@code running}, {@code done}, {@code cancelled} or {@code failed} ({@code error} says why)
     * @param total the dead letters that matched when the job was stored
     * @param done dead letters redriven so far
     * @param upToId the highest delivery id the job covers (dead letters that die later are not its)
     * @param lastId the last delivery id examined
     * @param error why it ended early, or null
     * @param actor who started it (audited)
     * @param createdAt creation time
     * @param updatedAt last progress time
     */
    record Job(
            String id,
            String subscriptionId,
            DeadLetterFilter filter,
            double ratePerSecond,
            String state,
            long total,
            long done,
            long upToId,
            long lastId,
            String error,
            String actor,
            Instant createdAt,
            Instant updatedAt) {
        /** @return whether the job still runs */
        public boolean running() {
            return "running".equals(state);
        }
    }

    /**
     * What one step did.
     *
     * @param running false when the job was no longer running (cancelled or ended): nothing was done
     * @param redriven dead letters redriven by this step
     * @param done dead letters redriven by the job so far
     * @param finished whether the job is done now (no dead letter of its range is left to examine)
     */
    record Step(boolean running, int redriven, long done, boolean finished) {}

    /**
     * Stores a new running job unless its subscription has one running already; sets its {@code total} and
     * {@code upToId} from the dead letters matching its filter at that moment, and writes the audit record
     * in the same transaction.
     *
     * @return empty when stored; else the subscription's running job, and nothing was stored
     */
    Optional<Job> create(Job job);

    Optional<Job> find(String id);

    /** @return running jobs not claimed by another live server, now claimed by {@code owner} */
    List<Job> claimRunnable(String owner);

    /**
     * Redrives the job's next dead letters (at most {@code limit}, after its last examined delivery id and up to
     * its {@code upToId}, matching its filter), records its progress and, when none is left, ends it as
     * {@code done}: all in one transaction.
     */
    Step step(String id, int limit);

    /** Ends a running job as {@code failed} with {@code error}. */
    void fail(String id, String error);

    /**
     * Ends a running job as {@code cancelled}, audited with {@code actor} in the same transaction.
     *
     * @return whether it was running
     */
    boolean cancel(String id, String actor);
}
