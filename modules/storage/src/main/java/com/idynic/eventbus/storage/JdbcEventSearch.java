package com.idynic.eventbus.storage;

import com.idynic.eventbus.broker.spi.DeliveryStatus;
import com.idynic.eventbus.broker.spi.EventSearch;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import javax.sql.DataSource;

/** Event lookups on the indexed columns (type and time, correlation id), with delivery states. */
@ApplicationScoped
public class JdbcEventSearch implements EventSearch {
    /**
     * The delivery rows of the events found, in the queue or moved to the history (looked up by each event's
     * acceptance time and id, the history's index); each subscription's newest row first.
     */
    private static final String DELIVERIES = "select * from (select " + JdbcDeliveryHistory.STATUS_COLUMNS
            + " from eb_delivery d where d.event_id = any(?)"
            + " union all select h.subscription_id, h.event_id, h.state, h.attempts, h.last_error,"
            + " null::timestamptz as available_at, h.delivered_at, h.dead_at, h.dead_group, h.id,"
            + " 0 as redrive_count, null::timestamptz as redriven_at"
            + " from unnest(?::timestamptz[], ?::varchar[]) as k(accepted_at, event_id)"
            + " join eb_delivery_history h on h.accepted_at = k.accepted_at and h.event_id = k.event_id) d"
            + " order by d.subscription_id, d.id desc";

    /**
     * The sequence number of the last event accepted before a time, and of the first accepted at or after one:
     * each one walk of the acceptance-time index of the partitions concerned.
     */
    private static final String SEQ_BEFORE =
            "select seq from eb_event where accepted_at < ? order by accepted_at desc limit 1";

    private static final String SEQ_FROM =
            "select seq from eb_event where accepted_at >= ? order by accepted_at limit 1";

    /**
     * How far apart an event's acceptance time and the moment its sequence number was taken may be: the server
     * (and the co-deployed client) take both in the statement that stores the event, so a time range is the
     * range of sequence numbers from the last event accepted this long before it to the first accepted this
     * long after it.
     */
    static final Duration SEQ_SLACK = Duration.ofMinutes(5);

    @Resource(lookup = "jdbc/eventbus", shareable = false)
    DataSource ds;

    @Override
    public List<Hit> search(Criteria c) {
        return Jdbc.autoCommit(ds, conn -> search(conn, c));
    }

    /**
     * Pages in sequence order. A time range becomes a range of sequence numbers first: the planner would
     * otherwise walk the sequence index from the start, filtering on a time that follows the sequence, and a
     * page of an hour long ago would read every event before it.
     */
    private static List<Hit> search(Connection conn, Criteria c) throws SQLException {
        StringBuilder sql = new StringBuilder("select e.seq, e.payload, e.content_hash, e.receipt, e.accepted_at,"
                + " not exists (select 1 from eb_outbox o where o.event_id = e.id) from eb_event e where e.seq > ?");
        List<Object> params = new ArrayList<>();
        long after = c.afterSeq();
        if (c.from() != null) {
            after = Math.max(
                    after, seq(conn, SEQ_BEFORE, c.from().minus(SEQ_SLACK)).orElse(after));
        }
        params.add(after);
        if (c.to() != null) {
            OptionalLong until = seq(conn, SEQ_FROM, c.to().plus(SEQ_SLACK));
            if (until.isPresent()) {
                sql.append(" and e.seq < ?");
                params.add(until.getAsLong());
            }
        }
        if (c.eventType() != null) {
            sql.append(" and e.event_type = ?");
            params.add(c.eventType());
        }
        if (c.correlationId() != null) {
            sql.append(" and e.correlation_id = ?");
            params.add(c.correlationId());
        }
        if (c.traceId() != null) {
            sql.append(" and substr(e.traceparent, 4, 32) = ?");
            params.add(c.traceId());
        }
        if (c.source() != null) {
            sql.append(" and e.source = ?");
            params.add(c.source());
        }
        if (c.from() != null) {
            sql.append(" and e.accepted_at >= ?");
            params.add(Timestamp.from(c.from()));
        }
        if (c.to() != null) {
            sql.append(" and e.accepted_at < ?");
            params.add(Timestamp.from(c.to()));
        }
        sql.append(" order by e.seq limit ?");
        params.add(c.limit());
        {
            Map<String, Hit> hits = new LinkedHashMap<>();
            try (PreparedStatement ps = conn.prepareStatement(sql.toString())) {
                for (int i = 0; i < params.size(); i++) {
                    ps.setObject(i + 1, params.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        var event = Rows.event(
                                rs.getString(2),
                                rs.getString(3),
                                rs.getString(4),
                                rs.getObject(5, OffsetDateTime.class),
                                rs.getBoolean(6));
                        hits.put(event.envelope().id(), new Hit(rs.getLong(1), event, new ArrayList<>()));
                    }
                }
            }
            if (hits.isEmpty()) {
                return List.of();
            }
            try (PreparedStatement ps = conn.prepareStatement(DELIVERIES)) {
                Object[] ids = hits.keySet().toArray();
                Object[] acceptedAts = hits.values().stream()
                        .map(h ->
                                Timestamp.from(h.event().receipt().acceptedAt().toInstant()))
                        .toArray();
                ps.setArray(1, conn.createArrayOf("varchar", ids));
                ps.setArray(2, conn.createArrayOf("timestamptz", acceptedAts));
                ps.setArray(3, conn.createArrayOf("varchar", ids));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        DeliveryStatus d = Rows.status(rs);
                        hits.get(d.eventId()).deliveries().add(d);
                    }
                }
            }
            return new ArrayList<>(hits.values());
        }
    }

    private static OptionalLong seq(Connection conn, String sql, Instant at) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setTimestamp(1, Timestamp.from(at));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
            }
        }
    }
}
