package com.idynic.eventbus.storage;

import com.idynic.eventbus.broker.spi.OutboxEntry;
import com.idynic.eventbus.broker.spi.OutboxStore;
import com.idynic.eventbus.broker.spi.Refused;
import com.idynic.eventbus.broker.spi.RelayOutcome;
import com.idynic.eventbus.broker.spi.Relayed;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * The outbox, relayed in lanes, in three steps so that no transaction is open while Kafka is waited for:
 * {@link #claim} takes this server's share of the lanes ({@link RelayLanes}: session-level advisory locks on a
 * connection of its own, one server per lane at a time, the lanes split by ordering key) and reads the oldest
 * rows of those lanes in autocommit; the relay sends them; {@link #record} then, in one short transaction on the
 * lanes' connection that first checks the locks are still held, records where the acknowledged rows landed, moves the refused ones to {@code eb_outbox_refused} and
 * deletes both from the outbox.
 */
@ApplicationScoped
public class JdbcOutboxStore implements OutboxStore {
    /**
     * Records where a batch landed in Kafka in one statement, on the events' narrow id rows ({@code eb_event_id},
     * see {@code V027}): a ~100-byte row whose position columns are in no index, never the ~1 kB event row with its
     * six indexes.
     */
    static final String RECORD_POSITIONS =
            """
            update eb_event_id i
               set kafka_topic = u.topic, kafka_partition = u.part, kafka_offset = u.off
              from unnest(?::varchar[], ?::varchar[], ?::integer[], ?::bigint[]) as u(id, topic, part, off)
             where i.id = u.id""";

    /**
     * An outbox row's event, probed by its id (never flattened into a join: see {@link #NEXT_BATCH}): first its id
     * row's acceptance time, then the event in that day's partition only (pruned at run time).
     */
    private static final String EVENT_OF_ROW =
            """
            cross join lateral (select i.accepted_at from eb_event_id i where i.id = o.event_id limit 1) i
            cross join lateral (select x.id, x.event_type, x.source, x.partition_key, x.correlation_id, x.traceparent,
                                       x.payload, x.seq, x.accepted_at, x.occurred_at
                                  from eb_event x where x.id = o.event_id and x.accepted_at = i.accepted_at limit 1) e""";

    private static final String BATCH_COLUMNS =
            """
            select b.outbox_seq, b.id, b.event_type, b.source, b.partition_key,
                   b.correlation_id, b.traceparent, b.payload, b.event_seq, b.accepted_at, b.occurred_at
              from (select o.seq as outbox_seq, e.id, e.event_type, e.source, e.partition_key,
                           e.correlation_id, e.traceparent, e.payload, e.seq as event_seq, e.accepted_at,
                           e.occurred_at,
                           sum(octet_length(e.payload)) over (order by o.seq) - octet_length(e.payload) as bytes_before
            """;

    /**
     * The oldest unsent rows, at most {@code ?} of them, and only while the payloads before a row add up to
     * less than {@code ?} bytes: the sizes come from the stored lengths ({@code octet_length} does not
     * decompress), so rows past the bound never reach the relay. Each event is found through its id row's
     * acceptance time, so PostgreSQL probes one day partition per row, not every day's index (two thirds of the
     * buffer reads with four days stored, a third with a week).
     *
     * <p>Planned so that missing statistics cannot make it read every event: the outbox rows are limited first and
     * each one's event is probed by its id ({@code lateral ... limit 1}). As a plain join, a fresh database (or a
     * day partition not yet analyzed) had PostgreSQL hash-join a sequential scan of every stored event and id row
     * to the outbox: 18,320 buffers and 28 ms a pass in a benchmark's first half minute, against 0.2 ms since.
     */
    static final String NEXT_BATCH = BATCH_COLUMNS
            + """
                      from (select seq, event_id from eb_outbox order by seq limit ?) o
            """
            + EVENT_OF_ROW
            + """
                     order by o.seq) b
             where b.bytes_before < ?
             order by b.outbox_seq""";

    /** As {@link #NEXT_BATCH}, only the rows of the given lanes ({@link RelayLanes#LANE_OF}). */
    static final String NEXT_BATCH_IN_LANES = BATCH_COLUMNS
            + """
                      from eb_outbox o
            """
            + EVENT_OF_ROW
            + """

                     where\s"""
            + RelayLanes.LANE_OF
            + """
             = any(?)
                     order by o.seq limit ?) b
             where b.bytes_before < ?
             order by b.outbox_seq""";

    /**
     * Keeps refused rows aside with their reason; an event refused again (queued again by an operator too
     * early) keeps one row with the latest reason.
     */
    static final String SET_ASIDE =
            """
            insert into eb_outbox_refused (event_id, outbox_seq, reason)
            select * from unnest(?::varchar[], ?::bigint[], ?::text[])
            on conflict (event_id) do update
               set outbox_seq = excluded.outbox_seq, reason = excluded.reason, refused_at = now()""";

    /**
     * Unshareable: the relay keeps one connection (the lane's lock session) across passes, and Liberty must
     * never hand that physical connection to another handle of the same unit of work.
     */
    @Resource(lookup = "jdbc/eventbus", shareable = false)
    DataSource ds;

    private final RelayLanes lanes;

    public JdbcOutboxStore() {
        this(new RelayLanes(TimeUnit.SECONDS.toNanos(1), System::nanoTime));
    }

    JdbcOutboxStore(RelayLanes lanes) {
        this.lanes = lanes;
    }

    @Override
    public synchronized List<OutboxEntry> claim(int max, long maxBytes) {
        try {
            Connection c = lanes.take(ds);
            if (c == null) {
                return List.of();
            }
            return read(c, max, maxBytes, lanes.lanes());
        } catch (SQLException e) {
            lanes.release();
            throw new StorageException(e);
        }
    }

    @Override
    public synchronized int record(List<OutboxEntry> batch, RelayOutcome outcome) {
        if (outcome.isEmpty()) {
            return 0;
        }
        Connection c = lanes.held();
        if (c == null) {
            throw new IllegalStateException("the relay lanes were given up before their batch was recorded");
        }
        try {
            c.setAutoCommit(false);
            if (!lanes.holds(c)) {
                throw new IllegalStateException("a relay lane was lost before its batch was recorded");
            }
            int removed = remove(c, outcome);
            c.commit();
            c.setAutoCommit(true);
            return removed;
        } catch (SQLException e) {
            lanes.release();
            throw new StorageException(e);
        } catch (RuntimeException e) {
            lanes.release();
            throw e;
        }
    }

    /** @return the lanes this server relays now (for health and tests) */
    public List<Integer> lanes() {
        return lanes.lanes();
    }

    @Override
    public OutboxStore member() {
        JdbcOutboxStore other = new JdbcOutboxStore();
        other.ds = ds;
        return other;
    }

    /** Gives the lanes up (also when the application stops). */
    @Override
    @PreDestroy
    public synchronized void close() {
        lanes.release();
    }

    private static List<OutboxEntry> read(Connection c, int max, long maxBytes, List<Integer> lanes)
            throws SQLException {
        List<OutboxEntry> batch = new ArrayList<>();
        boolean all = lanes.size() == RelayLanes.LANES;
        try (PreparedStatement ps = c.prepareStatement(all ? NEXT_BATCH : NEXT_BATCH_IN_LANES)) {
            int i = 1;
            if (!all) {
                ps.setArray(i++, c.createArrayOf("integer", lanes.toArray()));
            }
            ps.setInt(i++, max);
            ps.setLong(i, maxBytes);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    batch.add(new OutboxEntry(
                            rs.getLong("outbox_seq"),
                            rs.getString("id"),
                            rs.getString("event_type"),
                            rs.getString("source"),
                            rs.getString("partition_key"),
                            rs.getString("correlation_id"),
                            rs.getString("traceparent"),
                            rs.getString("payload"),
                            rs.getLong("event_seq"),
                            rs.getObject("accepted_at", OffsetDateTime.class).toInstant(),
                            rs.getObject("occurred_at", OffsetDateTime.class).toInstant()));
                }
            }
        }
        return batch;
    }

    private static int remove(Connection c, RelayOutcome outcome) throws SQLException {
        if (!outcome.relayed().isEmpty()) {
            recordPositions(c, outcome.relayed());
        }
        if (!outcome.refused().isEmpty()) {
            setAside(c, outcome.refused());
        }
        List<Long> removed = new ArrayList<>();
        outcome.relayed().forEach(r -> removed.add(r.seq()));
        outcome.refused().forEach(r -> removed.add(r.seq()));
        try (PreparedStatement del = c.prepareStatement("delete from eb_outbox where seq = any(?)")) {
            del.setObject(1, removed.stream().mapToLong(Long::longValue).toArray());
            return del.executeUpdate();
        }
    }

    /** Records the refused rows with one statement; one row per event, however often it appears. */
    private static void setAside(Connection c, List<Refused> refused) throws SQLException {
        Map<String, Refused> byEvent = new LinkedHashMap<>();
        refused.forEach(r -> byEvent.put(r.eventId(), r));
        try (PreparedStatement ps = c.prepareStatement(SET_ASIDE)) {
            ps.setArray(
                    1,
                    c.createArrayOf(
                            "varchar",
                            byEvent.values().stream().map(Refused::eventId).toArray()));
            ps.setArray(
                    2,
                    c.createArrayOf(
                            "bigint",
                            byEvent.values().stream().map(Refused::seq).toArray()));
            ps.setArray(
                    3,
                    c.createArrayOf(
                            "text",
                            byEvent.values().stream().map(Refused::reason).toArray()));
            ps.executeUpdate();
        }
    }

    /** Where each sent row landed in Kafka, with one statement for the batch. */
    private static void recordPositions(Connection c, List<Relayed> sent) throws SQLException {
        int n = sent.size();
        // plain arrays go as binary array parameters (no array literal to escape and parse)
        String[] ids = new String[n];
        String[] topics = new String[n];
        int[] partitions = new int[n];
        long[] offsets = new long[n];
        for (int i = 0; i < n; i++) {
            Relayed r = sent.get(i);
            ids[i] = r.eventId();
            topics[i] = r.topic();
            partitions[i] = r.partition();
            offsets[i] = r.offset();
        }
        try (PreparedStatement ps = c.prepareStatement(RECORD_POSITIONS)) {
            ps.setObject(1, ids);
            ps.setObject(2, topics);
            ps.setObject(3, partitions);
            ps.setObject(4, offsets);
            ps.executeUpdate();
        }
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
