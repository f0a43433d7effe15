package com.idynic.eventbus.storage;

import com.idynic.eventbus.api.EventEnvelope;
import com.idynic.eventbus.api.PublishReceipt;
import com.idynic.eventbus.broker.spi.EventBatchStore;
import com.idynic.eventbus.broker.spi.EventStore;
import com.idynic.eventbus.broker.spi.IdempotencyRecord;
import com.idynic.eventbus.broker.spi.Relayed;
import com.idynic.eventbus.broker.spi.StoredEvent;
import com.idynic.eventbus.storage.internal.EventEntity;
import com.idynic.eventbus.storage.internal.Rows;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Stores events and outbox rows in the caller's JTA transaction (or a new one) with the server's one event
 * insert ({@link EventInsert}) on the JTA-enlisted {@code jdbc/eventbus} connection, the persistence unit's
 * data source; reads them with EclipseLink.
 */
@ApplicationScoped
public class JpaEventStore implements EventStore {
    private static final String FIND_KEY =
            """
            select content_hash, event_id from eb_idempotency
            where service = ?1 and idem_key = ?2 and created_at >= now() - (?3 * interval '1 second')""";

    private static final String POSITION =
            "select kafka_topic, kafka_partition, kafka_offset from eb_event_id where id = ?1 and kafka_topic is not null";

    @PersistenceContext(unitName = "eventbus")
    EntityManager em;

    @Resource(lookup = "jdbc/eventbus")
    DataSource ds;

    @Override
    @Transactional
    public boolean append(EventEnvelope event, PublishReceipt receipt) {
        try (Connection c = ds.getConnection()) {
            return insert(c, event, receipt);
        } catch (SQLException e) {
            throw new StorageException(e);
        }
    }

    @Override
    @Transactional
    public boolean append(
            EventEnvelope event, PublishReceipt receipt, String service, String idempotencyKey, Duration window) {
        try (Connection c = ds.getConnection()) {
            if (!insert(c, event, receipt)) {
                return false;
            }
            if (!EventInsert.claimKey(c, service, idempotencyKey, event.contentHash(), event.id(), window)) {
                throw new IllegalStateException("idempotency key in use: " + service + "/" + idempotencyKey);
            }
            return true;
        } catch (SQLException e) {
            throw new StorageException(e);
        }
    }

    private static boolean insert(Connection c, EventEnvelope event, PublishReceipt receipt) throws SQLException {
        return !EventInsert.insert(c, List.of(new EventBatchStore.Entry(event, receipt)))
                .isEmpty();
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
        Relayed at = position(e.id);
        return Optional.of(new StoredEvent(s.envelope(), s.receipt(), s.relayed(), at));
    }

    /** @return where the relay recorded the event in Kafka (on its id row, see {@code V027}), or null before */
    private Relayed position(String eventId) {
        List<?> rows = em.createNativeQuery(POSITION).setParameter(1, eventId).getResultList();
        if (rows.isEmpty()) {
            return null;
        }
        Object[] r = (Object[]) rows.get(0);
        return new Relayed(0, eventId, (String) r[0], ((Number) r[1]).intValue(), ((Number) r[2]).longValue());
    }
}
