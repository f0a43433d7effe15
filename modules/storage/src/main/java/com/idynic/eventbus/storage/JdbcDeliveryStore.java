package com.idynic.eventbus.storage;

import com.idynic.eventbus.broker.spi.DeliveryStore;
import com.idynic.eventbus.broker.spi.Leased;
import com.idynic.eventbus.storage.internal.Rows;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * Delivery rows in PostgreSQL. Leasing for one subscription is serialized with a transaction-scoped
 * advisory lock so two concurrent pullers can never both take events of the same ordering key.
 */
@ApplicationScoped
public class JdbcDeliveryStore implements DeliveryStore {
    private static final String LEASE =
            """
            with cand as (
              select d.id from eb_delivery d join eb_subscription s on s.id = d.subscription_id
              where d.subscription_id = ? and d.state <> 'DELIVERED'
                and ((d.state = 'PENDING' and d.available_at <= now()) or (d.state = 'LEASED' and d.lease_until <= now()))
                and (d.ordering_key is null or s.ordering = 'unordered' or not exists (
                      select 1 from eb_delivery p
                      where p.subscription_id = d.subscription_id and p.ordering_key = d.ordering_key
                        and p.state <> 'DELIVERED' and p.id < d.id))
              order by d.id limit ?)
            update eb_delivery d
               set state = 'LEASED', lease_until = now() + (? * interval '1 millisecond'), attempts = d.attempts + 1
              from cand, eb_event e
             where d.id = cand.id and e.id = d.event_id
            returning d.id, d.attempts, e.payload, e.content_hash, e.receipt, e.accepted_at""";

    @Resource(lookup = "jdbc/eventbus")
    DataSource ds;

    @Override
    public void enqueue(String eventId, String orderingKey, Collection<String> subscriptionIds) {
        Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("insert into eb_delivery (subscription_id, event_id, ordering_key)"
                            + " select s.id, ?, ? from eb_subscription s where s.id = any(?)"
                            + " on conflict on constraint eb_delivery_once do nothing")) {
                ps.setString(1, eventId);
                ps.setString(2, orderingKey);
                ps.setArray(3, c.createArrayOf("varchar", subscriptionIds.toArray()));
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public List<Leased> lease(String subscriptionId, int max, Duration ackDeadline) {
        return Jdbc.inTransaction(ds, c -> {
            lockSubscription(c, subscriptionId);
            TreeMap<Long, Leased> byId = new TreeMap<>();
            try (PreparedStatement ps = c.prepareStatement(LEASE)) {
                ps.setString(1, subscriptionId);
                ps.setInt(2, max);
                ps.setLong(3, ackDeadline.toMillis());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        byId.put(
                                rs.getLong(1),
                                new Leased(
                                        Rows.event(
                                                rs.getString(3),
                                                rs.getString(4),
                                                rs.getString(5),
                                                rs.getObject(6, OffsetDateTime.class),
                                                true),
                                        rs.getInt(2)));
                    }
                }
            }
            return new ArrayList<>(byId.values());
        });
    }

    @Override
    public int ack(String subscriptionId, Collection<String> eventIds) {
        return update(
                "update eb_delivery set state = 'DELIVERED', delivered_at = now(), lease_until = null"
                        + " where subscription_id = ? and event_id = any(?) and state = 'LEASED'",
                subscriptionId,
                eventIds,
                null,
                null);
    }

    @Override
    public int nack(String subscriptionId, Collection<String> eventIds, Duration retryDelay, String reason) {
        return update(
                "update eb_delivery set state = 'PENDING', lease_until = null,"
                        + " available_at = now() + (? * interval '1 millisecond'), last_error = ?"
                        + " where subscription_id = ? and event_id = any(?) and state = 'LEASED'",
                subscriptionId,
                eventIds,
                retryDelay.toMillis(),
                reason == null ? "nack" : reason);
    }

    private int update(String sql, String subscriptionId, Collection<String> ids, Long delayMs, String reason) {
        return Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int i = 1;
                if (delayMs != null) {
                    ps.setLong(i++, delayMs);
                    ps.setString(i++, reason);
                }
                ps.setString(i++, subscriptionId);
                ps.setArray(i, c.createArrayOf("varchar", ids.toArray()));
                return ps.executeUpdate();
            }
        });
    }

    private static void lockSubscription(Connection c, String subscriptionId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select pg_advisory_xact_lock(hashtext(?))")) {
            ps.setString(1, "eb_delivery:" + subscriptionId);
            ps.execute();
        }
    }
}
