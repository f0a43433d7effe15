package com.idynic.eventbus.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.idynic.eventbus.api.EventEnvelope;
import com.idynic.eventbus.api.PublishReceipt;
import com.idynic.eventbus.broker.spi.EventBatchStore.Entry;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import jakarta.json.Json;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The server's one event insert, as the JTA publish path and group commit use it, on a real PostgreSQL. */
class JpaEventStoreTest {
    static EmbeddedPostgres postgres;
    static final JpaEventStore store = new JpaEventStore();

    @BeforeAll
    static void start() throws IOException {
        postgres = EmbeddedPostgres.start();
        Database database = new Database();
        database.ds = postgres.getPostgresDatabase();
        database.migrate();
        store.ds = database.ds;
    }

    @AfterAll
    static void stop() throws IOException {
        postgres.close();
    }

    static EventEnvelope event(String id, String name) {
        return EventEnvelope.of(
                id,
                "user.created",
                "user-service",
                Json.createObjectBuilder().add("name", name).build());
    }

    static PublishReceipt receipt(String id, String receipt) {
        return new PublishReceipt(id, OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS), receipt);
    }

    /** @return the first column of every row, as text */
    static List<String> strings(String sql, Object... params) {
        try (Connection c = store.ds.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void anAppendStoresTheEventWithItsOutboxRowAndATakenIdWritesNothing() {
        String id = "evt-" + UUID.randomUUID();

        assertTrue(store.append(event(id, "a"), receipt(id, "rcpt-first")));
        assertFalse(store.append(event(id, "b"), receipt(id, "rcpt-second")));

        assertEquals(List.of("rcpt-first"), strings("select receipt from eb_event where id = ?", id));
        assertEquals(List.of("1"), strings("select count(*) from eb_outbox where event_id = ?", id));
    }

    @Test
    void aTakenIdLeavesTheCallersTransactionUsable() throws SQLException {
        String taken = "evt-" + UUID.randomUUID();
        String fresh = "evt-" + UUID.randomUUID();
        store.append(event(taken, "a"), receipt(taken, "rcpt-a"));
        try (Connection c = store.ds.getConnection()) {
            c.setAutoCommit(false);

            Set<String> first = EventInsert.insert(c, List.of(new Entry(event(taken, "b"), receipt(taken, "r"))));
            Set<String> second = EventInsert.insert(c, List.of(new Entry(event(fresh, "c"), receipt(fresh, "r"))));
            c.commit();

            assertEquals(Set.of(), first);
            assertEquals(Set.of(fresh), second);
        }
        assertEquals(List.of("1"), strings("select count(*) from eb_outbox where event_id = ?", fresh));
    }

    @Test
    void anIdempotencyKeyStillInUseRefusesTheAppendAndAnExpiredOneIsTakenOver() {
        String first = "evt-" + UUID.randomUUID();
        String second = "evt-" + UUID.randomUUID();
        String third = "evt-" + UUID.randomUUID();
        String fourth = "evt-" + UUID.randomUUID();
        String key = "key-" + UUID.randomUUID();
        Duration window = Duration.ofHours(1);
        assertTrue(store.append(event(first, "a"), receipt(first, "r1"), "svc", key, window));

        assertThrows(
                IllegalStateException.class,
                () -> store.append(event(second, "b"), receipt(second, "r2"), "svc", key, window));
        assertTrue(store.append(event(fourth, "d"), receipt(fourth, "r4"), "other-svc", key, window));
        strings(
                "update eb_idempotency set created_at = now() - interval '2 hours' where idem_key = ? returning 1",
                key);
        assertTrue(store.append(event(third, "c"), receipt(third, "r3"), "svc", key, window));

        assertEquals(
                List.of(third),
                strings("select event_id from eb_idempotency where service = 'svc' and idem_key = ?", key));
    }

    @Test
    void aBatchStoresEveryColumnAsGivenWhateverItsCharactersAndNulls() throws SQLException {
        String plain = "evt-" + UUID.randomUUID();
        String odd = "evt-" + UUID.randomUUID();
        String awkward = "q\" b\\ {a,b} NULL 'x' \u00e9 \u4e2d \ud83d\ude00 \n\t end";
        EventEnvelope withMetadata = EventEnvelope.of(
                odd,
                "user.created",
                "user-service",
                Json.createObjectBuilder().add("text", awkward).add("n", 1.5).build(),
                Json.createObjectBuilder()
                        .add("correlationId", "corr \"1\"")
                        .add("partitionKey", "key,{1}")
                        .add("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
                        .build(),
                OffsetDateTime.parse("2026-12-07T08:00:00.123456+01:00"));
        PublishReceipt oddReceipt =
                new PublishReceipt(odd, OffsetDateTime.parse("2026-12-07T07:00:00.654321Z"), "rcpt-odd");
        try (Connection c = store.ds.getConnection()) {
            c.setAutoCommit(false);
            Set<String> stored = EventInsert.insert(
                    c,
                    List.of(
                            new Entry(event(plain, "p"), receipt(plain, "rcpt-plain")),
                            new Entry(withMetadata, oddReceipt)));
            c.commit();
            assertEquals(Set.of(plain, odd), stored);
        }

        assertEquals(
                List.of(
                        "user.created|user-service|key,{1}|corr \"1\"|00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
                                + "|" + withMetadata.contentHash() + "|rcpt-odd|2026-12-07 07:00:00.654321"
                                + "|2026-12-07 07:00:00.123456"),
                strings(
                        "select concat_ws('|', event_type, source, partition_key, correlation_id, traceparent,"
                                + " content_hash, receipt,"
                                + " to_char(accepted_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US'),"
                                + " to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US'))"
                                + " from eb_event where id = ?",
                        odd));
        assertEquals(
                List.of(withMetadata.toJson().toString()), strings("select payload from eb_event where id = ?", odd));
        assertEquals(
                List.of("null|null|null"),
                strings(
                        "select concat_ws('|', coalesce(partition_key, 'null'), coalesce(correlation_id, 'null'),"
                                + " coalesce(traceparent, 'null')) from eb_event where id = ?",
                        plain));
        assertEquals(
                List.of(plain, odd),
                strings("select event_id from eb_outbox where event_id in (?, ?) order by seq", plain, odd));
    }
}
