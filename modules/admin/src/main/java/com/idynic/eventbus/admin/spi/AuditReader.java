package com.idynic.eventbus.admin.spi;

import com.idynic.eventbus.admin.AuditEntry;
import java.time.Instant;
import java.util.List;

/**
 * The read side of the audit log (written through {@code broker.spi.AuditLog}).
 *
 * @since 0.20.0
 */
public interface AuditReader {
    /**
     * What to read; every filter may be null.
     *
     * @param actor exactly this actor
     * @param action exactly this action
     * @param subscription exactly this subscription
     * @param from entries at or after this time
     * @param to entries before this time
     */
    record Filter(String actor, String action, String subscription, Instant from, Instant to) {}

    /**
     * @param before only entries with a smaller id, or 0 for the newest
     * @param limit most entries
     * @return matching entries, newest first
     */
    List<AuditEntry> entries(Filter filter, long before, int limit);
}
