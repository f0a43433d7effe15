package com.idynic.eventbus.storage;

import com.idynic.eventbus.broker.spi.OutboxEntry;
import com.idynic.eventbus.broker.spi.OutboxStore;
import com.idynic.eventbus.broker.spi.Relayed;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * The outbox as a relay lane. One transaction per batch: {@code pg_try_advisory_xact_lock} makes the
 * relaying server exclusive (a second server finds the lane busy and waits for its next pass), rows
 * are read in sequence order and deleted only once the sink acknowledged them.
 */
@ApplicationScoped
public class JdbcOutboxStore implements OutboxStore {
    static final long RELAY_LOCK = 0x4542_5245_4c41_59L;

    @Resource(lookup = "jdbc/eventbus")
    DataSource ds;

    @Override
    public int relay(int max, Function<List<OutboxEntry>, List<Relayed>> sender) {
        return Jdbc.inTransaction(ds, c -> {
            try (PreparedStatement lock = c.prepareStatement("select pg_try_advisory_xact_lock(?)")) {
                lock.setLong(1, RELAY_LOCK);
                try (ResultSet rs = lock.executeQuery()) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        return 0;
                    }
                }
            }
            List<OutboxEntry> batch = new ArrayList<>();
            try (PreparedStatement ps =
                    c.prepareStatement("select o.seq, e.id, e.event_type, e.source, e.partition_key,"
                            + " e.correlation_id, e.traceparent, e.payload, e.seq, e.accepted_at"
                            + " from eb_outbox o join eb_event e on e.id = o.event_id"
                            + " order by o.seq limit ?")) {
                ps.setInt(1, max);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        batch.add(new OutboxEntry(
                                rs.getLong(1),
                                rs.getString(2),
                                rs.getString(3),
                                rs.getString(4),
                                rs.getString(5),
                                rs.getString(6),
                                rs.getString(7),
                                rs.getString(8),
                                rs.getLong(9),
                                rs.getObject(10, java.time.OffsetDateTime.class).toInstant()));
                    }
                }
            }
            if (batch.isEmpty()) {
                return 0;
            }
            List<Relayed> sent = sender.apply(batch);
            if (sent.isEmpty()) {
                return 0;
            }
            try (PreparedStatement pos = c.prepareStatement(
                    "update eb_event set kafka_topic = ?, kafka_partition = ?, kafka_offset = ? where id = ?")) {
                for (Relayed r : sent) {
                    pos.setString(1, r.topic());
                    pos.setInt(2, r.partition());
                    pos.setLong(3, r.offset());
                    pos.setString(4, r.eventId());
                    pos.addBatch();
                }
                pos.executeBatch();
            }
            try (PreparedStatement del = c.prepareStatement("delete from eb_outbox where seq = any(?)")) {
                Array seqs = c.createArrayOf(
                        "bigint", sent.stream().map(Relayed::seq).toArray());
                del.setArray(1, seqs);
                return del.executeUpdate();
            }
        });
    }

    @Override
    public long backlog() {
        return Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement("select count(*) from eb_outbox");
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    @Override
    public long lagMillis() {
        return Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps =
                            c.prepareStatement("select coalesce((extract(epoch from (now() - min(created_at)))"
                                    + " * 1000)::bigint, 0) from eb_outbox");
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                return Math.max(0, rs.getLong(1));
            }
        });
    }
}
