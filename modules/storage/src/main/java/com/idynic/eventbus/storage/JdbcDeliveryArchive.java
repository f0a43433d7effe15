package com.idynic.eventbus.storage;

import com.idynic.eventbus.broker.spi.DeliveryArchive;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import javax.sql.DataSource;

/**
 * The delivery history in PostgreSQL: finished rows move from {@code eb_delivery} to {@code eb_delivery_history}
 * (partitioned by day on their event's acceptance time, dropped with that day of events) in one set-based
 * statement per batch. Attempt records need no move: {@code eb_delivery_attempt} is partitioned the same way and
 * no longer depends on the delivery row.
 *
 * @since 0.8.0
 */
@ApplicationScoped
public class JdbcDeliveryArchive implements DeliveryArchive {
    /**
     * When a finished row last changed: delivered, dead-lettered (before an operator discarded it), or leased
     * (before it was withheld). The index {@code eb_delivery_finished} is on this expression, spelled the same.
     */
    static final String FINISHED_AT = "coalesce(d.delivered_at, d.dead_at, d.leased_at, d.created_at)";

    /**
     * Picks the oldest finished rows (skipping those another server holds), deletes them and inserts them into
     * the history in one statement; the event's acceptance time, the partition key, comes from its id row.
     */
    static final String MOVE =
            """
            with picked as (
              select d.id from eb_delivery d
               where d.state in ('DELIVERED', 'DISCARDED') and %1$s < ?
               order by %1$s
               limit ?
               for update skip locked),
            moved as (
              delete from eb_delivery d using picked where d.id = picked.id
              returning d.id, d.delivered_at, d.dead_at, d.dead_group, d.attempts, d.subscription_id, d.event_id,
                        d.state, d.last_error)
            insert into eb_delivery_history (id, accepted_at, delivered_at, dead_at, dead_group, attempts,
                                             subscription_id, event_id, state, last_error)
            select m.id, i.accepted_at, m.delivered_at, m.dead_at, m.dead_group, m.attempts, m.subscription_id,
                   m.event_id, m.state, m.last_error
              from moved m join eb_event_id i on i.id = m.event_id"""
                    .formatted(FINISHED_AT);

    @Resource(lookup = "jdbc/eventbus", shareable = false)
    DataSource ds;

    @Override
    public int moveFinished(Instant finishedBefore, int limit) {
        return Jdbc.inTransaction(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement(MOVE)) {
                ps.setTimestamp(1, Timestamp.from(finishedBefore));
                ps.setInt(2, limit);
                return ps.executeUpdate();
            }
        });
    }
}
