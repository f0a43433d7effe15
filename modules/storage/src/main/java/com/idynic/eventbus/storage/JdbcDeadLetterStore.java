package com.idynic.eventbus.storage;

import static com.idynic.eventbus.storage.JdbcDeliveryHistory.STATUS_COLUMNS;
import static com.idynic.eventbus.storage.JdbcDeliveryHistory.statusRows;

import com.idynic.eventbus.broker.DeadLetterFilter;
import com.idynic.eventbus.broker.spi.DeadLetterStore;
import com.idynic.eventbus.broker.spi.DeliveryStatus;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Dead letters in PostgreSQL: the {@code DEAD} delivery rows of a subscription. Redrive and discard write
 * their audit record ({@link JdbcAuditLog#insert}) in the transaction that changes the rows.
 *
 * @since 0.8.0
 */
@ApplicationScoped
public class JdbcDeadLetterStore implements DeadLetterStore {
    /** A subscription's dead letters that match a {@link DeadLetterFilter}; bound by {@link #deadFilter}. */
    static final String DEAD_FILTER = " from eb_delivery d join eb_event e on e.id = d.event_id"
            + " where d.subscription_id = ? and d.state = 'DEAD'"
            + " and (?::text is null or e.event_type = ?::text)"
            + " and (?::text is null or d.last_error ilike '%' || ?::text || '%')"
            + " and (?::timestamptz is null or d.dead_at >= ?::timestamptz)"
            + " and (?::timestamptz is null or d.dead_at < ?::timestamptz)";

    private static final String PAGE = "select " + STATUS_COLUMNS + DEAD_FILTER + " and d.id > ? order by d.id limit ?";

    private static final String COUNT = "select count(*) as n" + DEAD_FILTER;

    private static final String ONE = "select " + STATUS_COLUMNS + " from eb_delivery d"
            + " where d.subscription_id = ? and d.event_id = ? and d.state = 'DEAD'";

    private static final String PARKED_SEQUENCE =
            """
            select event_id from (
              (select d.event_seq, d.event_id from eb_delivery d
                where d.id = ? and d.subscription_id = ? and d.state = 'DEAD' and d.dead_group = d.id)
              union
              (select p.event_seq, p.event_id from eb_delivery p
                where p.subscription_id = ? and p.state = 'DEAD' and p.dead_group = ?
                  and p.ordering_key = (select h.ordering_key from eb_delivery h where h.id = ?)
                order by p.event_seq limit ?)) parked
            order by event_seq limit ?""";

    /** Puts dead letters back in the queue, counting the redrive on each (so one that comes back shows it). */
    static final String REDRIVE = "update eb_delivery set state = 'PENDING', attempts = 0,"
            + " first_attempt_at = null, available_at = now(), dead_at = null, dead_group = null,"
            + " redrive_count = redrive_count + 1, redriven_at = now(), created_at = now()"
            + " where subscription_id = ? and state = 'DEAD'";

    private static final String DISCARD =
            "update eb_delivery set state = 'DISCARDED', last_error = ? where subscription_id = ? and state = 'DEAD'";

    /** Narrows {@link #REDRIVE} and {@link #DISCARD} to the given event ids. */
    private static final String ONLY_IDS = " and event_id = any(?)";

    @Resource(lookup = "jdbc/eventbus", shareable = false)
    DataSource ds;

    @Override
    public List<DeliveryStatus> deadLetters(
            String subscriptionId, DeadLetterFilter filter, long afterDeliveryId, int limit) {
        return Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement(PAGE)) {
                int i = deadFilter(ps, 1, subscriptionId, filter);
                ps.setLong(i++, afterDeliveryId);
                ps.setInt(i, limit);
                return statusRows(ps);
            }
        });
    }

    @Override
    public long deadLetterCount(String subscriptionId, DeadLetterFilter filter) {
        return Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement(COUNT)) {
                deadFilter(ps, 1, subscriptionId, filter);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong("n");
                }
            }
        });
    }

    @Override
    public Optional<DeliveryStatus> deadLetter(String subscriptionId, String eventId) {
        return Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement(ONE)) {
                ps.setString(1, subscriptionId);
                ps.setString(2, eventId);
                return statusRows(ps).stream().findFirst();
            }
        });
    }

    /**
     * A sequence is its head (dead group = its own id) and the dead letters of the head's key that name it;
     * the second part walks that key's index in event order and stops after {@code limit} rows.
     */
    @Override
    public List<String> parkedSequence(String subscriptionId, long deadGroup, int limit) {
        return Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement(PARKED_SEQUENCE)) {
                ps.setLong(1, deadGroup);
                ps.setString(2, subscriptionId);
                ps.setString(3, subscriptionId);
                ps.setLong(4, deadGroup);
                ps.setLong(5, deadGroup);
                ps.setInt(6, limit);
                ps.setInt(7, limit);
                List<String> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString("event_id"));
                    }
                }
                return out;
            }
        });
    }

    /**
     * Binds the parameters of {@link #DEAD_FILTER} from {@code i} on.
     *
     * @return the index of the next parameter
     */
    static int deadFilter(PreparedStatement ps, int i, String subscriptionId, DeadLetterFilter f) throws SQLException {
        ps.setString(i++, subscriptionId);
        ps.setString(i++, f.eventType());
        ps.setString(i++, f.eventType());
        ps.setString(i++, f.errorContains());
        ps.setString(i++, f.errorContains());
        Timestamp from = f.deadFrom() == null ? null : Timestamp.from(f.deadFrom());
        Timestamp to = f.deadTo() == null ? null : Timestamp.from(f.deadTo());
        ps.setTimestamp(i++, from);
        ps.setTimestamp(i++, from);
        ps.setTimestamp(i++, to);
        ps.setTimestamp(i++, to);
        return i;
    }

    @Override
    public int redrive(String subscriptionId, Collection<String> eventIds, String actor) {
        return Jdbc.inTransaction(ds, c -> {
            int n;
            try (PreparedStatement ps = c.prepareStatement(REDRIVE + (eventIds == null ? "" : ONLY_IDS))) {
                ps.setString(1, subscriptionId);
                if (eventIds != null) {
                    ps.setArray(2, c.createArrayOf("varchar", eventIds.toArray()));
                }
                n = ps.executeUpdate();
            }
            JdbcAuditLog.insert(c, actor, "redrive", subscriptionId, selection(eventIds) + " -> " + n);
            return n;
        });
    }

    @Override
    public int discard(String subscriptionId, Collection<String> eventIds, String reason, String actor) {
        return Jdbc.inTransaction(ds, c -> {
            int n;
            try (PreparedStatement ps = c.prepareStatement(DISCARD + (eventIds == null ? "" : ONLY_IDS))) {
                ps.setString(1, "discarded: " + reason);
                ps.setString(2, subscriptionId);
                if (eventIds != null) {
                    ps.setArray(3, c.createArrayOf("varchar", eventIds.toArray()));
                }
                n = ps.executeUpdate();
            }
            JdbcAuditLog.insert(c, actor, "discard", subscriptionId, selection(eventIds) + " -> " + n + ": " + reason);
            return n;
        });
    }

    private static String selection(Collection<String> eventIds) {
        return eventIds == null ? "all" : String.join(",", eventIds);
    }
}
