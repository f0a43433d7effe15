package com.idynic.eventbus.storage;

import com.idynic.eventbus.broker.AttemptResult;
import com.idynic.eventbus.broker.Decision;
import com.idynic.eventbus.broker.spi.DeliveryAttempt;
import com.idynic.eventbus.broker.spi.DeliveryStatus;
import com.idynic.eventbus.broker.spi.DeliveryStore;
import com.idynic.eventbus.broker.spi.Leased;
import com.idynic.eventbus.storage.internal.Rows;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * Delivery rows, attempts and dead letters in PostgreSQL. Leasing for one subscription is serialized
 * with a transaction-scoped advisory lock so two concurrent leasers can never both take events of the
 * same ordering key. In ordered subscriptions an event is blocked while an earlier event of its key is
 * pending, leased or dead (parked behind a dead letter), and while any other event of its key is leased:
 * concurrent publishes can reach Kafka out of sequence, so a later event may already be in flight when an
 * earlier one arrives. Only an active subscription's events are leased,
 * judged by its stored state in the lease itself so no server's cache can hand out a paused one's events.
 */
@ApplicationScoped
public class JdbcDeliveryStore implements DeliveryStore {
    private static final String LEASED_COLUMNS =
            "d.id, d.subscription_id, d.attempts, d.first_attempt_at, d.leased_at, e.payload, e.content_hash,"
                    + " e.receipt, e.accepted_at, d.is_replay";
    private static final String LEASE =
            """
            with cand as (
              select d.id from eb_delivery d join eb_subscription s on s.id = d.subscription_id
              where d.subscription_id = ? and s.state = 'active'
                and ((d.state = 'PENDING' and d.available_at <= now()) or (d.state = 'LEASED' and d.lease_until <= now()))
                and (d.ordering_key is null or s.ordering = 'unordered' or not exists (
                      select 1 from eb_delivery p
                      where p.subscription_id = d.subscription_id and p.ordering_key = d.ordering_key
                        and (p.state in ('PENDING', 'LEASED', 'DEAD') and p.event_seq < d.event_seq
                             or p.state = 'LEASED' and p.lease_until > now())))
              order by d.event_seq limit ?)
            update eb_delivery d
               set state = 'LEASED', lease_until = now() + (? * interval '1 millisecond'), attempts = d.attempts + 1,
                   leased_at = now(), first_attempt_at = coalesce(d.first_attempt_at, now())
              from cand, eb_event e
             where d.id = cand.id and e.id = d.event_id
            returning\s"""
                    + LEASED_COLUMNS;
    private static final String STATUS_COLUMNS = "d.subscription_id, d.event_id, d.state, d.attempts, d.last_error,"
            + " d.available_at, d.delivered_at, d.dead_at, d.dead_group, d.id";

    @Resource(lookup = "jdbc/eventbus")
    DataSource ds;

