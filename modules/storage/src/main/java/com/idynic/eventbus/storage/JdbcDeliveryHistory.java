package com.idynic.eventbus.storage;

import com.idynic.eventbus.broker.spi.DeliveryAttempt;
import com.idynic.eventbus.broker.spi.DeliveryHistory;
import com.idynic.eventbus.broker.spi.DeliveryStatus;
import com.idynic.eventbus.storage.internal.Rows;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Delivery history in PostgreSQL: the delivery rows of one event, in the queue ({@code eb_delivery}) or moved to
 * the history once finished ({@code eb_delivery_history}, see {@link JdbcDeliveryArchive}), and its attempt
 * records. The history tables are read in the one day partition of the event's acceptance time.
 *
 * @since 0.8.0
 */
@ApplicationScoped
public class JdbcDeliveryHistory implements DeliveryHistory {
    /** The columns {@link Rows#status} reads, from {@code eb_delivery d}. */
    static final String STATUS_COLUMNS = "d.subscription_id, d.event_id, d.state, d.attempts, d.last_error,"
            + " d.available_at, d.delivered_at, d.dead_at, d.dead_group, d.id,"
            + " d.redrive_count, d.redriven_at";

    /** The event's acceptance time, which selects the day partition of the history tables. */
    private static final String ACCEPTED = "(select i.accepted_at from eb_event_id i where i.id = ?)";

    /**
     * The queue's rows and the moved ones; each subscription's newest row first (a replay after a move queues the
     * event again beside its earlier, finished delivery).
     */
    private static final String STATUS_OF = "select * from (select " + STATUS_COLUMNS
            + " from eb_delivery d where d.event_id = ?"
            + " union all select h.subscription_id, h.event_id, h.state, h.attempts, h.last_error,"
            + " null::timestamptz as available_at, h.delivered_at, h.dead_at, h.dead_group, h.id,"
            + " 0 as redrive_count, null::timestamptz as redriven_at"
            + " from eb_delivery_history h where h.event_id = ? and h.accepted_at = " + ACCEPTED + ") d"
            + " order by d.subscription_id, d.id desc limit 1000";

    private static final String ATTEMPTS_OF = "select subscription_id, event_id, attempt, started_at,"
            + " duration_ms, target, outcome, http_status, error from eb_delivery_attempt"
            + " where event_id = ? and accepted_at = " + ACCEPTED + " order by id limit 1000";

    @Resource(lookup = "jdbc/eventbus", shareable = false)
    DataSource ds;

    @Override
    public List<DeliveryStatus> statusOf(String eventId) {
        return Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement(STATUS_OF)) {
                ps.setString(1, eventId);
                ps.setString(2, eventId);
                ps.setString(3, eventId);
                return statusRows(ps);
            }
        });
    }

    @Override
    public List<DeliveryAttempt> attemptsOf(String eventId) {
        return Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement(ATTEMPTS_OF)) {
                ps.setString(1, eventId);
                ps.setString(2, eventId);
                List<DeliveryAttempt> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(Rows.attempt(rs));
                    }
                }
                return out;
            }
        });
    }

    /** @return every row of a query over {@link #STATUS_COLUMNS}, in its order */
    static List<DeliveryStatus> statusRows(PreparedStatement ps) throws SQLException {
        List<DeliveryStatus> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(Rows.status(rs));
            }
        }
        return out;
    }
}
