package com.idynic.eventbus.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.idynic.eventbus.broker.spi.OutboxEntry;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import jakarta.json.Json;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The relay lane's batches on a real PostgreSQL, migrated from {@code sql/} as the bus does. */
class JdbcOutboxStoreTest {
    static EmbeddedPostgres postgres;
    static DataSource ds;
    static final JdbcOutboxStore store = new JdbcOutboxStore();

    @BeforeAll
    static void start() throws IOException {
        postgres = EmbeddedPostgres.start();
        ds = postgres.getPostgresDatabase();
        Database database = new Database();
        database.ds = ds;
        database.migrate();
        store.ds = ds;
    }

    @AfterAll
    static void stop() throws IOException {
        postgres.close();
    }

    static void sql(String sql, Object... params) {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            ps.execute();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stores an event whose payload is a little over {@code dataChars} bytes, with its outbox row. */
    static String outboxed(int dataChars) {
        String id = "evt-" + UUID.randomUUID();
        String payload = Json.createObjectBuilder()
                .add("id", id)
                .add("eventType", "it.t")
                .add("source", "svc")
                .add("data", Json.createObjectBuilder().add("pad", "x".repeat(dataChars)))
                .build()
                .toString();
        sql("insert into eb_event_id (id, accepted_at) values (?, now())", id);
        sql(
                "insert into eb_event (id, event_type, source, occurred_at, payload, content_hash, receipt,"
                        + " accepted_at) select ?, 'it.t', 'svc', now(), ?, ?, ?, i.accepted_at"
                        + " from eb_event_id i where i.id = ?",
                id,
                payload,
                "0".repeat(64),
                "rcpt-" + id.substring(4, 12),
                id);
        sql("insert into eb_outbox (event_id) values (?)", id);
        return id;
    }

    /** @return the ids one pass hands to the sender; the sender acknowledges none, so the outbox stays */
    static List<String> handedOver(int max, long maxBytes) {
        List<String> handed = new ArrayList<>();
        store.relay(max, maxBytes, batch -> {
            batch.stream().map(OutboxEntry::eventId).forEach(handed::add);
            return List.of();
        });
        return handed;
    }

    @Test
    void aRelayPassStopsOnceThePayloadsBeforeARowReachTheByteBoundAndAlwaysTakesTheFirstRow() {
        sql("delete from eb_outbox");
        String first = outboxed(1000);
        String second = outboxed(1000);
        outboxed(1000);

        assertEquals(List.of(first, second), handedOver(500, 1500), "the third starts past 1,500 bytes");
        assertEquals(List.of(first), handedOver(500, 1), "a first event larger than the bound still goes alone");
        assertEquals(3, handedOver(500, 1 << 20).size(), "far under the bound, the count decides");
        assertEquals(List.of(first), handedOver(1, 1 << 20));
    }
}
