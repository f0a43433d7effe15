package com.idynic.eventbus.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
     * Extends the ordered candidates (keys' heads and keyless events), oldest first, with the consecutive due
     * events of their keys until the lease is full. A key first takes at most {@code ceil(max / RUN_SHARE)}
     * events (as Kafka's {@code max.partition.fetch.bytes} spreads a fetch over partitions), so a lease over a
     * backlog of many keys holds a few keys with long runs and leaves the other keys to concurrent pullers
     * (or to a client's next, overlapping pull) instead of taking every key's head. Room left over then goes
     * to the taken keys whose runs go on, oldest head first, so one key alone still fills a lease.
     *
     * @param heads candidates from {@link #ordered}
     * @return the events to take, in sequence order
     */
    static List<Long> runs(Connection c, String subscriptionId, List<Long> heads, int max) throws SQLException {
        TreeMap<Long, Run> bySeq = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement(DeliverySql.HEADS)) {
            ps.setArray(1, c.createArrayOf("bigint", heads.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long seq = rs.getLong("event_seq");
                    bySeq.put(seq, new Run(rs.getLong("id"), rs.getString("ordering_key"), seq));
                }
            }
        }
        List<Run> candidates = new ArrayList<>(bySeq.values());
        int share = Math.max(1, (max + RUN_SHARE - 1) / RUN_SHARE);
        fetch(c, subscriptionId, candidates, share - 1, max);
        TreeMap<Long, Long> out = new TreeMap<>();
        List<Run> taken = new ArrayList<>();
        for (Run r : candidates) {
            if (out.size() == max) {
                break;
            }
            out.put(r.headSeq, r.headId);
            taken.add(r);
            r.take(out, max);
        }
        if (out.size() < max) {
            List<Run> going =
                    taken.stream().filter(r -> r.key != null && r.open).toList();
            fetch(c, subscriptionId, going, max - out.size(), max - out.size());
            for (Run r : going) {
                r.take(out, max);
            }
        }
        return new ArrayList<>(out.values());
    }

    /** Most of a lease one key's run takes while other keys have events: 1 / {@value}. */
    static final int RUN_SHARE = 8;

    /** A candidate and its key's run behind it: the events fetched and not yet taken, the last one taken. */
    private static final class Run {
        final long headId;
        final String key;
        final long headSeq;
        long last;
        boolean open;
        final List<long[]> fetched = new ArrayList<>();

        Run(long headId, String key, long headSeq) {
            this.headId = headId;
            this.key = key;
            this.headSeq = headSeq;
            this.last = headSeq;
            this.open = key != null;
        }

        /** Takes the fetched events into {@code out} while there is room. */
        void take(TreeMap<Long, Long> out, int max) {
            for (long[] e : fetched) {
                if (out.size() == max) {
                    open = false;
                    break;
                }
                out.put(e[0], e[1]);
                last = e[0];
            }
            fetched.clear();
        }
    }

    /**
     * Fetches the next consecutive due events of each open run (runs in head order), at most {@code perKey}
     * each and {@code room} in all; a run closes at an event that is not due or parked, or when its key has
     * no more open events.
     */
    private static void fetch(Connection c, String subscriptionId, List<Run> runs, int perKey, int room)
            throws SQLException {
        List<Run> open = runs.stream().filter(r -> r.open).toList();
        if (perKey <= 0 || room <= 0 || open.isEmpty()) {
            return;
        }
        Map<String, Run> byKey = new HashMap<>();
        Map<String, Integer> seen = new HashMap<>();
        for (Run r : open) {
            byKey.put(r.key, r);
            seen.put(r.key, 0);
        }
        try (PreparedStatement ps = c.prepareStatement(DeliverySql.RUNS)) {
            ps.setArray(
                    1, c.createArrayOf("varchar", open.stream().map(r -> r.key).toArray()));
            ps.setArray(
                    2, c.createArrayOf("bigint", open.stream().map(r -> r.last).toArray()));
            ps.setString(3, subscriptionId);
            ps.setInt(4, perKey);
            ps.setInt(5, room);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Run r = byKey.get(rs.getString("ordering_key"));
                    seen.merge(r.key, 1, Integer::sum);
                    if (!r.open) {
                        continue;
                    }
                    if (!rs.getBoolean("due")) {
                        r.open = false;
                        continue;
                    }
                    r.fetched.add(new long[] {rs.getLong("event_seq"), rs.getLong("id")});
                }
            }
        }
        for (Run r : open) {
            if (seen.get(r.key) < perKey) {
                // no more open events after the last (or the overall limit cut the key off)
                r.open = false;
            }
        }
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