    @Override
    public void enqueue(String eventId, String orderingKey, Collection<String> subscriptionIds) {
        Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("insert into eb_delivery (subscription_id, event_id, ordering_key, event_seq)"
                            + " select s.id, e.id, ?, e.seq from eb_subscription s, eb_event e"
                            + " where s.id = any(?) and e.id = ?"
                            + " on conflict on constraint eb_delivery_once do nothing")) {
                ps.setString(1, orderingKey);
                ps.setArray(2, c.createArrayOf("varchar", subscriptionIds.toArray()));
                ps.setString(3, eventId);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public List<Leased> lease(String subscriptionId, int max, Duration leaseFor) {
        return Jdbc.inTransaction(ds, c -> {
            try (PreparedStatement lock = c.prepareStatement("select pg_advisory_xact_lock(hashtext(?))")) {
                lock.setString(1, "eb_delivery:" + subscriptionId);
                lock.execute();
            }
            try (PreparedStatement ps = c.prepareStatement(LEASE)) {
                ps.setString(1, subscriptionId);
                ps.setInt(2, max);
                ps.setLong(3, leaseFor.toMillis());
                return leasedRows(ps);
            }
        });
    }

    @Override
    public List<Leased> leased(String subscriptionId, Collection<String> eventIds) {
        return Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement("select " + LEASED_COLUMNS
                    + " from eb_delivery d join eb_event e on e.id = d.event_id"
                    + " where d.subscription_id = ? and d.event_id = any(?) and d.state = 'LEASED'")) {
                ps.setString(1, subscriptionId);
                ps.setArray(2, c.createArrayOf("varchar", eventIds.toArray()));
                return leasedRows(ps);
            }
        });
    }

    private static List<Leased> leasedRows(PreparedStatement ps) throws SQLException {
        TreeMap<Long, Leased> byId = new TreeMap<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                byId.put(
                        rs.getLong(1),
                        new Leased(
                                rs.getLong(1),
                                rs.getString(2),
                                Rows.event(
                                        rs.getString(6),
                                        rs.getString(7),
                                        rs.getString(8),
                                        rs.getObject(9, OffsetDateTime.class),
                                        true),
                                rs.getInt(3),
                                instant(rs, 4),
                                instant(rs, 5),
                                rs.getBoolean(10)));
            }
        }
        return new ArrayList<>(byId.values());
    }

    @Override
    public boolean withhold(Leased l, String reason) {
        return Jdbc.inTransaction(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement("update eb_delivery set state = 'DISCARDED',"
                    + " lease_until = null, last_error = ? where id = ? and state = 'LEASED'")) {
                ps.setString(1, truncate(reason, 4000));
                ps.setLong(2, l.deliveryId());
                return ps.executeUpdate() > 0;
            }
        });
    }

    @Override
    public boolean settle(Leased l, AttemptResult a, Decision d) {
        return Jdbc.inTransaction(ds, c -> {
            int changed;
            switch (d.kind()) {
                case DELIVERED -> changed = update(
                        c,
                        "update eb_delivery set state = 'DELIVERED', delivered_at = now(), lease_until = null"
                                + " where id = ? and state = 'LEASED'",
                        l.deliveryId());
                case RETRY -> {
                    try (PreparedStatement ps = c.prepareStatement(
                            "update eb_delivery set state = 'PENDING',"
                                    + " lease_until = null, available_at = ?, last_error = ? where id = ? and state = 'LEASED'")) {
                        ps.setTimestamp(1, Timestamp.from(d.retryAt()));
                        ps.setString(2, d.reason());
                        ps.setLong(3, l.deliveryId());
                        changed = ps.executeUpdate();
                    }
                }
                default -> changed = kill(c, l, d.reason());
            }
            if (changed > 0) {
                recordAttempt(c, l, a);
            }
            return changed > 0;
        });
    }

    private static int kill(Connection c, Leased l, String reason) throws SQLException {
        int changed;
        try (PreparedStatement ps = c.prepareStatement("update eb_delivery set state = 'DEAD', dead_at = now(),"
                + " dead_group = id, lease_until = null, last_error = ? where id = ? and state = 'LEASED'")) {
            ps.setString(1, reason);
            ps.setLong(2, l.deliveryId());
            changed = ps.executeUpdate();
        }
        if (changed > 0) {
            try (PreparedStatement ps = c.prepareStatement("update eb_delivery p set state = 'DEAD', dead_at = now(),"
                    + " dead_group = h.id, last_error = 'parked behind dead letter ' || h.event_id"
                    + " from eb_delivery h join eb_subscription s on s.id = h.subscription_id"
                    + " where h.id = ? and s.ordering = 'ordered' and h.ordering_key is not null"
                    + " and p.subscription_id = h.subscription_id and p.ordering_key = h.ordering_key"
                    + " and p.event_seq > h.event_seq and p.state = 'PENDING'")) {
                ps.setLong(1, l.deliveryId());
                ps.executeUpdate();
            }
        }
        return changed;
    }

    private static void recordAttempt(Connection c, Leased l, AttemptResult a) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into eb_delivery_attempt (delivery_id, subscription_id,"
                + " event_id, attempt, started_at, duration_ms, target, outcome, http_status, error)"
                + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, l.deliveryId());
            ps.setString(2, l.subscriptionId());
            ps.setString(3, l.event().envelope().id());
            ps.setInt(4, l.attempt());
            ps.setTimestamp(5, Timestamp.from(a.startedAt()));
            ps.setLong(6, a.duration().toMillis());
            ps.setString(7, truncate(a.target(), 500));
            ps.setString(8, a.outcome().name());
            if (a.httpStatus() == null) {
                ps.setNull(9, java.sql.Types.INTEGER);
            } else {
                ps.setInt(9, a.httpStatus());
            }
            ps.setString(10, truncate(a.error(), 4000));
            ps.executeUpdate();
        }
    }

    @Override
    public int requeue(String subscriptionId, Collection<String> eventIds) {
        return Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement("insert into eb_delivery (subscription_id, event_id,"
                    + " ordering_key, event_seq, is_replay) select ?, e.id, e.partition_key, e.seq, true"
                    + " from eb_event e where e.id = any(?)"
                    + " on conflict on constraint eb_delivery_once do update set state = 'PENDING', attempts = 0,"
                    + " first_attempt_at = null, available_at = now(), is_replay = true, last_error = null,"
                    + " delivered_at = null where eb_delivery.state in ('DELIVERED', 'DISCARDED')")) {
                ps.setString(1, subscriptionId);
                ps.setArray(2, c.createArrayOf("varchar", eventIds.toArray()));
                return ps.executeUpdate();
            }
        });
    }

    private static final String PARKED_SEQUENCE =
            """
            select event_id from (
              (select d.event_seq, d.event_id from eb_delivery d
                where d.id = ? and d.subscription_id = ? and d.state = 'DEAD' and d.dead_group = d.id)
              union
              (select p.event_seq, p.event_id from eb_delivery p
                where p.subscription_id = ? and p.state = 'DEAD' and p.dead_group = ?
                  and p.ordering_key = (select h.ordering_key from eb_delivery h where h.id = ?)
                order by p.event_seq limit ?)) parked
            order by event_seq limit ?""";

    private static final String DEAD_FILTER = " from eb_delivery d join eb_event e on e.id = d.event_id"
            + " where d.subscription_id = ? and d.state = 'DEAD'"
            + " and (?::text is null or e.event_type = ?::text)"
            + " and (?::text is null or d.last_error ilike '%' || ?::text || '%')";

    @Override
    public List<DeliveryStatus> deadLetters(
            String subscriptionId, String eventType, String errorContains, long afterDeliveryId, int limit) {
        return Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "select " + STATUS_COLUMNS + DEAD_FILTER + " and d.id > ? order by d.id limit ?")) {
                int i = deadFilter(ps, subscriptionId, eventType, errorContains);
                ps.setLong(i++, afterDeliveryId);
                ps.setInt(i, limit);
                return statusRows(ps);
            }
        });
    }

    @Override
    public long deadLetterCount(String subscriptionId, String eventType, String errorContains) {
        return Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement("select count(*)" + DEAD_FILTER)) {
                deadFilter(ps, subscriptionId, eventType, errorContains);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    @Override
    public Optional<DeliveryStatus> deadLetter(String subscriptionId, String eventId) {
        return Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement("select " + STATUS_COLUMNS + " from eb_delivery d"
                    + " where d.subscription_id = ? and d.event_id = ? and d.state = 'DEAD'")) {
                ps.setString(1, subscriptionId);
                ps.setString(2, eventId);
                return statusRows(ps).stream().findFirst();
            }
        });
    }

    /**
     * A sequence is its head (dead group = its own id) and the dead letters of the head's key that name it;
     * the second part walks that key's index in event order and stops after {@code limit} rows.
     */
    @Override
    public List<String> parkedSequence(String subscriptionId, long deadGroup, int limit) {
        return Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement(PARKED_SEQUENCE)) {
                ps.setLong(1, deadGroup);
                ps.setString(2, subscriptionId);
                ps.setString(3, subscriptionId);
                ps.setLong(4, deadGroup);
                ps.setLong(5, deadGroup);
                ps.setInt(6, limit);
                ps.setInt(7, limit);
                List<String> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString("event_id"));
                    }
                }
                return out;
            }
        });
    }

    private static int deadFilter(PreparedStatement ps, String subscriptionId, String eventType, String error)
            throws SQLException {
        ps.setString(1, subscriptionId);
        ps.setString(2, eventType);
        ps.setString(3, eventType);
        ps.setString(4, error);
        ps.setString(5, error);
        return 6;
    }

    @Override
    public int redrive(String subscriptionId, Collection<String> eventIds) {
        return Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement("update eb_delivery set state = 'PENDING', attempts = 0,"
                    + " first_attempt_at = null, available_at = now(), dead_at = null, dead_group = null"
                    + " where subscription_id = ? and state = 'DEAD'"
                    + (eventIds == null ? "" : " and event_id = any(?)"))) {
                ps.setString(1, subscriptionId);
                if (eventIds != null) {
                    ps.setArray(2, c.createArrayOf("varchar", eventIds.toArray()));
                }
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public int discard(String subscriptionId, Collection<String> eventIds, String reason) {
        return Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement("update eb_delivery set state = 'DISCARDED',"
                    + " last_error = ? where subscription_id = ? and state = 'DEAD'"
                    + (eventIds == null ? "" : " and event_id = any(?)"))) {
                ps.setString(1, "discarded: " + reason);
                ps.setString(2, subscriptionId);
                if (eventIds != null) {
                    ps.setArray(3, c.createArrayOf("varchar", eventIds.toArray()));
                }
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public List<DeliveryStatus> statusOf(String eventId) {
        return Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement("select " + STATUS_COLUMNS
                    + " from eb_delivery d where d.event_id = ? order by d.subscription_id limit 1000")) {
                ps.setString(1, eventId);
                return statusRows(ps);
            }
        });
    }

    @Override
    public List<DeliveryAttempt> attemptsOf(String eventId) {
        return Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement("select subscription_id, event_id, attempt, started_at,"
                    + " duration_ms, target, outcome, http_status, error from eb_delivery_attempt"
                    + " where event_id = ? order by id limit 1000")) {
                ps.setString(1, eventId);
                List<DeliveryAttempt> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        int status = rs.getInt(8);
                        out.add(new DeliveryAttempt(
                                rs.getString(1),
                                rs.getString(2),
                                rs.getInt(3),
                                instant(rs, 4),
                                rs.getLong(5),
                                rs.getString(6),
                                rs.getString(7),
                                rs.wasNull() ? null : status,
                                rs.getString(9)));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public void audit(String actor, String action, String subscriptionId, String detail) {
        Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "insert into eb_audit (actor, action, subscription_id, detail) values (?, ?, ?, ?)")) {
                ps.setString(1, truncate(actor, 200));
                ps.setString(2, action);
                ps.setString(3, subscriptionId);
                ps.setString(4, truncate(detail, 4000));
                return ps.executeUpdate();
            }
        });
    }

    private static List<DeliveryStatus> statusRows(PreparedStatement ps) throws SQLException {
        List<DeliveryStatus> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long group = rs.getLong(9);
                boolean noGroup = rs.wasNull();
                out.add(new DeliveryStatus(
                        rs.getLong(10),
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getInt(4),
                        rs.getString(5),
                        "PENDING".equals(rs.getString(3)) ? instant(rs, 6) : null,
                        instant(rs, 7),
                        instant(rs, 8),
                        noGroup ? null : group));
            }
        }
        return out;
    }

    private static int update(Connection c, String sql, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, id);
            return ps.executeUpdate();
        }
    }

    private static Instant instant(ResultSet rs, int col) throws SQLException {
        OffsetDateTime t = rs.getObject(col, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
