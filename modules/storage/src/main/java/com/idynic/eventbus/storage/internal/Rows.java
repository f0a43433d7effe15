package com.idynic.eventbus.storage.internal;

import com.idynic.eventbus.api.EnvelopeParser;
import com.idynic.eventbus.api.EventEnvelope;
import com.idynic.eventbus.api.PublishReceipt;
import com.idynic.eventbus.broker.spi.DeliveryAttempt;
import com.idynic.eventbus.broker.spi.DeliveryState;
import com.idynic.eventbus.broker.spi.DeliveryStatus;
import com.idynic.eventbus.broker.spi.Leased;
import com.idynic.eventbus.broker.spi.StoredEvent;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;

/** Turns stored columns back into API records; columns are read by name. */
public final class Rows {
    private Rows() {}

    /** @return the stored event rebuilt from its payload and columns */
    public static StoredEvent event(
            String payload, String hash, String receipt, OffsetDateTime acceptedAt, boolean relayed) {
        EventEnvelope e = EnvelopeParser.stored(payload, hash.trim());
        return new StoredEvent(e, new PublishReceipt(e.id(), acceptedAt, receipt), relayed);
    }

    /**
     * @param rs positioned on a row with {@code id, subscription_id, attempts, first_attempt_at, leased_at,
     *     payload, content_hash, receipt, accepted_at, is_replay}
     * @return the leased delivery
     */
    public static Leased leased(ResultSet rs) throws SQLException {
        return new Leased(
                rs.getLong("id"),
                rs.getString("subscription_id"),
                event(
                        rs.getString("payload"),
                        rs.getString("content_hash"),
                        rs.getString("receipt"),
                        rs.getObject("accepted_at", OffsetDateTime.class),
                        true),
                rs.getInt("attempts"),
                instant(rs, "first_attempt_at"),
                instant(rs, "leased_at"),
                rs.getBoolean("is_replay"));
    }

    /**
     * @param rs positioned on a row with {@code id, subscription_id, event_id, state, attempts, last_error,
     *     available_at, delivered_at, dead_at, dead_group, redrive_count, redriven_at}
     * @return where the delivery stands; the due time only while it is pending
     */
    public static DeliveryStatus status(ResultSet rs) throws SQLException {
        DeliveryState state = DeliveryState.parse(rs.getString("state"));
        return new DeliveryStatus(
                rs.getLong("id"),
                rs.getString("subscription_id"),
                rs.getString("event_id"),
                state,
                rs.getInt("attempts"),
                rs.getString("last_error"),
                state == DeliveryState.PENDING ? instant(rs, "available_at") : null,
                instant(rs, "delivered_at"),
                instant(rs, "dead_at"),
                rs.getObject("dead_group", Long.class),
                rs.getInt("redrive_count"),
                instant(rs, "redriven_at"));
    }

    /**
     * @param rs positioned on a row of {@code eb_delivery_attempt}
     * @return the attempt
     */
    public static DeliveryAttempt attempt(ResultSet rs) throws SQLException {
        return new DeliveryAttempt(
                rs.getString("subscription_id"),
                rs.getString("event_id"),
                rs.getInt("attempt"),
                instant(rs, "started_at"),
                rs.getLong("duration_ms"),
                rs.getString("target"),
                rs.getString("outcome"),
                rs.getObject("http_status", Integer.class),
                rs.getString("error"));
    }

    /** @return the named timestamp column as an instant, or null */
    public static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
