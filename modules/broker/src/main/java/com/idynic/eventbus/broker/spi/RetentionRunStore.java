package com.idynic.eventbus.broker.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Retention runs and the guard that keeps them to one at a time across all servers sharing the store.
 *
 * @since 0.4.0
 */
public interface RetentionRunStore {
    /**
     * Stores {@code run} (running, worked on by {@code owner}) unless another run is running.
     *
     * @param owner the server that will work on it
     * @return empty when stored; otherwise the run that is running, untouched
     */
    Optional<RetentionRun> start(RetentionRun run, String owner);

    /**
     * Claims the running run for {@code owner} when no other server works on it: it is already
     * {@code owner}'s, was released, or has recorded no progress for {@code stale} (its server stopped).
     *
     * @return the claimed run; empty when none runs or another live server works on it
     */
    Optional<RetentionRun> claim(String owner, Duration stale);

    /**
     * Records the run's progress or its end (state, counts, current type, error, finish time) and renews
     * {@code owner}'s claim.
     *
     * @return false when another server claimed the run meanwhile (then nothing was written)
     */
    boolean record(RetentionRun run, String owner);

    /** Gives up {@code owner}'s claim on a running run (server stopping), so another server resumes it at once. */
    void release(String id, String owner);

    /** @return the run with this id, if stored */
    Optional<RetentionRun> find(String id);

    /** @return the run that is running, if any */
    Optional<RetentionRun> running();

    /** @return the most recently started run, if any */
    Optional<RetentionRun> latest();

    /**
     * Forgets runs that finished before {@code before}.
     *
     * @return runs forgotten
     */
    int forgetFinishedBefore(Instant before);
}
