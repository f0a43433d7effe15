package com.idynic.eventbus.examples.profile;

import com.idynic.eventbus.client.BusEvent;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * This service's own table, in the bus's database: one row per {@code order.placed} event its observer handled.
 * The row is written on the bus's DataSource ({@code jdbc/eventbus}), so it joins the observer's JTA transaction,
 * the one in which the bus client acknowledges the event: the row and the acknowledgement commit together, and
 * a redelivery after a crash never finds a row already written. The table has deliberately no unique key on the
 * event id, so a duplicate would show (the tests count rows per event).
 */
@ApplicationScoped
public class OrderLedger {
    static final String TABLE =
            "create table if not exists profile_order_ledger (event_id varchar(200) not null, order_id varchar(200),"
                    + " recorded_at timestamptz not null default now())";

    @Resource(lookup = "jdbc/eventbus")
    DataSource ds;

    private volatile boolean created;

    /** Records the order of the event in the caller's transaction. */
    void record(BusEvent e) {
        try (Connection c = ds.getConnection()) {
            if (!created) {
                try (Statement s = c.createStatement()) {
                    s.execute(TABLE);
                }
                created = true;
            }
            try (PreparedStatement ps =
                    c.prepareStatement("insert into profile_order_ledger (event_id, order_id) values (?, ?)")) {
                ps.setString(1, e.id());
                ps.setString(2, e.data().getString("orderId", null));
                ps.executeUpdate();
            }
        } catch (SQLException ex) {
            throw new IllegalStateException("the order ledger is unavailable: " + ex.getMessage(), ex);
        }
    }
}
