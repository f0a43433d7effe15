package com.idynic.eventbus.broker;

import com.idynic.eventbus.broker.spi.RetentionRun;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One retention run as operators follow it (the stored {@link RetentionRun} may change without changing it).
 *
 * @param id e.g. {@code ret-5f1c2a9e-7b3d}
 * @param state {@code RUNNING} until it ends as {@code DONE} or {@code FAILED}
 * @param trigger who started it: {@code api} or {@code schedule}
 * @param removed events removed so far per policy's event type, in the order the run went; {@code *} counts the
 *     types under the global default
 * @param batches delete batches done so far
 * @param eventType the event type it works on now; null before the first and after the last
 * @param startedAt when it started
 * @param updatedAt when it last recorded progress
 * @param finishedAt when it ended; null while running
 * @param error why it failed; null unless failed
 * @since 0.23.0
 */
public record RetentionRunView(
        String id,
        String state,
        String trigger,
        Map<String, Long> removed,
        long batches,
        String eventType,
        Instant startedAt,
        Instant updatedAt,
        Instant finishedAt,
        String error) {

    public RetentionRunView {
        removed = Collections.unmodifiableMap(new LinkedHashMap<>(removed));
    }

    /** @return events removed in all */
    public long total() {
        return removed.values().stream().mapToLong(Long::longValue).sum();
    }

    /** @return whether it still works */
    public boolean running() {
        return finishedAt == null;
    }

    static RetentionRunView of(RetentionRun r) {
        return new RetentionRunView(
                r.id(),
                r.state().name(),
                r.trigger(),
                r.removed(),
                r.batches(),
                r.eventType(),
                r.startedAt(),
                r.updatedAt(),
                r.finishedAt(),
                r.error());
    }
}
