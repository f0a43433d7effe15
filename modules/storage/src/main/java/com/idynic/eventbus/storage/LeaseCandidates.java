package com.idynic.eventbus.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Picks the delivery rows one lease may take ({@link JdbcDeliveryQueue#lease}), under the subscription's
 * lease lock: unordered, every due row; ordered, the due rows whose key is free, looked for in a window of
 * the oldest open rows and, when that window is full of blocked rows, among keyless rows and the heads of
 * the keys.
 */
final class LeaseCandidates {
    /** Oldest open rows looked at per ordered lease before the heads of the keys are looked up instead. */
    static final int ORDERED_WINDOW = 1000;

    /** Most keys the heads lookup visits in one lease. */
    static final int ORDERED_KEYS = 10_000;

    private LeaseCandidates() {}

    static List<Long> unordered(Connection c, String subscriptionId, int max) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(DeliverySql.CANDIDATES_UNORDERED)) {
            ps.setString(1, subscriptionId);
            ps.setInt(2, max);
            return ids(ps);
        }
    }

    static List<Long> ordered(Connection c, String subscriptionId, int max) throws SQLException {
        List<Long> ids = new ArrayList<>(max);
        try (PreparedStatement ps = c.prepareStatement(DeliverySql.CANDIDATES_ORDERED_WINDOW)) {
            ps.setString(1, subscriptionId);
            ps.setInt(2, ORDERED_WINDOW);
            ps.setInt(3, max);
            ids.addAll(ids(ps));
        }
        if (ids.size() < max && windowFull(c, subscriptionId)) {
            // keyless events take at most half of what is left, the heads of the keys the rest
            try (PreparedStatement ps = c.prepareStatement(DeliverySql.CANDIDATES_KEYLESS)) {
                ps.setString(1, subscriptionId);
                ps.setArray(2, c.createArrayOf("bigint", ids.toArray()));
                ps.setInt(3, (max - ids.size() + 1) / 2);
                ids.addAll(ids(ps));
            }
            try (PreparedStatement ps = c.prepareStatement(DeliverySql.CANDIDATES_ORDERED_HEADS)) {
                ps.setString(1, subscriptionId);
                ps.setString(2, subscriptionId);
                ps.setInt(3, ORDERED_KEYS);
                ps.setString(4, subscriptionId);
                ps.setArray(5, c.createArrayOf("bigint", ids.toArray()));
                ps.setInt(6, max - ids.size());
                ids.addAll(ids(ps));
            }
        }
        return ids;
    }

    /**
     * Extends each ordered candidate (a key's head, or a keyless event) with the consecutive due events of its
     * key behind it, then keeps the {@code max} lowest in sequence: every key keeps a prefix of its run.
     *
     * @param heads candidates from {@link #ordered}
     * @return the heads and their runs, in sequence order
     */
    static List<Long> runs(Connection c, List<Long> heads, int max) throws SQLException {
        TreeMap<Long, Long> bySeq = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement(DeliverySql.RUNS)) {
            ps.setInt(1, max);
            ps.setArray(2, c.createArrayOf("bigint", heads.toArray()));
            ps.setArray(3, c.createArrayOf("bigint", heads.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                long head = -1;
                boolean open = false;
                while (rs.next()) {
                    long h = rs.getLong("head");
                    if (h != head) {
                        head = h;
                        open = true;
                    }
                    open = open && rs.getBoolean("due");
                    if (open) {
                        bySeq.put(rs.getLong("event_seq"), rs.getLong("id"));
                    }
                }
            }
        }
        List<Long> out = new ArrayList<>(max);
        for (Long id : bySeq.values()) {
            if (out.size() == max) {
                break;
            }
            out.add(id);
        }
        return out;
    }

    /** @return whether more open rows exist than the ordered window looked at */
    private static boolean windowFull(Connection c, String subscriptionId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(DeliverySql.WINDOW_FULL)) {
            ps.setString(1, subscriptionId);
            ps.setInt(2, ORDERED_WINDOW);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean("window_full");
            }
        }
    }

    static List<Long> ids(PreparedStatement ps) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getLong("id"));
            }
        }
        return out;
    }
}
