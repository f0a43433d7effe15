package com.idynic.eventbus.broker.spi;

/**
 * One unsent outbox row with what the relay needs to build a Kafka record.
 *
 * @param seq outbox sequence number; relay order
 * @param eventId event id (header {@code ce_id})
 * @param eventType event type (header {@code ce_type})
 * @param source publishing service (header {@code ce_source})
 * @param partitionKey ordering key (record key), may be null
 * @param correlationId correlation id (header {@code correlation-id}), may be null
 * @param traceparent W3C trace context (header {@code traceparent}), may be null
 * @param payload the envelope JSON; the relay writes its {@code data} as the record value, the rest as {@code ce_} headers
 * @param eventSeq the event's publish-order number (header {@code eb-seq})
 * @param acceptedAt when the bus accepted the event (the record's timestamp)
 * @param occurredAt the event's own {@code timestamp} (header {@code ce_time}), may be null
 * @since 0.1.0
 */
public record OutboxEntry(
        long seq,
        String eventId,
        String eventType,
        String source,
        String partitionKey,
        String correlationId,
        String traceparent,
        String payload,
        long eventSeq,
        java.time.Instant acceptedAt,
        java.time.Instant occurredAt) {

    /** As the canonical constructor, without the event's own time (no {@code ce_time} header). */
    public OutboxEntry(
            long seq,
            String eventId,
            String eventType,
            String source,
            String partitionKey,
            String correlationId,
            String traceparent,
            String payload,
            long eventSeq,
            java.time.Instant acceptedAt) {
        this(
                seq,
                eventId,
                eventType,
                source,
                partitionKey,
                correlationId,
                traceparent,
                payload,
                eventSeq,
                acceptedAt,
                null);
    }
}
