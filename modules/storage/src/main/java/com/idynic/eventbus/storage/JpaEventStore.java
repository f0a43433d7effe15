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
    /** Records a service's key, or takes over its own expired one; 0 rows when the key is still in use. */
    private static final String CLAIM_KEY =
            """
            insert into eb_idempotency (service, idem_key, content_hash, event_id) values (?1, ?2, ?3, ?4)
            on conflict (service, idem_key) do update
              set content_hash = excluded.content_hash, event_id = excluded.event_id, created_at = now()
              where eb_idempotency.created_at < now() - (?5 * interval '1 second')""";

    private static final String FIND_KEY =
            """
            select content_hash, event_id from eb_idempotency
            where service = ?1 and idem_key = ?2 and created_at >= now() - (?3 * interval '1 second')""";

    /**
     * Claims the id first, without a unique-key violation on a re-publish (which EclipseLink would log as a
     * WARNING and Liberty as an FFDC incident): a taken id writes nothing, in the one insert round trip.
     */
    private static final String CLAIM_ID =
            "insert into eb_event_id (id, accepted_at) values (?1, ?2) on conflict (id) do nothing";

    @PersistenceContext(unitName = "eventbus")
    EntityManager em;

    @Override
    @Transactional
    public boolean append(EventEnvelope event, PublishReceipt receipt) {
        int claimed = em.createNativeQuery(CLAIM_ID)
                .setParameter(1, event.id())
                .setParameter(2, receipt.acceptedAt())
                .executeUpdate();
        if (claimed == 0) {
            return false;
        }
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
        return true;
    }

    @Override
    @Transactional
    public boolean append(
            EventEnvelope event, PublishReceipt receipt, String service, String idempotencyKey, Duration window) {
        if (!append(event, receipt)) {
            return false;
        }
        int claimed = em.createNativeQuery(CLAIM_KEY)
                .setParameter(1, service)
                .setParameter(2, idempotencyKey)
                .setParameter(3, event.contentHash())
                .setParameter(4, event.id())
                .setParameter(5, window.toSeconds())
                .executeUpdate();
        if (claimed == 0) {
            throw new IllegalStateException("idempotency key in use: " + service + "/" + idempotencyKey);
        }
        return true;
    }

    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<IdempotencyRecord> idempotencyKey(String service, String key, Duration window) {
        List<?> rows = em.createNativeQuery(FIND_KEY)
                .setParameter(1, service)
                .setParameter(2, key)
                .setParameter(3, window.toSeconds())
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
