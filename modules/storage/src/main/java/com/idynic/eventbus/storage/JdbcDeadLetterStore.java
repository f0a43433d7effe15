package com.idynic.eventbus.storage;

import static com.idynic.eventbus.storage.JdbcDeliveryHistory.STATUS_COLUMNS;
import static com.idynic.eventbus.storage.JdbcDeliveryHistory.statusRows;

import com.idynic.eventbus.broker.spi.DeadLetterStore;
import com.idynic.eventbus.broker.spi.DeliveryStatus;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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
    private static final String DEAD_FILTER = " from eb_delivery d join eb_event e on e.id = d.event_id"
            + " where d.subscription_id = ? and d.state = 'DEAD'"
            + " and (?::text is null or e.event_type = ?::text)"
            + " and (?::text is null or d.last_error ilike '%' || ?::text || '%')";

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

    private static final String REDRIVE = "update eb_delivery set state = 'PENDING', attempts = 0,"
            + " first_attempt_at = null, available_at = now(), dead_at = null, dead_group = null"
            + " where subscription_id = ? and state = 'DEAD'";

    private static final String DISCARD =
            "update eb_delivery set state = 'DISCARDED', last_error = ? where subscription_id = ? and state = 'DEAD'";

    /** Narrows {@link #REDRIVE} and {@link #DISCARD} to the given event ids. */
    private static final String ONLY_IDS = " and event_id = any(?)";

    @Resource(lookup = "jdbc/eventbus")
    DataSource ds;

    @Override
    public List<DeliveryStatus> deadLetters(
            String subscriptionId, String eventType, String errorContains, long afterDeliveryId, int limit) {
        return Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement(PAGE)) {
                int i = deadFilter(ps, subscriptionId, eventType, errorContains);
                ps.setLong(i++, afterDeliveryId);
                ps.setInt(i, limit);
                return statusRows(ps);
            }
        });
    }

    @Override
    public long deadLetterCount(String subscriptionId, String eventType, String errorContains) {
        return Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement(COUNT)) {
                deadFilter(ps, subscriptionId, eventType, errorContains);
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

    private static int deadFilter(PreparedStatement ps, String subscriptionId, String eventType, String error)
            throws SQLException {
        ps.setString(1, subscriptionId);
        ps.setString(2, eventType);
        ps.setString(3, eventType);
        ps.setString(4, error);
        ps.setString(5, error);
        return 6;
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
