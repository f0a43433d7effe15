package com.idynic.eventbus.storage;

import com.idynic.eventbus.admin.spi.CatalogStore;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Publisher counts ({@code eb_type_publisher}, {@code eb_type_publisher_minute}, added in batches by each server)
 * and a type's latest event: one backward probe of {@code eb_event_type_time} per day partition, {@code limit 1}.
 *
 * @since 0.20.0
 */
@ApplicationScoped
public class JdbcCatalogStore implements CatalogStore {
    static final String ADD_TOTAL =
            """
            insert into eb_type_publisher (event_type, source, first_seen, last_seen, published)
            values (?, ?, ?, ?, ?)
            on conflict (event_type, source) do update
               set first_seen = least(eb_type_publisher.first_seen, excluded.first_seen),
                   last_seen = greatest(eb_type_publisher.last_seen, excluded.last_seen),
                   published = eb_type_publisher.published + excluded.published""";

    static final String ADD_MINUTE =
            """
            insert into eb_type_publisher_minute (event_type, source, minute, published) values (?, ?, ?, ?)
            on conflict (minute, event_type, source) do update
               set published = eb_type_publisher_minute.published + excluded.published""";

    static final String PUBLISHERS =
            "select event_type, source, first_seen, last_seen, published from eb_type_publisher"
                    + " order by event_type, source";

    static final String SINCE =
            """
            select event_type, source, min(minute) as first_seen, max(minute) as last_seen, sum(published) as published
              from eb_type_publisher_minute where minute >= ? group by event_type, source order by event_type, source""";

    static final String LATEST =
            "select id, accepted_at, payload from eb_event where event_type = ? order by accepted_at desc limit 1";

    @Resource(lookup = "jdbc/eventbus", shareable = false)
    DataSource ds;

    /**
     * Two batches on one connection as it comes: inside a caller's JTA transaction (a co-deployed service publishing
     * in its own transaction) the counts commit or roll back with it; outside, each batch commits on its own.
     */
    @Override
    public void add(List<Published> totals, List<PublishedInMinute> minutes) {
        Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement(ADD_TOTAL)) {
                for (Published p : totals) {
                    ps.setString(1, p.eventType());
                    ps.setString(2, p.source());
                    ps.setTimestamp(3, Timestamp.from(p.firstSeen()));
                    ps.setTimestamp(4, Timestamp.from(p.lastSeen()));
                    ps.setLong(5, p.published());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement(ADD_MINUTE)) {
                for (PublishedInMinute m : minutes) {
                    ps.setString(1, m.eventType());
                    ps.setString(2, m.source());
                    ps.setTimestamp(3, Timestamp.from(m.minute()));
                    ps.setLong(4, m.published());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    @Override
    public List<Published> publishers() {
        return Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement(PUBLISHERS);
                    ResultSet rs = ps.executeQuery()) {
                return read(rs);
            }
        });
    }

    @Override
    public List<Published> publishedSince(Instant since) {
        return Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement(SINCE)) {
                ps.setTimestamp(1, Timestamp.from(since));
                try (ResultSet rs = ps.executeQuery()) {
                    return read(rs);
                }
            }
        });
    }

    @Override
    public void pruneMinutes(Instant before) {
        Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement("delete from eb_type_publisher_minute where minute < ?")) {
                ps.setTimestamp(1, Timestamp.from(before));
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public Optional<Sample> latest(String eventType) {
        return Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement(LATEST)) {
                ps.setString(1, eventType);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next()
                            ? Optional.of(new Sample(
                                    rs.getString("id"),
                                    rs.getTimestamp("accepted_at").toInstant(),
                                    rs.getString("payload")))
                            : Optional.<Sample>empty();
                }
            }
        });
    }

    private static List<Published> read(ResultSet rs) throws SQLException {
        List<Published> out = new ArrayList<>();
        while (rs.next()) {
            out.add(new Published(
                    rs.getString("event_type"),
                    rs.getString("source"),
                    rs.getTimestamp("first_seen").toInstant(),
                    rs.getTimestamp("last_seen").toInstant(),
                    rs.getLong("published")));
        }
        return out;
    }
}
