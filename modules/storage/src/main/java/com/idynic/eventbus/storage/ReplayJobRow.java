package com.idynic.eventbus.storage;

import com.idynic.eventbus.subscribers.spi.ReplayStore.Job;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;

/** A replay job as a row of {@code eb_replay} and back: its columns, its insert, its read by column name. */
final class ReplayJobRow {
    static final String COLUMNS = "id, subscription_id, from_position, to_time, event_types, rate_per_second,"
            + " state, total, done, last_seq, error, created_at, updated_at, source, read_from";
    static final String INSERT = "insert into eb_replay (id, subscription_id, from_position, to_time,"
            + " event_types, rate_per_second, state, total, done, last_seq, source)"
            + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing";

    private ReplayJobRow() {}

    /** Binds the job to the parameters of {@link #INSERT}. */
    static void bind(PreparedStatement ps, Job j) throws SQLException {
        ps.setString(1, j.id());
        ps.setString(2, j.subscriptionId());
        ps.setString(3, j.from());
        ps.setTimestamp(4, j.to() == null ? null : Timestamp.from(j.to()));
        ps.setString(5, String.join(",", j.eventTypes()));
        ps.setDouble(6, j.ratePerSecond());
        ps.setString(7, j.state());
        ps.setLong(8, j.total());
        ps.setLong(9, j.done());
        ps.setLong(10, j.lastSeq());
        ps.setString(11, j.source());
    }

    /** @return the job in the current row of a query of {@link #COLUMNS} */
    static Job job(ResultSet rs) throws SQLException {
        String types = rs.getString("event_types");
        return new Job(
                rs.getString("id"),
                rs.getString("subscription_id"),
                rs.getString("from_position"),
                instant(rs, "to_time"),
                types == null || types.isEmpty() ? List.of() : Arrays.asList(types.split(",")),
                rs.getDouble("rate_per_second"),
                rs.getString("state"),
                rs.getLong("total"),
                rs.getLong("done"),
                rs.getLong("last_seq"),
                rs.getString("error"),
                instant(rs, "created_at"),
                instant(rs, "updated_at"),
                rs.getString("source"),
                rs.getString("read_from"));
    }

    /** @return the column's time, or null where it is null */
    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
