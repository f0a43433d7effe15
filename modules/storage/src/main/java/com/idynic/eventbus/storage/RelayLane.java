package com.idynic.eventbus.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;

/**
 * The relay's exclusive lane: a session-level advisory lock ({@code pg_try_advisory_lock}) held by a
 * connection of its own, in autocommit, while the relay has work. A lock rather than a lease row because
 * PostgreSQL ends it with the session: a server that crashes or loses its connection frees the lane at
 * once, with no expiry to wait for and no clock to trust. The lock-holding session is the fencing token:
 * the relay records each batch in a short transaction on this same connection after checking that its
 * session still holds the lock, so a server whose connection broke cannot record or delete rows that
 * another server now relays. Giving the lane up always unlocks before the connection goes back to the
 * pool (closing a pooled connection does not end its session, so a lock left on it would block every
 * relayer); a connection that cannot be unlocked is aborted, which ends its session.
 */
final class RelayLane {
    static final long LOCK = 0x4542_5245_4c41_59L;

    /** Whether this session holds the relay lock (a bigint key is stored as classid high, objid low). */
    private static final String HOLDS =
            """
            select exists (select 1 from pg_locks
                            where locktype = 'advisory' and pid = pg_backend_pid() and granted and objsubid = 1
                              and ((classid::bigint << 32) | objid::bigint) = ?)""";

    private final AtomicReference<Connection> held = new AtomicReference<>();

    /**
     * @return the connection that holds the lane, taken now or kept from an earlier pass; null when
     *     another session holds it
     */
    Connection take(DataSource ds) throws SQLException {
        Connection c = held.get();
        if (c != null) {
            return c;
        }
        c = ds.getConnection();
        try {
            c.setAutoCommit(true);
            if (bool(c, "select pg_try_advisory_lock(?)")) {
                held.set(c);
                return c;
            }
        } catch (SQLException | RuntimeException e) {
            abort(c);
            throw e;
        }
        c.close();
        return null;
    }

    /** @return the connection that holds the lane, or null when the lane is not held */
    Connection held() {
        return held.get();
    }

    /** @return whether the session of {@code c} still holds the relay lock */
    static boolean holds(Connection c) throws SQLException {
        return bool(c, HOLDS);
    }

    /** Gives the lane up: unlocks and hands the connection back to the pool, or aborts it. */
    void release() {
        Connection c = held.getAndSet(null);
        if (c == null) {
            return;
        }
        try {
            if (!c.getAutoCommit()) {
                c.rollback();
                c.setAutoCommit(true);
            }
            bool(c, "select pg_advisory_unlock(?)");
            c.close();
        } catch (SQLException | RuntimeException e) {
            abort(c);
        }
    }

    private static boolean bool(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, LOCK);
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
