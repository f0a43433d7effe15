package com.idynic.eventbus.broker.spi;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One retention run: a background job that removes expired events in bounded batches and records its
 * progress after each, so any server (and any caller) can follow it.
 *
 * @param id the run's id, e.g. {@code ret-5f1c2a9e-7b3d}
 * @param state {@link State#RUNNING} until it ends as {@link State#DONE} or {@link State#FAILED}
 * @param trigger who started it: {@code api} ({@code POST /v1/retention/run}) or {@code schedule}
 * @param removed events removed so far per policy's event type; {@code *} counts the types under the
 *     global default; never null
 * @param batches delete batches done so far (each one bounded statement)
 * @param eventType the event type the run works on now; null before the first and after the last
 * @param startedAt when it started
 * @param updatedAt when it last recorded progress
 * @param finishedAt when it ended; null while running
 * @param error why it failed, e.g. {@code statement timeout after 20 s in batch 38 (order.placed)}; null
 *     unless failed
 * @since 0.4.0
 */
public record RetentionRun(
        String id,
        State state,
        String trigger,
        Map<String, Long> removed,
        long batches,
        String eventType,
        Instant startedAt,
        Instant updatedAt,
        Instant finishedAt,
        String error) {

    /** Where a run stands. */
    public enum State {
        /** Working (or waiting for a server to resume it). */
        RUNNING,
        /** Ended having looked at everything its policies cover. */
        DONE,
        /** Ended early; {@link RetentionRun#error()} says why. What it removed until then stays removed. */
        FAILED
    }

    public RetentionRun {
        removed = Collections.unmodifiableMap(new LinkedHashMap<>(removed));
    }

    /** @return events removed in all */
    public long total() {
        return removed.values().stream().mapToLong(Long::longValue).sum();
    }
}
