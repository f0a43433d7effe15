package com.idynic.eventbus.storage;

import static com.idynic.eventbus.storage.DeliverySql.fit;

import com.idynic.eventbus.broker.AttemptResult;
import com.idynic.eventbus.broker.Decision;
import com.idynic.eventbus.broker.spi.DeliveryQueue;
import com.idynic.eventbus.broker.spi.Leased;
import com.idynic.eventbus.storage.internal.Rows;
import com.idynic.eventbus.subscribers.SubscriptionState;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * The delivery queue in PostgreSQL. Leasing for one subscription is serialized with a transaction-scoped
 * advisory lock so two concurrent leasers can never both take events of the same ordering key. In ordered
 * subscriptions an event is blocked while an earlier event of its key is pending, leased or dead (parked
 * behind a dead letter), and while any other event of its key is leased: concurrent publishes can reach
 * Kafka out of sequence, so a later event may already be in flight when an earlier one arrives. Only an
 * active subscription's events are leased, judged by its stored state in the lease itself so no server's
 * cache can hand out a paused one's events. The statements are named in {@link DeliverySql}.
 *
 * @since 0.8.0
 */
@ApplicationScoped
public class JdbcDeliveryQueue implements DeliveryQueue {
    /**
     * Most payload bytes one lease hands out (the first event always goes): a pull answer or a webhook batch
     * holds every leased event in memory, and 500 events at the 1 MiB body limit would be 500 MiB.
     */
    static final long LEASE_BYTES = 16L * 1024 * 1024;

    @Resource(lookup = "jdbc/eventbus", shareable = false)
    DataSource ds;

    @Override
    public void enqueue(String eventId, String orderingKey, Collection<String> subscriptionIds) {
        enqueueAll(List.of(new Enqueue(eventId, orderingKey, subscriptionIds)));
    }

