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

    /**
     * Records where a batch landed in Kafka in one statement. The accepted-time bounds are parameters so
     * PostgreSQL visits only the day partitions of the batch, and each row is matched on id and accepted
     * time (the partition key), never probed by id in every partition.
     */
    static final String RECORD_POSITIONS =
            """
            update eb_event e
               set kafka_topic = u.topic, kafka_partition = u.part, kafka_offset = u.off
              from unnest(?::varchar[], ?::text[], ?::varchar[], ?::integer[], ?::bigint[]) as u(id, at, topic, part, off)
             where e.id = u.id and e.accepted_at = u.at::timestamptz
               and e.accepted_at >= ? and e.accepted_at <= ?""";

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
            java.util.Map<Long, java.time.Instant> acceptedAt = new java.util.HashMap<>();
            for (OutboxEntry e : batch) {
                acceptedAt.put(e.seq(), e.acceptedAt());
            }
            try (PreparedStatement pos = c.prepareStatement(RECORD_POSITIONS)) {
                pos.setArray(
                        1,
                        c.createArrayOf(
                                "varchar", sent.stream().map(Relayed::eventId).toArray()));
                pos.setArray(
                        2,
                        c.createArrayOf(
                                "text",
                                sent.stream()
                                        .map(r -> acceptedAt.get(r.seq()).toString())
                                        .toArray()));
                pos.setArray(
                        3,
                        c.createArrayOf(
                                "varchar", sent.stream().map(Relayed::topic).toArray()));
                pos.setArray(
                        4,
                        c.createArrayOf(
                                "integer", sent.stream().map(Relayed::partition).toArray()));
                pos.setArray(
                        5,
                        c.createArrayOf(
                                "bigint", sent.stream().map(Relayed::offset).toArray()));
                java.time.Instant from = sent.stream()
                        .map(r -> acceptedAt.get(r.seq()))
                        .min(java.util.Comparator.naturalOrder())
                        .orElseThrow();
                java.time.Instant to = sent.stream()
                        .map(r -> acceptedAt.get(r.seq()))
                        .max(java.util.Comparator.naturalOrder())
                        .orElseThrow();
                pos.setObject(6, java.time.OffsetDateTime.ofInstant(from, java.time.ZoneOffset.UTC));
                pos.setObject(7, java.time.OffsetDateTime.ofInstant(to, java.time.ZoneOffset.UTC));
                pos.executeUpdate();
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
