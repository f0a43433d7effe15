package com.idynic.eventbus.broker.spi;

import java.time.Instant;

/**
 * Where finished deliveries go: the delivery history, kept until retention removes their event. Moving them
 * out of the delivery queue keeps the rows that leasing and settling touch to the open, retrying, parked and
 * dead ones; {@link DeliveryHistory} reads both.
 *
 * @since 0.8.0
 */
public interface DeliveryArchive {
    /**
     * Moves up to {@code limit} finished deliveries ({@link DeliveryState#DELIVERED}, {@link
     * DeliveryState#DISCARDED}) whose last change was before {@code finishedBefore}, oldest first, into the
     * history in one transaction; rows another server is moving are skipped. Their attempt records stay
     * readable. A delivery queued again for the same event afterwards (a replay, or Kafka handing the event
     * over again) gets a new row.
     *
     * @param finishedBefore e.g. now minus the history window
     * @param limit most rows to move, e.g. 5,000
     * @return rows moved; fewer than {@code limit} means none older are left
     */
    int moveFinished(Instant finishedBefore, int limit);
}
