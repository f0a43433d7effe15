package com.idynic.eventbus.storage;

import com.idynic.eventbus.broker.spi.DeliveryStatus;
import com.idynic.eventbus.broker.spi.EventSearch;
import com.idynic.eventbus.storage.internal.Rows;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** Event lookups on the indexed columns (type and time, correlation id), with delivery states. */
@ApplicationScoped
public class JdbcEventSearch implements EventSearch {
    @Resource(lookup = "jdbc/eventbus")
    DataSource ds;

    @Override
    public List<Hit> search(Criteria c) {
        StringBuilder sql = new StringBuilder("select e.seq, e.payload, e.content_hash, e.receipt, e.accepted_at,"
                + " not exists (select 1 from eb_outbox o where o.event_id = e.id) from eb_event e where e.seq > ?");
        List<Object> params = new ArrayList<>();
        params.add(c.afterSeq());
        if (c.eventType() != null) {
            sql.append(" and e.event_type = ?");
            params.add(c.eventType());
        }
        if (c.correlationId() != null) {
            sql.append(" and e.correlation_id = ?");
            params.add(c.correlationId());
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
        return Jdbc.autoCommit(ds, conn -> {
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
            try (PreparedStatement ps = conn.prepareStatement("select d.id, d.subscription_id, d.event_id, d.state,"
                    + " d.attempts, d.last_error, d.available_at, d.delivered_at, d.dead_at, d.dead_group"
                    + " from eb_delivery d where d.event_id = any(?) order by d.subscription_id")) {
                ps.setArray(1, conn.createArrayOf("varchar", hits.keySet().toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        DeliveryStatus d = Rows.status(rs);
                        hits.get(d.eventId()).deliveries().add(d);
                    }
                }
            }
            return new ArrayList<>(hits.values());
        });
    }
}