    @Override
    public void enqueueAll(List<Enqueue> batch) {
        List<String> subs = new ArrayList<>();
        List<String> events = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        List<Long> seqs = new ArrayList<>();
        for (Enqueue e : batch) {
            Long seq = e.eventSeq() < 0 ? null : e.eventSeq();
            for (String sub : e.subscriptionIds()) {
                subs.add(sub);
                events.add(e.eventId());
                keys.add(e.orderingKey());
                seqs.add(seq);
            }
        }
        if (subs.isEmpty()) {
            return;
        }
        Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement(DeliverySql.ENQUEUE_ALL)) {
                ps.setArray(1, c.createArrayOf("varchar", subs.toArray()));
                ps.setArray(2, c.createArrayOf("varchar", events.toArray()));
                ps.setArray(3, c.createArrayOf("varchar", keys.toArray()));
                ps.setArray(4, c.createArrayOf("bigint", seqs.toArray()));
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public List<Leased> lease(String subscriptionId, int max, Duration leaseFor) {
        return lease(subscriptionId, max, leaseFor, false);
    }

    @Override
    public List<Leased> leaseRuns(String subscriptionId, int max, Duration leaseFor) {
        return lease(subscriptionId, max, leaseFor, true);
    }

    private List<Leased> lease(String subscriptionId, int max, Duration leaseFor, boolean runs) {
        return Jdbc.inTransaction(ds, c -> {
            try (PreparedStatement lock = c.prepareStatement(DeliverySql.LOCK)) {
                lock.setString(1, "eb_delivery:" + subscriptionId);
                lock.execute();
            }
            String ordering;
            try (PreparedStatement ps = c.prepareStatement(DeliverySql.ORDERING_IF_IN_STATE)) {
                ps.setString(1, subscriptionId);
                ps.setString(2, SubscriptionState.ACTIVE.wire());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return List.of();
                    }
                    ordering = rs.getString("ordering");
                }
            }
            List<Long> ids;
            if ("unordered".equals(ordering)) {
                ids = LeaseCandidates.unordered(c, subscriptionId, max);
            } else {
                ids = LeaseCandidates.ordered(c, subscriptionId, max);
                if (runs && !ids.isEmpty()) {
                    ids = LeaseCandidates.runs(c, subscriptionId, ids, max);
                }
            }
            if (ids.isEmpty()) {
                return List.of();
            }
            try (PreparedStatement ps = c.prepareStatement(DeliverySql.TAKE)) {
                java.sql.Array candidates = c.createArrayOf("bigint", ids.toArray());
                ps.setArray(1, candidates);
                ps.setLong(2, leaseFor.toMillis());
                ps.setLong(3, LEASE_BYTES);
                ps.setArray(4, candidates);
                return leasedRows(ps);
            }
        });
    }

    @Override
    public List<Leased> leased(String subscriptionId, Collection<String> eventIds) {
        return Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement(DeliverySql.LEASED)) {
                ps.setString(1, subscriptionId);
                ps.setArray(2, c.createArrayOf("varchar", eventIds.toArray()));
                return leasedRows(ps);
            }
        });
    }

    /**
     * @return the leased rows in publish order (the events' sequence numbers): a key's events in its order, even
     *     when the dispatcher wrote their rows in another order (Kafka can hold a re-sent event after later ones)
     */
    private static List<Leased> leasedRows(PreparedStatement ps) throws SQLException {
        TreeMap<Long, Leased> bySeq = new TreeMap<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                bySeq.put(rs.getLong("event_seq"), Rows.leased(rs));
            }
        }
        return new ArrayList<>(bySeq.values());
    }

    @Override
    public void release(List<Leased> deliveries) {
        if (deliveries.isEmpty()) {
            return;
        }
        Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement(DeliverySql.RELEASE)) {
                ps.setArray(
                        1,
                        c.createArrayOf(
                                "bigint",
                                deliveries.stream().map(Leased::deliveryId).toArray()));
                ps.setArray(
                        2,
                        c.createArrayOf(
                                "integer",
                                deliveries.stream().map(Leased::attempt).toArray()));
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public boolean withhold(Leased l, String reason) {
        return Jdbc.inTransaction(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement(DeliverySql.WITHHOLD)) {
                ps.setString(1, fit(reason, 4000));
                ps.setLong(2, l.deliveryId());
                ps.setInt(3, l.attempt());
                return ps.executeUpdate() > 0;
            }
        });
    }

    @Override
    public boolean settle(Leased l, AttemptResult a, Decision d) {
        return !settleAll(List.of(new Settlement(l, a, d))).isEmpty();
    }

    /**
     * A batch of outcomes in one transaction: the delivered ones with one update, retries and dead letters
     * one by one (they are the exception), and every attempt record with one insert.
     */
    @Override
    public Set<Long> settleAll(List<Settlement> batch) {
        if (batch.isEmpty()) {
            return new HashSet<>();
        }
        return Jdbc.inTransaction(ds, c -> {
            Set<Long> settled = new HashSet<>();
            List<Long> delivered = new ArrayList<>();
            List<Integer> deliveredAttempts = new ArrayList<>();
            for (Settlement s : batch) {
                if (s.decision().kind() == Decision.Kind.DELIVERED) {
                    delivered.add(s.delivery().deliveryId());
                    deliveredAttempts.add(s.delivery().attempt());
                }
            }
            if (!delivered.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement(DeliverySql.SETTLE_DELIVERED)) {
                    ps.setArray(1, c.createArrayOf("bigint", delivered.toArray()));
                    ps.setArray(2, c.createArrayOf("integer", deliveredAttempts.toArray()));
                    settled.addAll(LeaseCandidates.ids(ps));
                }
            }
            for (Settlement s : batch) {
                Decision d = s.decision();
                Leased l = s.delivery();
                boolean changed =
                        switch (d.kind()) {
                            case DELIVERED -> false;
                            case RETRY -> retry(c, l, d);
                            case DEAD -> kill(c, l, d.reason());
                        };
                if (changed) {
                    settled.add(l.deliveryId());
                }
            }
            Attempts.record(
                    c,
                    batch.stream()
                            .filter(s -> settled.contains(s.delivery().deliveryId()))
                            .toList());
            return settled;
        });
    }

    /** Returns the later events of the delivery's key that its run leased to pending, uncounted. */
    private static void releaseRun(Connection c, long deliveryId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(DeliverySql.RELEASE_RUN)) {
            ps.setLong(1, deliveryId);
            ps.executeUpdate();
        }
    }

    /** Schedules a retry when the lease still holds, then releases the rest of its run. */
    private static boolean retry(Connection c, Leased l, Decision d) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(DeliverySql.SETTLE_RETRY)) {
            ps.setTimestamp(1, Timestamp.from(d.retryAt()));
            ps.setString(2, d.reason());
            ps.setLong(3, l.deliveryId());
            ps.setInt(4, l.attempt());
            if (ps.executeUpdate() == 0) {
                return false;
            }
        }
        releaseRun(c, l.deliveryId());
        return true;
    }

    /** Dead-letters the delivery when the lease still holds; the rest of its run and its key's later events park. */
    private static boolean kill(Connection c, Leased l, String reason) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(DeliverySql.SETTLE_DEAD)) {
            ps.setString(1, reason);
            ps.setLong(2, l.deliveryId());
            ps.setInt(3, l.attempt());
            if (ps.executeUpdate() == 0) {
                return false;
            }
        }
        releaseRun(c, l.deliveryId());
        try (PreparedStatement ps = c.prepareStatement(DeliverySql.PARK_BEHIND)) {
            ps.setLong(1, l.deliveryId());
            ps.executeUpdate();
        }
        return true;
    }

    @Override
    public int requeue(String subscriptionId, Collection<String> eventIds) {
        return Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement(DeliverySql.REQUEUE)) {
                ps.setString(1, subscriptionId);
                ps.setArray(2, c.createArrayOf("varchar", eventIds.toArray()));
                return ps.executeUpdate();
            }
        });
    }
}
