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
 * and the attempts of a window with
 * the percentiles of publish-to-acknowledgement time (one pass over {@code eb_delivery_attempt_started}, which
 * holds every column read, in each day partition).
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

    /** Rows grouped per subscription, plus one for all of them (its subscription_id is null). */
    static final String ATTEMPTS =
            """
            select subscription_id, count(*) as finished,
                   count(*) filter (where outcome = 'SUCCESS') as succeeded,
                   count(*) filter (where outcome = 'SUCCESS' and not replay) as timed,
                   percentile_cont(array[0.5, 0.95, 0.99]) within group (
                       order by greatest(0, extract(epoch from started_at - accepted_at) * 1000 + duration_ms))
                       filter (where outcome = 'SUCCESS' and not replay) as latency_ms
              from eb_delivery_attempt
             where started_at >= ?
             group by grouping sets ((subscription_id), ())""";

    /** Events accepted in the window: the acceptance-time index of the day partitions the window touches. */
    static final String PUBLISHED = "select count(*) from eb_event where accepted_at >= ?";

    @Resource(lookup = "jdbc/eventbus")
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

    @Override
    public List<AttemptStats> attempts(Instant since) {
        return Jdbc.autoCommit(ds, c -> {
            List<AttemptStats> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(ATTEMPTS)) {
                ps.setTimestamp(1, Timestamp.from(since));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Duration[] p = percentiles(rs.getArray("latency_ms"));
                        out.add(new AttemptStats(
                                rs.getString("subscription_id"),
                                rs.getLong("finished"),
                                rs.getLong("succeeded"),
                                rs.getLong("timed"),
                                p[0],
                                p[1],
                                p[2]));
                    }
                }
            }
            return out;
        });
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
