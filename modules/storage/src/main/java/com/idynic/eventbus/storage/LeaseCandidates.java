package com.idynic.eventbus.storage;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
     * key behind it, then keeps the {@code max} lowest in sequence: every key keeps a prefix of its run. The
     * runs are read in one walk of the open rows in sequence order from the earliest head, so the cost follows
     * {@code max}, not the number of keys times their backlog.
     *
     * @param heads candidates from {@link #ordered}
     * @return the heads and their runs, in sequence order
     */
    static List<Long> runs(Connection c, String subscriptionId, List<Long> heads, int max) throws SQLException {
        TreeMap<Long, Long> bySeq = new TreeMap<>();
        Map<String, Long> headOf = new HashMap<>();
        long from = Long.MAX_VALUE;
        try (PreparedStatement ps = c.prepareStatement(DeliverySql.HEADS)) {
            ps.setArray(1, c.createArrayOf("bigint", heads.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long seq = rs.getLong("event_seq");
                    bySeq.put(seq, rs.getLong("id"));
                    String key = rs.getString("ordering_key");
                    if (key != null) {
                        headOf.put(key, seq);
                        from = Math.min(from, seq);
                    }
                }
            }
        }
        if (!headOf.isEmpty()) {
            Array keys = c.createArrayOf("varchar", headOf.keySet().toArray());
            Map<String, Long> deadFrom = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement(DeliverySql.RUNS_DEAD)) {
                ps.setString(1, subscriptionId);
                ps.setArray(2, keys);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        deadFrom.put(rs.getString("ordering_key"), rs.getLong("event_seq"));
                    }
                }
            }
            Set<String> ended = new HashSet<>();
            try (PreparedStatement ps = c.prepareStatement(DeliverySql.RUNS)) {
                ps.setString(1, subscriptionId);
                ps.setArray(2, keys);
                ps.setLong(3, from);
                ps.setInt(4, max);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String key = rs.getString("ordering_key");
                        long seq = rs.getLong("event_seq");
                        if (ended.contains(key) || seq <= headOf.get(key)) {
                            continue;
                        }
                        if (!rs.getBoolean("due") || seq > deadFrom.getOrDefault(key, Long.MAX_VALUE)) {
                            ended.add(key);
                            continue;
                        }
                        bySeq.put(seq, rs.getLong("id"));
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
