package com.idynic.eventbus.broker.spi;

import java.time.Instant;
import java.util.List;

/**
 * Looks up stored events by correlation id, trace id, type, source and acceptance time, in publish order, a page
 * at a time.
 *
 * @since 0.2.0
 */
public interface EventSearch {
    /**
     * What to look for; null fields do not restrict.
     *
     * @param eventType exact type
     * @param correlationId {@code metadata.correlationId}
     * @param source publishing service
     * @param from accepted at or after
     * @param to accepted before
     * @param afterSeq continue after this publish sequence number (0 for the first page)
     * @param limit page size
     * @param traceId the trace id of the event's {@code traceparent} (32 lowercase hex digits)
     */
    record Criteria(
            String eventType,
            String correlationId,
            String source,
            Instant from,
            Instant to,
            long afterSeq,
            int limit,
            String traceId) {
        /** Criteria without a trace id. */
        public Criteria(
                String eventType,
                String correlationId,
                String source,
                Instant from,
                Instant to,
                long afterSeq,
                int limit) {
            this(eventType, correlationId, source, from, to, afterSeq, limit, null);
        }
    }

    /**
     * One hit.
     *
     * @param seq publish sequence number (for the next page)
     * @param event the event
     * @param deliveries its delivery state per subscription
     */
    record Hit(long seq, StoredEvent event, List<DeliveryStatus> deliveries) {}

    /** @return matching events in publish order */
    List<Hit> search(Criteria criteria);
}
