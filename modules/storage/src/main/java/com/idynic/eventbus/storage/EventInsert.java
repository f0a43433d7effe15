package com.idynic.eventbus.storage;

import com.idynic.eventbus.broker.spi.EventBatchStore.Entry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The one event insert of the server's publish paths, on whatever connection the caller's transaction
 * uses (a local one for group commit, the JTA-enlisted one for a publish with an idempotency key): claims
 * the ids with {@code on conflict do nothing} (a taken id writes nothing and never aborts the transaction),
 * then inserts the events and their outbox rows with one set-based statement each, in list order, so event
 * sequence numbers and outbox order follow the list. The client's {@code OutboxWriter} (co-deployed apps)
 * writes the same rows on its own: it cannot depend on this module.
 */
final class EventInsert {
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

    /** Records a service's key, or takes over its own expired one; 0 rows when the key is still in use. */
    static final String CLAIM_KEY =
            """
            insert into eb_idempotency (service, idem_key, content_hash, event_id) values (?, ?, ?, ?)
            on conflict (service, idem_key) do update
              set content_hash = excluded.content_hash, event_id = excluded.event_id, created_at = now()
              where eb_idempotency.created_at < now() - (? * interval '1 second')""";

    private EventInsert() {}

    /**
     * Stores the entries whose ids are free, with their outbox rows; joins the connection's transaction.
     *
     * @return the ids stored by this call
     */
    static Set<String> insert(Connection c, List<Entry> batch) throws SQLException {
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
    }

    /**
     * Records {@code key} of {@code service} for {@code eventId}, taking over the service's own key once it
     * is older than {@code window}.
     *
     * @return false when the key is still in use (nothing written)
     */
    static boolean claimKey(
            Connection c, String service, String key, String contentHash, String eventId, Duration window)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(CLAIM_KEY)) {
            ps.setString(1, service);
            ps.setString(2, key);
            ps.setString(3, contentHash);
            ps.setString(4, eventId);
            ps.setLong(5, window.toSeconds());
            return ps.executeUpdate() > 0;
        }
    }

    private static Set<String> claim(Connection c, List<Entry> batch) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(CLAIM_IDS)) {
            ps.setObject(1, column(batch, e -> e.event().id()));
            ps.setObject(2, column(batch, e -> e.receipt().acceptedAt().toString()));
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
            ps.setObject(i++, column(fresh, e -> e.event().id()));
            ps.setObject(i++, column(fresh, e -> e.event().eventType()));
            ps.setObject(i++, column(fresh, e -> e.event().source()));
            ps.setObject(i++, column(fresh, e -> e.event().timestamp().toString()));
            ps.setObject(i++, column(fresh, e -> e.event().partitionKey()));
            ps.setObject(i++, column(fresh, e -> e.event().correlationId()));
            ps.setObject(i++, column(fresh, e -> e.event().traceparent()));
            ps.setObject(i++, column(fresh, e -> e.event().toJson().toString()));
            ps.setObject(i++, column(fresh, e -> e.event().contentHash()));
            ps.setObject(i++, column(fresh, e -> e.receipt().receipt()));
            ps.setObject(i, column(fresh, e -> e.receipt().acceptedAt().toString()));
            ps.executeUpdate();
        }
    }

    private static void insertOutbox(Connection c, List<Entry> fresh) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT_OUTBOX)) {
            ps.setObject(1, column(fresh, e -> e.event().id()));
            ps.setObject(2, column(fresh, e -> e.receipt().acceptedAt().toString()));
            ps.executeUpdate();
        }
    }

    /**
     * One column as a {@code String[]}: the driver sends it as a binary {@code varchar[]} parameter (length-prefixed
     * elements), which the server reads without parsing an array literal; an {@code Array} from {@code
     * createArrayOf} would go as text, quoted and escaped element by element (every payload's quotes) and parsed
     * back by the server.
     */
    private static String[] column(List<Entry> rows, java.util.function.Function<Entry, String> f) {
        String[] out = new String[rows.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = f.apply(rows.get(i));
        }
        return out;
    }
}
