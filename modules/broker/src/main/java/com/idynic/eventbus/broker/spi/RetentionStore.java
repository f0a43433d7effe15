package com.idynic.eventbus.broker.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Retention policies and the batched removal of expired events.
 *
 * @since 0.2.0
 */
public interface RetentionStore {
    /** @return every per-type policy */
    List<RetentionPolicy> policies();

    void save(RetentionPolicy policy);

    /** @return true when a policy was removed */
    boolean delete(String eventType);

    /**
     * Removes at most {@code batch} events of {@code eventType} (or, when null, of every type without a
     * policy) that are older than {@code maxAge} or beyond the newest {@code maxCount}, never one still in
     * the outbox or with a pending, leased or dead delivery; with them go their finished delivery rows.
     *
     * @return events removed
     */
    int purge(String eventType, Duration maxAge, Long maxCount, int batch);

    /**
     * Creates the store's time partitions (one per UTC day) from today through {@code daysAhead} days
     * ahead, so events never land in the catch-all partition.
     *
     * @return partitions created
     * @since 0.3.0
     */
    int ensurePartitions(int daysAhead);

    /**
     * Drops, whole, every time partition that ends before {@code cutoff} and holds no event still in the
     * outbox or with a pending, leased or dead delivery (such a partition is left to {@link #purge}).
     *
     * @return events removed per event type
     * @since 0.3.0
     */
    Map<String, Long> dropPartitionsBefore(Instant cutoff);
}
