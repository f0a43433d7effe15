package com.idynic.eventbus.storage;

import com.idynic.eventbus.broker.spi.EventBatchStore;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Group-commit writes: a batch of events costs three set-based statements (claim the ids, insert the
 * events, insert their outbox rows) and one commit, whatever its size. Rows go in batch order, so event
 * sequence numbers and outbox order follow the order the batch was gathered in.
 */
@ApplicationScoped
public class JdbcEventWriter implements EventBatchStore {
    /** Claims the free ids; a taken id (a re-publish) writes nothing and is simply not returned. */
    static final String CLAIM_IDS =
            """
            insert into eb_event_id (id, accepted_at)
            select u.id, u.at::timestamptz from unnest(?::varchar[], ?::text[]) as u(id, at)
            on conflict (id) do nothing
            returning id""";

    static final String INSERT_EVENTS =
            """
            insert into eb_event (id, event_type, source, occurred_at, partition_key, correlation_id, traceparent,
                                  payload, content_hash, receipt, accepted_at)
            select u.id, u.type, u.src, u.occ::timestamptz, u.pk, u.cid, u.tp, u.payload, u.hash, u.rcpt,
                   u.at::timestamptz
            from unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::text[], ?::varchar[], ?::varchar[],
                        ?::varchar[], ?::text[], ?::varchar[], ?::varchar[], ?::text[])
                 with ordinality as u(id, type, src, occ, pk, cid, tp, payload, hash, rcpt, at, ord)
            order by u.ord""";

    static final String INSERT_OUTBOX =
            """
            insert into eb_outbox (event_id, created_at)
            select u.id, u.at::timestamptz from unnest(?::varchar[], ?::text[]) with ordinality as u(id, at, ord)
            order by u.ord""";

    @Resource(lookup = "jdbc/eventbus")
    DataSource ds;

    @Override
    public Set<String> appendAll(List<Entry> batch) {
        if (batch.isEmpty()) {
            return new HashSet<>();
        }
        // repeatable: a batch that did commit before the connection died finds its ids taken on the repeat
        return Jdbc.inTransactionOnLiveConnection(ds, c -> {
            Set<String> claimed = claim(c, batch);
            List<Entry> fresh = new ArrayList<>(claimed.size());
            for (Entry e : batch) {
                if (claimed.contains(e.event().id())) {
                    fresh.add(e);
                }
            }
            if (!fresh.isEmpty()) {
                insertEvents(c, fresh);
                insertOutbox(c, fresh);
            }
            return claimed;
        });
    }

    private static Set<String> claim(Connection c, List<Entry> batch) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(CLAIM_IDS)) {
            ps.setArray(
                    1, c.createArrayOf("varchar", column(batch, e -> e.event().id())));
            ps.setArray(2, c.createArrayOf("text", column(batch, e -> e.receipt()
                    .acceptedAt()
                    .toString())));
            Set<String> claimed = new HashSet<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    claimed.add(rs.getString(1));
                }
            }
            return claimed;
        }
    }

    private static void insertEvents(Connection c, List<Entry> fresh) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT_EVENTS)) {
            int i = 1;
            ps.setArray(
                    i++, c.createArrayOf("varchar", column(fresh, e -> e.event().id())));
            ps.setArray(
                    i++, c.createArrayOf("varchar", column(fresh, e -> e.event().eventType())));
            ps.setArray(
                    i++, c.createArrayOf("varchar", column(fresh, e -> e.event().source())));
            ps.setArray(i++, c.createArrayOf("text", column(fresh, e -> e.event()
                    .timestamp()
                    .toString())));
            ps.setArray(
                    i++, c.createArrayOf("varchar", column(fresh, e -> e.event().partitionKey())));
            ps.setArray(
                    i++, c.createArrayOf("varchar", column(fresh, e -> e.event().correlationId())));
            ps.setArray(
                    i++, c.createArrayOf("varchar", column(fresh, e -> e.event().traceparent())));
            ps.setArray(i++, c.createArrayOf("text", column(fresh, e -> e.event()
                    .toJson()
                    .toString())));
            ps.setArray(
                    i++, c.createArrayOf("varchar", column(fresh, e -> e.event().contentHash())));
            ps.setArray(i++, c.createArrayOf("varchar", column(fresh, e -> e.receipt()
                    .receipt())));
            ps.setArray(i, c.createArrayOf("text", column(fresh, e -> e.receipt()
                    .acceptedAt()
                    .toString())));
            ps.executeUpdate();
        }
    }

    private static void insertOutbox(Connection c, List<Entry> fresh) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT_OUTBOX)) {
            ps.setArray(
                    1, c.createArrayOf("varchar", column(fresh, e -> e.event().id())));
            ps.setArray(2, c.createArrayOf("text", column(fresh, e -> e.receipt()
                    .acceptedAt()
                    .toString())));
            ps.executeUpdate();
        }
    }

    private static Object[] column(List<Entry> rows, java.util.function.Function<Entry, String> f) {
        Object[] out = new Object[rows.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = f.apply(rows.get(i));
        }
        return out;
    }
}
