package com.idynic.eventbus.storage;

import static com.idynic.eventbus.storage.DeliverySql.fit;

import com.idynic.eventbus.broker.AttemptResult;
import com.idynic.eventbus.broker.spi.DeliveryQueue.Settlement;
import com.idynic.eventbus.broker.spi.Leased;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;

/** Writes the attempt records of settled deliveries, one insert for a whole batch (column arrays). */
final class Attempts {
    private static final String[] TYPES = {
        "bigint",
        "varchar",
        "varchar",
        "integer",
        "timestamptz",
        "bigint",
        "varchar",
        "varchar",
        "integer",
        "text",
        "timestamptz",
        "boolean"
    };

    private Attempts() {}

    static void record(Connection c, List<Settlement> done) throws SQLException {
        if (done.isEmpty()) {
            return;
        }
        int n = done.size();
        Object[][] cols = new Object[TYPES.length][n];
        for (int i = 0; i < n; i++) {
            Leased l = done.get(i).delivery();
            AttemptResult a = done.get(i).attempt();
            cols[0][i] = l.deliveryId();
            cols[1][i] = l.subscriptionId();
            cols[2][i] = l.event().envelope().id();
            cols[3][i] = l.attempt();
            cols[4][i] = Timestamp.from(a.startedAt());
            cols[5][i] = a.duration().toMillis();
            cols[6][i] = fit(a.target(), 500);
            cols[7][i] = a.outcome().name();
            cols[8][i] = a.httpStatus();
            cols[9][i] = fit(a.error(), 4000);
            cols[10][i] = Timestamp.from(l.event().receipt().acceptedAt().toInstant());
            cols[11][i] = l.replay();
        }
        try (PreparedStatement ps = c.prepareStatement(DeliverySql.RECORD_ATTEMPTS)) {
            for (int k = 0; k < TYPES.length; k++) {
                ps.setArray(k + 1, c.createArrayOf(TYPES[k], cols[k]));
            }
            ps.executeUpdate();
        }
    }
}
