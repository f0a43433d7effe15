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
    /** Whether an open row is due: pending and past its retry time, or leased by a holder that let it lapse. */
    private static final String DUE =
            "((d.state = 'PENDING' and d.available_at <= now()) or (d.state = 'LEASED' and d.lease_until <= now()))";

    /** An ordered row may go only when no earlier event of its key is open and no event of its key is leased. */
    private static final String KEY_FREE =
            """
            not exists (select 1 from eb_delivery p
                         where p.subscription_id = d.subscription_id and p.ordering_key = d.ordering_key
                           and p.state in ('PENDING', 'LEASED', 'DEAD') and p.event_seq < d.event_seq)
            and not exists (select 1 from eb_delivery p
                             where p.subscription_id = d.subscription_id and p.ordering_key = d.ordering_key
                               and p.state = 'LEASED' and p.lease_until > now() and p.id <> d.id)""";

    /** Unordered: every due row, oldest first (rows waiting for a retry are skipped in the index walk). */
    private static final String CANDIDATES_UNORDERED = "select d.id from eb_delivery d where d.subscription_id = ?"
            + " and d.state in ('PENDING', 'LEASED') and " + DUE + " order by d.event_seq limit ?";

    /**
     * Ordered, first look: the oldest open rows (at most a window of them, so the cost of a lease does not
     * grow with the backlog), keeping those whose key is free.
     */
    private static final String CANDIDATES_ORDERED_WINDOW = "select d.id from (select * from eb_delivery w"
            + " where w.subscription_id = ? and w.state in ('PENDING', 'LEASED') order by w.event_seq limit ?) d"
            + " where " + DUE + " and (d.ordering_key is null or " + KEY_FREE + ") order by d.event_seq limit ?";

    /**
     * Ordered, second look when the window was full of blocked rows: the head of each key (a skip scan over
     * the keys with open rows, at most {@code ?} keys), so a key far behind in the backlog still progresses
     * while others wait for retries: one key's trouble never holds up the rest.
     */
    private static final String CANDIDATES_ORDERED_HEADS =
            """
            with recursive k(ordering_key) as (
              (select ordering_key from eb_delivery
                where subscription_id = ? and state in ('PENDING', 'LEASED', 'DEAD') and ordering_key is not null
                order by ordering_key limit 1)
              union all
              select (select x.ordering_key from eb_delivery x
                       where x.subscription_id = ? and x.state in ('PENDING', 'LEASED', 'DEAD')
                         and x.ordering_key > k.ordering_key
                       order by x.ordering_key limit 1)
                from k where k.ordering_key is not null)
            select d.id from (select ordering_key from k where ordering_key is not null limit ?) keys
            cross join lateral (
              select h.* from eb_delivery h
               where h.subscription_id = ? and h.ordering_key = keys.ordering_key
                 and h.state in ('PENDING', 'LEASED', 'DEAD')
               order by h.event_seq limit 1) d
            where\s"""
                    + DUE
                    + """
                     and not exists (select 1 from eb_delivery p
                                      where p.subscription_id = d.subscription_id and p.ordering_key = d.ordering_key
                                        and p.state = 'LEASED' and p.lease_until > now() and p.id <> d.id)
                      and d.id <> all(?)
                    order by d.event_seq limit ?""";

    /**
     * Ordered, second look for events without an ordering key when the window was full of blocked rows: they
     * wait for nothing but their own retry time, so a deep backlog of other keys must not hold them up.
     */
    private static final String CANDIDATES_KEYLESS = "select d.id from eb_delivery d where d.subscription_id = ?"
            + " and d.ordering_key is null and d.state in ('PENDING', 'LEASED') and " + DUE
            + " and d.id <> all(?) order by d.event_seq limit ?";

    /** Oldest open rows looked at per ordered lease before the heads of the keys are looked up instead. */
    static final int ORDERED_WINDOW = 1000;

    /** Most keys the heads lookup visits in one lease. */
    static final int ORDERED_KEYS = 10_000;

    /**
     * Most payload bytes one lease hands out (the first event always goes): a pull answer or a webhook batch
     * holds every leased event in memory, and 500 events at the 1 MiB body limit would be 500 MiB.
     */
    static final long LEASE_BYTES = 16L * 1024 * 1024;

    /**
     * Takes the candidates in sequence order while the payloads before each add up to less than {@code ?}
     * bytes ({@code octet_length} reads the stored length without decompressing); the rest stay due.
     */
    private static final String TAKE =
            """
            update eb_delivery d
               set state = 'LEASED', lease_until = now() + (? * interval '1 millisecond'), attempts = d.attempts + 1,
                   leased_at = now(), first_attempt_at = coalesce(d.first_attempt_at, now())
              from (select c.id as delivery_id, ev.payload, ev.content_hash, ev.receipt, ev.accepted_at,
                           sum(octet_length(ev.payload)) over (order by c.event_seq, c.id)
                             - octet_length(ev.payload) as bytes_before
                      from eb_delivery c
                      join eb_event_id i on i.id = c.event_id
                      join eb_event ev on ev.id = i.id and ev.accepted_at = i.accepted_at
                     where c.id = any(?)) e
             where d.id = e.delivery_id and e.bytes_before < ?
            returning\s"""
                    + LEASED_COLUMNS;

    private static final String STATUS_COLUMNS = "d.subscription_id, d.event_id, d.state, d.attempts, d.last_error,"
            + " d.available_at, d.delivered_at, d.dead_at, d.dead_group, d.id";

    @Resource(lookup = "jdbc/eventbus")
    DataSource ds;

    @Override
    public void enqueue(String eventId, String orderingKey, Collection<String> subscriptionIds) {
        enqueueAll(List.of(new Enqueue(eventId, orderingKey, subscriptionIds)));
    }

    /**
     * A batch of delivery rows in one statement. Each event's sequence number is read through its id row
     * (unpartitioned, with the accepted time) so the partitioned events table is probed in one day only.
     */
    static final String ENQUEUE_ALL =
            """
            insert into eb_delivery (subscription_id, event_id, ordering_key, event_seq)
            select u.sub, u.eid, u.okey, e.seq
              from unnest(?::varchar[], ?::varchar[], ?::varchar[]) with ordinality as u(sub, eid, okey, ord)
              join eb_subscription s on s.id = u.sub
              join eb_event_id i on i.id = u.eid
              join eb_event e on e.id = i.id and e.accepted_at = i.accepted_at
             order by u.ord
            on conflict on constraint eb_delivery_once do nothing""";

    @Override
    public void enqueueAll(List<Enqueue> batch) {
        List<String> subs = new ArrayList<>();
        List<String> events = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (Enqueue e : batch) {
            for (String sub : e.subscriptionIds()) {
                subs.add(sub);
                events.add(e.eventId());
                keys.add(e.orderingKey());
            }
        }
        if (subs.isEmpty()) {
            return;
        }
        Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement(ENQUEUE_ALL)) {
                ps.setArray(1, c.createArrayOf("varchar", subs.toArray()));
                ps.setArray(2, c.createArrayOf("varchar", events.toArray()));
                ps.setArray(3, c.createArrayOf("varchar", keys.toArray()));
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
            String ordering;
            try (PreparedStatement ps =
                    c.prepareStatement("select ordering from eb_subscription where id = ? and state = 'active'")) {
                ps.setString(1, subscriptionId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return List.of();
                    }
                    ordering = rs.getString(1);
                }
            }
            List<Long> ids = new ArrayList<>(max);
            if ("unordered".equals(ordering)) {
                try (PreparedStatement ps = c.prepareStatement(CANDIDATES_UNORDERED)) {
                    ps.setString(1, subscriptionId);
                    ps.setInt(2, max);
                    ids.addAll(longs(ps));
                }
            } else {
                try (PreparedStatement ps = c.prepareStatement(CANDIDATES_ORDERED_WINDOW)) {
                    ps.setString(1, subscriptionId);
                    ps.setInt(2, ORDERED_WINDOW);
                    ps.setInt(3, max);
                    ids.addAll(longs(ps));
                }
                if (ids.size() < max && windowFull(c, subscriptionId)) {
                    // keyless events take at most half of what is left, the heads of the keys the rest
                    try (PreparedStatement ps = c.prepareStatement(CANDIDATES_KEYLESS)) {
                        ps.setString(1, subscriptionId);
                        ps.setArray(2, c.createArrayOf("bigint", ids.toArray()));
                        ps.setInt(3, (max - ids.size() + 1) / 2);
                        ids.addAll(longs(ps));
                    }
                    try (PreparedStatement ps = c.prepareStatement(CANDIDATES_ORDERED_HEADS)) {
                        ps.setString(1, subscriptionId);
                        ps.setString(2, subscriptionId);
                        ps.setInt(3, ORDERED_KEYS);
                        ps.setString(4, subscriptionId);
                        ps.setArray(5, c.createArrayOf("bigint", ids.toArray()));
                        ps.setInt(6, max - ids.size());
                        ids.addAll(longs(ps));
                    }
                }
            }
            if (ids.isEmpty()) {
                return List.of();
            }
            try (PreparedStatement ps = c.prepareStatement(TAKE)) {
                ps.setLong(1, leaseFor.toMillis());
                ps.setArray(2, c.createArrayOf("bigint", ids.toArray()));
                ps.setLong(3, LEASE_BYTES);
                return leasedRows(ps);
            }
        });
    }

    /** @return whether more open rows exist than the ordered window looked at */
    private static boolean windowFull(Connection c, String subscriptionId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select exists (select 1 from eb_delivery"
                + " where subscription_id = ? and state in ('PENDING', 'LEASED') order by event_seq offset ?)")) {
            ps.setString(1, subscriptionId);
            ps.setInt(2, ORDERED_WINDOW);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static List<Long> longs(PreparedStatement ps) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getLong(1));
            }
        }
        return out;
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
        return !settleAll(List.of(new Settlement(l, a, d))).isEmpty();
    }

    /**
     * A batch of outcomes in one transaction: the delivered ones with one update, retries and dead letters
     * one by one (they are the exception), and every attempt record with one insert.
     */
    @Override
    public java.util.Set<Long> settleAll(List<Settlement> batch) {
        if (batch.isEmpty()) {
            return new java.util.HashSet<>();
        }
        return Jdbc.inTransaction(ds, c -> {
            java.util.Set<Long> settled = new java.util.HashSet<>();
            List<Long> delivered = new ArrayList<>();
            for (Settlement s : batch) {
                if (s.decision().kind() == Decision.Kind.DELIVERED) {
                    delivered.add(s.delivery().deliveryId());
                }
            }
            if (!delivered.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement(SETTLE_DELIVERED)) {
                    ps.setArray(1, c.createArrayOf("bigint", delivered.toArray()));
                    settled.addAll(longs(ps));
                }
            }
            for (Settlement s : batch) {
                Decision d = s.decision();
                Leased l = s.delivery();
                if (d.kind() == Decision.Kind.RETRY) {
                    try (PreparedStatement ps = c.prepareStatement(
                            "update eb_delivery set state = 'PENDING',"
                                    + " lease_until = null, available_at = ?, last_error = ? where id = ? and state = 'LEASED'")) {
                        ps.setTimestamp(1, Timestamp.from(d.retryAt()));
                        ps.setString(2, d.reason());
                        ps.setLong(3, l.deliveryId());
                        if (ps.executeUpdate() > 0) {
                            settled.add(l.deliveryId());
                        }
                    }
                } else if (d.kind() != Decision.Kind.DELIVERED && kill(c, l, d.reason()) > 0) {
                    settled.add(l.deliveryId());
                }
            }
            recordAttempts(
                    c,
                    batch.stream()
                            .filter(s -> settled.contains(s.delivery().deliveryId()))
                            .toList());
            return settled;
        });
    }

    private static final String SETTLE_DELIVERED = "update eb_delivery set state = 'DELIVERED', delivered_at = now(),"
            + " lease_until = null where id = any(?) and state = 'LEASED' returning id";

    private static final String RECORD_ATTEMPTS =
            """
            insert into eb_delivery_attempt (delivery_id, subscription_id, event_id, attempt, started_at, duration_ms,
                                             target, outcome, http_status, error)
            select * from unnest(?::bigint[], ?::varchar[], ?::varchar[], ?::integer[], ?::timestamptz[], ?::bigint[],
                                 ?::varchar[], ?::varchar[], ?::integer[], ?::text[])""";

    private static void recordAttempts(Connection c, List<Settlement> done) throws SQLException {
        if (done.isEmpty()) {
            return;
        }
        int n = done.size();
        Object[][] cols = new Object[10][n];
        for (int i = 0; i < n; i++) {
            Leased l = done.get(i).delivery();
            AttemptResult a = done.get(i).attempt();
            cols[0][i] = l.deliveryId();
            cols[1][i] = l.subscriptionId();
            cols[2][i] = l.event().envelope().id();
            cols[3][i] = l.attempt();
            cols[4][i] = Timestamp.from(a.startedAt());
            cols[5][i] = a.duration().toMillis();
            cols[6][i] = truncate(a.target(), 500);
            cols[7][i] = a.outcome().name();
            cols[8][i] = a.httpStatus();
            cols[9][i] = truncate(a.error(), 4000);
        }
        String[] types = {
            "bigint", "varchar", "varchar", "integer", "timestamptz", "bigint", "varchar", "varchar", "integer", "text"
        };
        try (PreparedStatement ps = c.prepareStatement(RECORD_ATTEMPTS)) {
            for (int k = 0; k < types.length; k++) {
                ps.setArray(k + 1, c.createArrayOf(types[k], cols[k]));
            }
            ps.executeUpdate();
        }
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
    public int redrive(String subscriptionId, Collection<String> eventIds, String actor) {
        return Jdbc.inTransaction(ds, c -> {
            int n;
            try (PreparedStatement ps = c.prepareStatement("update eb_delivery set state = 'PENDING', attempts = 0,"
                    + " first_attempt_at = null, available_at = now(), dead_at = null, dead_group = null"
                    + " where subscription_id = ? and state = 'DEAD'"
                    + (eventIds == null ? "" : " and event_id = any(?)"))) {
                ps.setString(1, subscriptionId);
                if (eventIds != null) {
                    ps.setArray(2, c.createArrayOf("varchar", eventIds.toArray()));
                }
                n = ps.executeUpdate();
            }
            audit(c, actor, "redrive", subscriptionId, selection(eventIds) + " -> " + n);
            return n;
        });
    }

    @Override
    public int discard(String subscriptionId, Collection<String> eventIds, String reason, String actor) {
        return Jdbc.inTransaction(ds, c -> {
            int n;
            try (PreparedStatement ps = c.prepareStatement("update eb_delivery set state = 'DISCARDED',"
                    + " last_error = ? where subscription_id = ? and state = 'DEAD'"
                    + (eventIds == null ? "" : " and event_id = any(?)"))) {
                ps.setString(1, "discarded: " + reason);
                ps.setString(2, subscriptionId);
                if (eventIds != null) {
                    ps.setArray(3, c.createArrayOf("varchar", eventIds.toArray()));
                }
                n = ps.executeUpdate();
            }
            audit(c, actor, "discard", subscriptionId, selection(eventIds) + " -> " + n + ": " + reason);
            return n;
        });
    }

    private static String selection(Collection<String> eventIds) {
        return eventIds == null ? "all" : String.join(",", eventIds);
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
        Jdbc.autoCommit(ds, c -> audit(c, actor, action, subscriptionId, detail));
    }

    private static int audit(Connection c, String actor, String action, String subscriptionId, String detail)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "insert into eb_audit (actor, action, subscription_id, detail) values (?, ?, ?, ?)")) {
            ps.setString(1, truncate(actor, 200));
            ps.setString(2, action);
            ps.setString(3, subscriptionId);
            ps.setString(4, truncate(detail, 4000));
            return ps.executeUpdate();
        }
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

    private static Instant instant(ResultSet rs, int col) throws SQLException {
        OffsetDateTime t = rs.getObject(col, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
