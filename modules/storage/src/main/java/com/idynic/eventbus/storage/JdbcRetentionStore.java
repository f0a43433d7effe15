package com.idynic.eventbus.storage;

import com.idynic.eventbus.broker.spi.RetentionPolicy;
import com.idynic.eventbus.broker.spi.RetentionStore;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** Retention policies in {@code eb_retention_policy}; removal in batches of one short statement each. */
@ApplicationScoped
public class JdbcRetentionStore implements RetentionStore {
    private static final String PURGE =
            """
            with doomed as (
              select e.id from eb_event e
              where %s
                and (e.accepted_at < now() - (? * interval '1 second')
                     or (?::bigint is not null and e.seq <= (select x.seq from eb_event x where x.event_type = e.event_type
                                                  order by x.seq desc offset ? limit 1)))
                and not exists (select 1 from eb_outbox o where o.event_id = e.id)
                and not exists (select 1 from eb_delivery d where d.event_id = e.id
                                and d.state in ('PENDING', 'LEASED', 'DEAD'))
              limit ?),
            finished as (delete from eb_delivery d using doomed where d.event_id = doomed.id),
            keys as (delete from eb_idempotency k using doomed where k.event_id = doomed.id)
            delete from eb_event e using doomed where e.id = doomed.id""";

    @Resource(lookup = "jdbc/eventbus")
    DataSource ds;

    @Override
    public List<RetentionPolicy> policies() {
        return Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                            "select event_type, max_age_seconds, max_count from eb_retention_policy order by event_type");
                    ResultSet rs = ps.executeQuery()) {
                List<RetentionPolicy> out = new ArrayList<>();
                while (rs.next()) {
                    long count = rs.getLong(3);
                    out.add(new RetentionPolicy(
                            rs.getString(1), Duration.ofSeconds(rs.getLong(2)), rs.wasNull() ? null : count));
                }
                return out;
            }
        });
    }

    @Override
    public void save(RetentionPolicy p) {
        Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "insert into eb_retention_policy (event_type,"
                            + " max_age_seconds, max_count) values (?, ?, ?) on conflict (event_type) do update set"
                            + " max_age_seconds = excluded.max_age_seconds, max_count = excluded.max_count, updated_at = now()")) {
                ps.setString(1, p.eventType());
                ps.setLong(2, p.maxAge().toSeconds());
                if (p.maxCount() == null) {
                    ps.setNull(3, Types.BIGINT);
                } else {
                    ps.setLong(3, p.maxCount());
                }
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public boolean delete(String eventType) {
        return Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement("delete from eb_retention_policy where event_type = ?")) {
                ps.setString(1, eventType);
                return ps.executeUpdate() > 0;
            }
        });
    }

    @Override
    public int purge(String eventType, Duration maxAge, Long maxCount, int batch) {
        String where = eventType == null
                ? "e.event_type not in (select event_type from eb_retention_policy)"
                : "e.event_type = ?";
        return Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement(String.format(PURGE, where))) {
                int i = 1;
                if (eventType != null) {
                    ps.setString(i++, eventType);
                }
                ps.setLong(i++, maxAge.toSeconds());
                if (maxCount == null) {
                    ps.setNull(i++, Types.BIGINT);
                    ps.setLong(i++, 0);
                } else {
                    ps.setLong(i++, maxCount);
                    ps.setLong(i++, maxCount);
                }
                ps.setInt(i, batch);
                return ps.executeUpdate();
            }
        });
    }
}
