package com.idynic.eventbus.storage;

import com.idynic.eventbus.admin.AuditEntry;
import com.idynic.eventbus.admin.spi.AuditReader;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Reads the audit log ({@code eb_audit}) newest first, a page at a time by id; each filter is an index's prefix
 * ({@code V021}), so a page costs the same at the end of a long log as at its start.
 *
 * @since 0.20.0
 */
@ApplicationScoped
public class JdbcAuditTrail implements AuditReader {
    @Resource(lookup = "jdbc/eventbus", shareable = false)
    DataSource ds;

    @Override
    public List<AuditEntry> entries(Filter f, long before, int limit) {
        StringBuilder sql =
                new StringBuilder("select id, at, actor, action, subscription_id, detail from eb_audit where true");
        List<Object> args = new ArrayList<>();
        if (f.actor() != null) {
            sql.append(" and actor = ?");
            args.add(f.actor());
        }
        if (f.action() != null) {
            sql.append(" and action = ?");
            args.add(f.action());
        }
        if (f.subscription() != null) {
            sql.append(" and subscription_id = ?");
            args.add(f.subscription());
        }
        if (f.from() != null) {
            sql.append(" and at >= ?");
            args.add(Timestamp.from(f.from()));
        }
        if (f.to() != null) {
            sql.append(" and at < ?");
            args.add(Timestamp.from(f.to()));
        }
        if (before > 0) {
            sql.append(" and id < ?");
            args.add(before);
        }
        sql.append(" order by id desc limit ?");
        args.add(limit);
        return Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) {
                    ps.setObject(i + 1, args.get(i));
                }
                List<AuditEntry> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new AuditEntry(
                                rs.getLong("id"),
                                rs.getTimestamp("at").toInstant(),
                                rs.getString("actor"),
                                rs.getString("action"),
                                rs.getString("subscription_id"),
                                rs.getString("detail")));
                    }
                }
                return out;
            }
        });
    }
}
