package com.idynic.eventbus.storage;

import com.idynic.eventbus.api.EventEnvelope;
import com.idynic.eventbus.api.PublishReceipt;
import com.idynic.eventbus.broker.spi.EventStore;
import com.idynic.eventbus.broker.spi.IdempotencyRecord;
import com.idynic.eventbus.broker.spi.Relayed;
import com.idynic.eventbus.broker.spi.StoredEvent;
import com.idynic.eventbus.storage.internal.EventEntity;
import com.idynic.eventbus.storage.internal.OutboxEntity;
import com.idynic.eventbus.storage.internal.Rows;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Stores events and outbox rows with EclipseLink in the caller's JTA transaction (or a new one). */
@ApplicationScoped
public class JpaEventStore implements EventStore {
    @PersistenceContext(unitName = "eventbus")
    EntityManager em;

    @Override
    @Transactional
    public void append(EventEnvelope event, PublishReceipt receipt) {
        // the unique id first: a duplicate fails here, before the (partitioned) event row is written
        em.createNativeQuery("insert into eb_event_id (id, accepted_at) values (?1, ?2)")
                .setParameter(1, event.id())
                .setParameter(2, receipt.acceptedAt())
                .executeUpdate();
        EventEntity e = new EventEntity();
        e.id = event.id();
        e.eventType = event.eventType();
        e.source = event.source();
        e.occurredAt = event.timestamp();
        e.partitionKey = event.partitionKey();
        e.correlationId = event.correlationId();
        e.traceparent = event.traceparent();
        e.payload = event.toJson().toString();
        e.contentHash = event.contentHash();
        e.receipt = receipt.receipt();
        e.acceptedAt = receipt.acceptedAt();
        em.persist(e);
        em.flush();
        OutboxEntity o = new OutboxEntity();
        o.eventId = event.id();
        o.createdAt = receipt.acceptedAt();
        em.persist(o);
    }

    @Override
    @Transactional
    public void append(EventEnvelope event, PublishReceipt receipt, String idempotencyKey, Duration window) {
        append(event, receipt);
        int claimed = em.createNativeQuery("insert into eb_idempotency (idem_key, content_hash, event_id)"
                        + " values (?1, ?2, ?3) on conflict (idem_key) do update set content_hash = excluded.content_hash,"
                        + " event_id = excluded.event_id, created_at = now()"
                        + " where eb_idempotency.created_at < now() - (?4 * interval '1 second')")
                .setParameter(1, idempotencyKey)
                .setParameter(2, event.contentHash())
                .setParameter(3, event.id())
                .setParameter(4, window.toSeconds())
                .executeUpdate();
        if (claimed == 0) {
            throw new IllegalStateException("idempotency key in use: " + idempotencyKey);
        }
    }

    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<IdempotencyRecord> idempotencyKey(String key, Duration window) {
        List<?> rows = em.createNativeQuery("select content_hash, event_id from eb_idempotency where idem_key = ?1"
                        + " and created_at >= now() - (?2 * interval '1 second')")
                .setParameter(1, key)
                .setParameter(2, window.toSeconds())
                .getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] r = (Object[]) rows.get(0);
        return Optional.of(new IdempotencyRecord(String.valueOf(r[0]), String.valueOf(r[1])));
    }

    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<StoredEvent> find(String eventId) {
        EventEntity e = em.find(EventEntity.class, eventId);
        if (e == null) {
            return Optional.empty();
        }
        long pending = em.createQuery("select count(o) from OutboxEntity o where o.eventId = :id", Long.class)
                .setParameter("id", eventId)
                .getSingleResult();
        StoredEvent s = Rows.event(e.payload, e.contentHash, e.receipt, e.acceptedAt, pending == 0);
        Relayed at = e.kafkaTopic == null ? null : new Relayed(0, e.id, e.kafkaTopic, e.kafkaPartition, e.kafkaOffset);
        return Optional.of(new StoredEvent(s.envelope(), s.receipt(), s.relayed(), at));
    }
}
