package com.idynic.eventbus.storage;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import javax.sql.DataSource;

/**
 * The relay's lanes: the outbox is split into {@value #LANES} lanes by the hash of each event's ordering key
 * (an event without a key by its id), and each lane is relayed by one server at a time, so N servers relay in
 * parallel while the events of one key keep their order. A lane is a session-level advisory lock ({@code
 * pg_try_advisory_lock(LANE_CLASS, lane)}) held by one connection of this server, in autocommit, while the relay
 * runs. Locks rather than lease rows because PostgreSQL ends them with the session: a server that crashes or
 * loses its connection frees its lanes at once, with no expiry to wait for and no clock to trust. The lock-holding
 * session is the fencing token: the relay records each batch in a short transaction on this same connection after
 * checking that its session still holds its lanes, so a server whose connection broke cannot record or delete
 * rows that another server now relays.
 *
 * <p>Sharing: each relaying server also holds a member lock ({@code MEMBER_CLASS}, a random id) on the same
 * session, so every server can count the relaying servers in {@code pg_locks} (a crashed one stops counting with
 * its session). At most once per {@code rebalanceNanos}, between batches, a server takes free lanes up to its
 * share ({@code ceil(LANES / members)}) and gives up lanes above it (highest first), which the others then take:
 * a server that joins gets its share within a rebalance interval or two, and a server that dies leaves its lanes
 * to the others at their next rebalance. A lane changes hands only between batches (the batch that was sent was
 * recorded first), so one key's events are never relayed by two servers at once. Giving the lanes up unlocks
 * everything before the connection goes back to the pool (closing a pooled connection does not end its session,
 * so a lock left on it would block every relayer); a connection that cannot be unlocked is aborted, which ends its
 * session.
 */
final class RelayLanes {
    /** Lanes of the outbox; every server must use the same number (it is part of the schema's meaning). */
    static final int LANES = 8;

    /** Advisory lock class (first key) of the lanes; the second key is the lane. */
    static final int LANE_CLASS = 0x45424c4e;

    /** Advisory lock class of the relaying servers; the second key is a random member id. */
    static final int MEMBER_CLASS = 0x45424d42;

    /** The lane of the joined event {@code e}, in SQL (non-negative hash of the ordering key or the id). */
    static final String LANE_OF = "(hashtext(coalesce(e.partition_key, e.id)) & 2147483647) % " + LANES;

    private static final String MEMBERS =
            "select count(*) from pg_locks where locktype = 'advisory' and granted and objsubid = 2"
                    + " and classid::bigint = " + MEMBER_CLASS;

    /** How many of the given lanes this session holds. */
    private static final String HOLDS =
            """
            select count(*) from pg_locks
             where locktype = 'advisory' and pid = pg_backend_pid() and granted and objsubid = 2
               and classid::bigint = %d and objid::bigint = any(?)"""
                    .formatted(LANE_CLASS);

    private static final SecureRandom RANDOM = new SecureRandom();

    private final AtomicReference<Connection> conn = new AtomicReference<>();
    private final TreeSet<Integer> held = new TreeSet<>();
    private final long rebalanceNanos;
    private final LongSupplier nanos;
    private long balancedAt;

    /** @param rebalanceNanos least time between two looks at the share (0: at every pass) */
    RelayLanes(long rebalanceNanos, LongSupplier nanos) {
        this.rebalanceNanos = rebalanceNanos;
        this.nanos = nanos;
    }

    /**
     * Joins the relaying servers (once), takes or gives up lanes when a rebalance is due.
     *
     * @return the connection that holds this server's lanes; null when it holds none now
     */
    synchronized Connection take(DataSource ds) throws SQLException {
        Connection c = conn.get();
        if (c == null) {
            c = join(ds);
            conn.set(c);
            balancedAt = nanos.getAsLong() - rebalanceNanos - 1;
        }
        long now = nanos.getAsLong();
        if (now - balancedAt > rebalanceNanos) {
            balancedAt = now;
            try {
                balance(c);
            } catch (SQLException | RuntimeException e) {
                release();
                throw e;
            }
        }
        return held.isEmpty() ? null : c;
    }

    /** @return the lanes held now, in order (a copy) */
    synchronized List<Integer> lanes() {
        return List.copyOf(held);
    }

    /** @return the connection that holds the lanes, or null when none is held */
    synchronized Connection held() {
        return held.isEmpty() ? null : conn.get();
    }

    /** @return whether the session of {@code c} still holds every lane this server took */
    synchronized boolean holds(Connection c) throws SQLException {
        if (held.isEmpty()) {
            return false;
        }
        try (PreparedStatement ps = c.prepareStatement(HOLDS)) {
            ps.setArray(
                    1,
                    c.createArrayOf(
                            "bigint", held.stream().map(Integer::longValue).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1) == held.size();
            }
        }
    }

    /** Gives every lane and the membership up: unlocks and hands the connection back to the pool, or aborts it. */
    synchronized void release() {
        held.clear();
        Connection c = conn.getAndSet(null);
        if (c == null) {
            return;
        }
        try {
            if (!c.getAutoCommit()) {
                c.rollback();
                c.setAutoCommit(true);
            }
            try (PreparedStatement ps = c.prepareStatement("select pg_advisory_unlock_all()")) {
                ps.execute();
            }
            c.close();
        } catch (SQLException | RuntimeException e) {
            abort(c);
        }
    }

    private static Connection join(DataSource ds) throws SQLException {
        Connection c = ds.getConnection();
        try {
            c.setAutoCommit(true);
            for (int tries = 0; tries < 16; tries++) {
                if (tryLock(c, MEMBER_CLASS, RANDOM.nextInt(Integer.MAX_VALUE))) {
                    return c;
                }
            }
            throw new SQLException("no free relay member id after 16 tries");
        } catch (SQLException | RuntimeException e) {
            abort(c);
            throw e;
        }
    }

    /** Takes free lanes up to this server's share, gives up those above it. */
    private void balance(Connection c) throws SQLException {
        int members;
        try (PreparedStatement ps = c.prepareStatement(MEMBERS);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            members = Math.max(1, rs.getInt(1));
        }
        int share = (LANES + members - 1) / members;
        while (held.size() > share) {
            int lane = held.last();
            try (PreparedStatement ps = c.prepareStatement("select pg_advisory_unlock(?, ?)")) {
                ps.setInt(1, LANE_CLASS);
                ps.setInt(2, lane);
                ps.execute();
            }
            held.remove(lane);
        }
        for (int lane = 0; lane < LANES && held.size() < share; lane++) {
            if (!held.contains(lane) && tryLock(c, LANE_CLASS, lane)) {
                held.add(lane);
            }
        }
    }

    private static boolean tryLock(Connection c, int classId, int key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select pg_try_advisory_lock(?, ?)")) {
            ps.setInt(1, classId);
            ps.setInt(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** Ends the connection's session (and any lock it holds) instead of pooling it. */
    private static void abort(Connection c) {
        try {
            c.abort(Runnable::run);
        } catch (SQLException | RuntimeException e) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // the session is already gone
            }
        }
    }
}
