package com.idynic.eventbus.storage.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** Row of {@code eb_event}. */
@Entity
@Table(name = "eb_event")
public class EventEntity {
    @Id
    public String id;

    @Column(name = "event_type")
    public String eventType;

    public String source;

    @Column(name = "occurred_at")
    public OffsetDateTime occurredAt;

    @Column(name = "partition_key")
    public String partitionKey;

    @Column(name = "correlation_id")
    public String correlationId;

    public String traceparent;
    public String payload;

    @Column(name = "content_hash")
    public String contentHash;

    public String receipt;

    @Column(name = "accepted_at")
    public OffsetDateTime acceptedAt;
}
