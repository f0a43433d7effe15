package com.idynic.eventbus.client;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * An idempotent-consumer helper for apps whose data lives outside the bus's database (and so receive at least
 * once, {@code eventbus.client.settle=http}): a received-messages table in the app's own database, written in
 * the app's own transaction. {@link #firstTime} inserts (consumer, event id) and says whether the row is new:
 * apply the event only then, on the same connection, so the marker and the effect commit together.
 *
 * <pre>{@code
 * try (Connection c = myDataSource.getConnection()) {
 *     if (ProcessedEvents.firstTime(c, "billing", e.id())) {
 *         // apply the event
 *     }
 * }
 * }</pre>
 *
 * @since 0.18.0
 */
public final class ProcessedEvents {
    /** Creates the table (PostgreSQL); run it once, e.g. in the app's own migrations. */
    public static final String DDL = "create table if not exists eb_processed_event ("
            + " consumer varchar(200) not null, event_id varchar(200) not null,"
            + " processed_at timestamptz not null default now(), primary key (consumer, event_id))";

    private ProcessedEvents() {}

    /**
     * Marks the event processed by the consumer, in the connection's transaction.
     *
     * @param c a connection enlisted in the transaction that applies the event
     * @param consumer who applies it (e.g. the subscription), so several consumers can share the table
     * @param eventId the event's id
     * @return true the first time for this consumer and event, false for a duplicate
     * @throws SQLException when the table is missing or the database refuses
     */
    public static boolean firstTime(Connection c, String consumer, String eventId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into eb_processed_event (consumer, event_id)"
                + " values (?, ?) on conflict (consumer, event_id) do nothing")) {
            ps.setString(1, consumer);
            ps.setString(2, eventId);
            return ps.executeUpdate() == 1;
        }
    }
}
