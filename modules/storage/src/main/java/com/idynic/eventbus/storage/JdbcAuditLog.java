package com.idynic.eventbus.storage;

import static com.idynic.eventbus.storage.DeliverySql.fit;

import com.idynic.eventbus.broker.spi.AuditLog;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The audit log in PostgreSQL ({@code eb_audit}). Actions stored elsewhere write their record through
 * {@link #insert} on their own connection, so action and record commit together.
 *
 * @since 0.8.0
 */
@ApplicationScoped
public class JdbcAuditLog implements AuditLog {
    private static final String INSERT =
            "insert into eb_audit (actor, action, subscription_id, detail) values (?, ?, ?, ?)";

    @Resource(lookup = "jdbc/eventbus", shareable = false)
    DataSource ds;

    @Override
    public void audit(String actor, String action, String subscriptionId, String detail) {
        Jdbc.autoCommit(ds, c -> insert(c, actor, action, subscriptionId, detail));
    }

    /** Writes one audit record on the caller's connection (in its transaction, if one is open). */
    static int insert(Connection c, String actor, String action, String subscriptionId, String detail)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            ps.setString(1, fit(actor, 200));
            ps.setString(2, action);
            ps.setString(3, subscriptionId);
            ps.setString(4, fit(detail, 4000));
            return ps.executeUpdate();
        }
    }
}
