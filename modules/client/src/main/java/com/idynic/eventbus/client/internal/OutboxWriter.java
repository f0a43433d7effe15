package com.idynic.eventbus.client.internal;

import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.DuplicateEventException;
import com.idynic.eventbus.api.ErrorCode;
import com.idynic.eventbus.api.EventEnvelope;
import com.idynic.eventbus.api.PublishReceipt;
import com.idynic.eventbus.api.TraceContext;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Writes an event and its outbox row on a connection enlisted in the caller's JTA transaction. Uses
 * {@code on conflict do nothing} so a duplicate id never poisons the caller's transaction: the stored
 * row then decides (same content: original receipt; different: {@link DuplicateEventException}).
 */
public final class OutboxWriter {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final DataSource ds;
    private final java.time.Clock clock;

    /**
     * @param ds the bus's server-level DataSource
     * @param clock the app's one clock: an event's acceptance time
     */
    public OutboxWriter(DataSource ds, java.time.Clock clock) {
        this.ds = ds;
        this.clock = clock;
    }

    /**
     * Writes the event in the trace context of {@code metadata.traceparent}, or a new one when it has none (as
     * {@code POST /v1/events} does).
     *
     * @return the receipt
     */
    public PublishReceipt write(EventEnvelope event) {
        return write(event, written -> {});
    }

    /**
     * As {@link #write(EventEnvelope)}, telling {@code written} the event as stored (with its trace context) when this
     * call stored it (not when it was already stored, by an earlier call with the same id and content).
     *
     * @since 0.21.0
     */
    public PublishReceipt write(EventEnvelope event, java.util.function.Consumer<EventEnvelope> written) {
        EventEnvelope e = TraceContext.propagate(null, event);
        try (Connection c = ds.getConnection()) {
            PublishReceipt receipt = new PublishReceipt(
                    e.id(),
                    OffsetDateTime.now(clock.withZone(ZoneOffset.UTC)).truncatedTo(ChronoUnit.MILLIS),
                    newReceipt());
            try (PreparedStatement ps = c.prepareStatement(
                    "insert into eb_event_id (id, accepted_at) values (?, ?) on conflict (id) do nothing")) {
                ps.setString(1, e.id());
                ps.setObject(2, receipt.acceptedAt());
                if (ps.executeUpdate() == 0) {
                    return existing(c, e);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("insert into eb_event (id, event_type, source, occurred_at,"
                    + " partition_key, correlation_id, traceparent, payload, content_hash, receipt, accepted_at)"
                    + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, e.id());
                ps.setString(2, e.eventType());
                ps.setString(3, e.source());
                ps.setObject(4, e.timestamp());
                ps.setString(5, e.partitionKey());
                ps.setString(6, e.correlationId());
                ps.setString(7, e.traceparent());
                ps.setString(8, e.toJson().toString());
                ps.setString(9, e.contentHash());
                ps.setString(10, receipt.receipt());
                ps.setObject(11, receipt.acceptedAt());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("insert into eb_outbox (event_id) values (?)")) {
                ps.setString(1, e.id());
                ps.executeUpdate();
            }
            written.accept(e);
            return receipt;
        } catch (SQLException ex) {
            throw new BusException(
                    ErrorCode.STORAGE_UNAVAILABLE,
                    "The event store is unavailable: " + ex.getMessage(),
                    Map.of("sqlState", String.valueOf(ex.getSQLState())));
        }
    }

    private static PublishReceipt existing(Connection c, EventEnvelope e) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("select content_hash, receipt, accepted_at from eb_event where id = ?")) {
            ps.setString(1, e.id());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (!rs.getString(1).trim().equals(e.contentHash())) {
                    throw new DuplicateEventException(e.id());
                }
                return new PublishReceipt(e.id(), rs.getObject(3, OffsetDateTime.class), rs.getString(2));
            }
        }
    }

    private static String newReceipt() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return "rcpt-" + HexFormat.of().formatHex(b);
    }
}
