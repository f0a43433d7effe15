package com.idynic.eventbus.storage;

import com.idynic.eventbus.api.EventEnvelope;
import com.idynic.eventbus.api.PublishReceipt;
import com.idynic.eventbus.broker.spi.EventStore;
import com.idynic.eventbus.broker.spi.StoredEvent;
import com.idynic.eventbus.storage.internal.EventEntity;
import com.idynic.eventbus.storage.internal.OutboxEntity;
import com.idynic.eventbus.storage.internal.Rows;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.util.Optional;

/** Stores events and outbox rows with EclipseLink in the caller's JTA transaction (or a new one). */
@ApplicationScoped
public class JpaEventStore implements EventStore {
    @PersistenceContext(unitName = "eventbus")
    EntityManager em;

    @Override
    @Transactional
    public void append(EventEnvelope event, PublishReceipt receipt) {
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
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<StoredEvent> find(String eventId) {
        EventEntity e = em.find(EventEntity.class, eventId);
        if (e == null) {
            return Optional.empty();
        }
        long pending = em.createQuery("select count(o) from OutboxEntity o where o.eventId = :id", Long.class)
                .setParameter("id", eventId)
                .getSingleResult();
        return Optional.of(Rows.event(e.payload, e.contentHash, e.receipt, e.acceptedAt, pending == 0));
    }
}
