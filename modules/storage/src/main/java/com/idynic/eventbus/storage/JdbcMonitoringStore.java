package com.idynic.eventbus.storage;

import com.idynic.eventbus.admin.spi.MonitoringStore;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The operator's delivery figures from PostgreSQL's indexes: per subscription, its open and dead rows (two counts
 * on the partial indexes {@code eb_delivery_open} and {@code eb_delivery_dead}) and when its oldest open row was
 * queued (one probe of {@code eb_delivery_open_since}, which holds owed rows only: delivered history is never read),
 * and the attempts of a window: exact counts (one hashed pass) and the percentiles of publish-to-acknowledgement
 * time, from a random sample once the window is busy ({@link #attempts}).
 *
 * @since 0.19.0
 */
@ApplicationScoped
public class JdbcMonitoringStore implements MonitoringStore {
    static final String QUEUES =
            """
            select s.id as subscription_id,
                   (select count(*) from eb_delivery d
                     where d.subscription_id = s.id and d.state in ('PENDING', 'LEASED')) as open,
                   (select count(*) from eb_delivery d where d.subscription_id = s.id and d.state = 'DEAD') as dead,
                   (select min(d.created_at) from eb_delivery d
                     where d.subscription_id = s.id and d.state in ('PENDING', 'LEASED')) as oldest_open
              from eb_subscription s order by s.id""";

    /**
     * Counts grouped per subscription, plus one row for all of them (its subscription_id is null): one pass with hash
     * aggregation, no sort (about 0.1 s for 190,000 attempts in the window on 2 busy cores).
     */
    static final String ATTEMPT_COUNTS =
            """
            select subscription_id, count(*) as finished,
                   count(*) filter (where outcome = 'SUCCESS') as succeeded,
                   count(*) filter (where outcome = 'SUCCESS' and not replay) as timed
              from eb_delivery_attempt
             where started_at >= ?
             group by grouping sets ((subscription_id), ())""";

    /**
     * Percentiles of publish-to-acknowledgement time over a Bernoulli sample of the window's live successes ({@code ?}
     * percent of the rows; 100 reads every one): sorting every attempt of a busy window took a second each time the
     * figures were read (every 5 s) and took that CPU from delivery.
     */
    static final String LATENCIES =
            """
            select subscription_id, percentile_cont(array[0.5, 0.95, 0.99]) within group (
                       order by greatest(0, extract(epoch from started_at - accepted_at) * 1000 + duration_ms))
                       as latency_ms
              from eb_delivery_attempt tablesample bernoulli (?)
             where started_at >= ? and outcome = 'SUCCESS' and not replay
             group by grouping sets ((subscription_id), ())""";

    /** Exact percentiles for the named subscriptions (those with few attempts, which a sample would leave too few). */
    static final String EXACT_LATENCIES =
            """
            select subscription_id, percentile_cont(array[0.5, 0.95, 0.99]) within group (
                       order by greatest(0, extract(epoch from started_at - accepted_at) * 1000 + duration_ms))
                       as latency_ms
              from eb_delivery_attempt
             where started_at >= ? and outcome = 'SUCCESS' and not replay and subscription_id = any(?)
             group by subscription_id""";

    /** About how many live successes the percentiles are read from once the window holds more. */
    int sample = 20_000;

    /** A subscription with fewer live successes than this in the window gets exact percentiles. */
    int exactBelow = 5_000;

    /** Events accepted in the window: the acceptance-time index of the day partitions the window touches. */
    static final String PUBLISHED = "select count(*) from eb_event where accepted_at >= ?";

    @Resource(lookup = "jdbc/eventbus", shareable = false)
    DataSource ds;

    @Override
    public List<QueueCounts> queues() {
        return Jdbc.autoCommit(ds, c -> {
            List<QueueCounts> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(QUEUES);
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Timestamp oldest = rs.getTimestamp("oldest_open");
                    out.add(new QueueCounts(
                            rs.getString("subscription_id"),
                            rs.getLong("open"),
                            rs.getLong("dead"),
                            oldest == null ? null : oldest.toInstant()));
                }
            }
            return out;
        });
    }

    /**
     * Counts are exact. Percentiles are exact while the window holds at most {@link #sample} live successes; beyond
     * that, the whole bus's and each busy subscription's come from a random sample of about that many (a p99 from
     * 20,000 samples is within a fraction of a percentile of the exact one), and a subscription with fewer than
     * {@link #exactBelow} stays exact.
     */
    @Override
    public List<AttemptStats> attempts(Instant since) {
        return Jdbc.autoCommit(ds, c -> {
            java.util.Map<String, long[]> counts = new java.util.LinkedHashMap<>();
            long[] all = null;
            try (PreparedStatement ps = c.prepareStatement(ATTEMPT_COUNTS)) {
                ps.setTimestamp(1, Timestamp.from(since));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long[] n = {rs.getLong("finished"), rs.getLong("succeeded"), rs.getLong("timed")};
                        String sub = rs.getString("subscription_id");
                        if (sub == null) {
                            all = n;
                        } else {
                            counts.put(sub, n);
                        }
                    }
                }
            }
            List<AttemptStats> out = new ArrayList<>();
            if (all == null) {
                return out;
            }
            java.util.Map<String, Duration[]> latencies = new java.util.HashMap<>();
            double percent = all[2] <= sample ? 100 : Math.max(0.01, 100.0 * sample / all[2]);
            if (all[2] > 0) {
                try (PreparedStatement ps = c.prepareStatement(LATENCIES)) {
                    ps.setDouble(1, percent);
                    ps.setTimestamp(2, Timestamp.from(since));
                    read(ps, latencies);
                }
            }
            List<String> small = counts.entrySet().stream()
                    .filter(e -> e.getValue()[2] > 0 && e.getValue()[2] < exactBelow)
                    .map(java.util.Map.Entry::getKey)
                    .toList();
            if (percent < 100 && !small.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement(EXACT_LATENCIES)) {
                    ps.setTimestamp(1, Timestamp.from(since));
                    ps.setArray(2, c.createArrayOf("varchar", small.toArray()));
                    read(ps, latencies);
                }
            }
            counts.forEach((sub, n) -> out.add(stats(sub, n, latencies.get(sub))));
            out.add(stats(null, all, latencies.get(null)));
            return out;
        });
    }

    private static void read(PreparedStatement ps, java.util.Map<String, Duration[]> into)
            throws java.sql.SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                into.put(rs.getString("subscription_id"), percentiles(rs.getArray("latency_ms")));
            }
        }
    }

    private static AttemptStats stats(String sub, long[] n, Duration[] p) {
        Duration[] q = p == null || n[2] == 0 ? new Duration[3] : p;
        return new AttemptStats(sub, n[0], n[1], n[2], q[0], q[1], q[2]);
    }

    @Override
    public long published(Instant since) {
        return Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement(PUBLISHED)) {
                ps.setTimestamp(1, Timestamp.from(since));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    private static Duration[] percentiles(Array a) throws java.sql.SQLException {
        Duration[] out = new Duration[3];
        if (a == null) {
            return out;
        }
        Object[] ms = (Object[]) a.getArray();
        for (int i = 0; i < out.length && i < ms.length; i++) {
            if (ms[i] instanceof Number n) {
                out[i] = Duration.ofNanos(Math.round(n.doubleValue() * 1_000_000));
            }
        }
        return out;
    }
}
