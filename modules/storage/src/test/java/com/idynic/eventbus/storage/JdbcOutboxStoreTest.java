package com.idynic.eventbus.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.idynic.eventbus.broker.OutboxRelay;
import com.idynic.eventbus.broker.spi.EventSink;
import com.idynic.eventbus.broker.spi.OutboxEntry;
import com.idynic.eventbus.broker.spi.Refused;
import com.idynic.eventbus.broker.spi.RelayOutcome;
import com.idynic.eventbus.broker.spi.Relayed;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import jakarta.json.Json;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
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

    /** @return the first column of every row, as text, in the query's order */
    static List<String> strings(String sql, Object... params) {
        try (Connection c = ds.getConnection();
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

    /** Stores an event whose payload is a little over {@code dataChars} bytes, with its outbox row. */
    static String outboxed(int dataChars) {
        return outboxed(dataChars, null);
    }

    /** As {@link #outboxed(int)}, with an ordering key (null: none). */
    static String outboxed(int dataChars, String key) {
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
                "insert into eb_event (id, event_type, source, occurred_at, partition_key, payload, content_hash,"
                        + " receipt, accepted_at) select ?, 'it.t', 'svc', now(), ?, ?, ?, ?, i.accepted_at"
                        + " from eb_event_id i where i.id = ?",
                id,
                key,
                payload,
                "0".repeat(64),
                "rcpt-" + id.substring(4, 12),
                id);
        sql("insert into eb_outbox (event_id) values (?)", id);
        return id;
    }

    /** @return the ids one pass hands to the sender; the sender acknowledges none, so the outbox stays */
    static List<String> handedOver(int max, long maxBytes) {
        List<OutboxEntry> batch = store.claim(max, maxBytes);
        store.record(batch, RelayOutcome.NONE);
        return batch.stream().map(OutboxEntry::eventId).toList();
    }

    /** Runs one pass that relays the first row of the batch and refuses the second with {@code reason}. */
    static int relayFirstRefuseSecond(String reason) {
        List<OutboxEntry> batch = store.claim(500, 1 << 20);
        return store.record(
                batch,
                new RelayOutcome(
                        List.of(new Relayed(batch.get(0).seq(), batch.get(0).eventId(), "idynic.events", 0, 41)),
                        List.of(new Refused(batch.get(1).seq(), batch.get(1).eventId(), reason))));
    }

    /** @return a relayer of its own, as a second server on the same database would have; it rebalances every pass */
    static JdbcOutboxStore relayer() {
        JdbcOutboxStore other = new JdbcOutboxStore(new RelayLanes(0, System::nanoTime));
        other.ds = ds;
        return other;
    }

    /** @return the outcome of acknowledging every row of {@code batch} at Kafka offset {@code offset} */
    static RelayOutcome relayedAt(List<OutboxEntry> batch, long offset) {
        return new RelayOutcome(
                batch.stream()
                        .map(e -> new Relayed(e.seq(), e.eventId(), "idynic.events", 0, offset))
                        .toList(),
                List.of());
    }

    /** Ends the session that holds relay lane 0, as a lost connection or a crashed server does. */
    static void loseTheLanesConnection() {
        assertEquals(
                List.of("t"),
                strings("select pg_terminate_backend(pid, 10000) from pg_locks where locktype = 'advisory' and"
                        + " granted and objsubid = 2 and classid::bigint = " + RelayLanes.LANE_CLASS
                        + " and objid = 0"));
    }

    /** @return the ids of {@code batch} */
    static List<String> ids(List<OutboxEntry> batch) {
        return batch.stream().map(OutboxEntry::eventId).toList();
    }

    @AfterEach
    void giveTheLaneUp() {
        store.close();
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

    /**
     * The relay reads each event from its own day partition only (found through its id row's acceptance time),
     * never by probing every day's index for its id.
     */
    @Test
    void aPassReadsEachEventFromItsOwnDayPartitionOnly() {
        sql("delete from eb_outbox");
        String prefix = "evt-days-" + UUID.randomUUID();
        sql(
                "insert into eb_event_id (id, accepted_at) select ? || g, now() + (g % 4) * interval '1 day'"
                        + " from generate_series(1, 8000) g",
                prefix);
        sql(
                "insert into eb_event (id, event_type, source, occurred_at, payload, content_hash, receipt,"
                        + " accepted_at) select i.id, 'it.t', 'svc', now(), '{}', repeat('0', 64), 'rcpt',"
                        + " i.accepted_at from eb_event_id i where i.id like ? || '%'",
                prefix);
        sql(
                "insert into eb_outbox (event_id) select id from eb_event_id where id like ? || '%' order by random()"
                        + " limit 4000",
                prefix);
        sql("analyze");

        String plan = String.join(
                "\n",
                strings("explain (analyze, format json) "
                        + JdbcOutboxStore.NEXT_BATCH
                                .replace("limit ?", "limit 500")
                                .replace("< ?", "< 16777216")));
        long probes = partitionLoops(Json.createReader(new java.io.StringReader(plan))
                .readArray()
                .getJsonObject(0)
                .getJsonObject("Plan"));

        assertTrue(
                probes <= 501,
                probes + " event partition scans for 500 events (one per event and day: 2,000)," + " plan: " + plan);
    }

    /**
     * A relay pass reads only the events of the rows it takes, even with a plan made when the tables were empty: a
     * prepared statement's generic plan is kept until statistics change, and on a fresh database (or a new day
     * partition) the first ones are made before autovacuum has analyzed anything. As a plain join that plan
     * hash-joined a sequential scan of every stored event to the outbox.
     */
    @Test
    void aPassPlannedWhileTheTablesWereEmptyReadsOnlyTheEventsItTakes() throws SQLException {
        jakarta.json.JsonObject plan = planMadeWhileEmpty(
                "prepare pass(int, bigint) as "
                        + JdbcOutboxStore.NEXT_BATCH
                                .replace("limit ?", "limit $1")
                                .replace("< ?", "< $2"),
                "execute pass(500, 16777216)");

        assertEquals(100, plan.getJsonNumber("Actual Rows").longValue(), plan.toString());
        long read = eventRowsRead(plan);
        assertTrue(read <= 200, read + " event and id rows read for 100 outbox rows, plan: " + plan);
    }

    /**
     * Prepares a statement in a fresh, empty database and runs it once as a generic plan (the plan a prepared
     * statement keeps until statistics change; on a fresh database, or a new day partition, the first are made
     * before autovacuum has analyzed anything); then stores 8,000 events, the first 100 in the outbox, and runs it
     * again with {@code explain analyze}.
     *
     * @return the root node of the second run's plan
     */
    static jakarta.json.JsonObject planMadeWhileEmpty(String prepare, String execute) throws SQLException {
        String db = "plan_" + UUID.randomUUID().toString().replace("-", "");
        sql("create database " + db);
        try {
            DataSource fresh = postgres.getDatabase("postgres", db);
            Database database = new Database();
            database.ds = fresh;
            database.migrate();
            try (Connection c = fresh.getConnection();
                    java.sql.Statement st = c.createStatement()) {
                List<String> tables = new ArrayList<>(List.of("eb_event_id", "eb_outbox"));
                try (ResultSet rs = st.executeQuery(
                        "select inhrelid::regclass::text from pg_inherits where inhparent = 'eb_event'::regclass")) {
                    while (rs.next()) {
                        tables.add(rs.getString(1));
                    }
                }
                for (String t : tables) {
                    // nothing analyzes them meanwhile (which would make a new plan)
                    st.execute("alter table " + t + " set (autovacuum_enabled = false)");
                }
                st.execute("set plan_cache_mode = force_generic_plan");
                st.execute(prepare);
                st.execute(execute);
                st.execute("insert into eb_event_id (id, accepted_at) select 'evt-' || g, now()"
                        + " from generate_series(1, 8000) g");
                st.execute("insert into eb_event (id, event_type, source, occurred_at, payload, content_hash,"
                        + " receipt, accepted_at) select i.id, 'it.t', 'svc', now(), '{}', repeat('0', 64), 'rcpt',"
                        + " i.accepted_at from eb_event_id i");
                st.execute("insert into eb_outbox (event_id) select 'evt-' || g from generate_series(1, 100) g");
                try (ResultSet rs = st.executeQuery("explain (analyze, format json) " + execute)) {
                    rs.next();
                    return Json.createReader(new java.io.StringReader(rs.getString(1)))
                            .readArray()
                            .getJsonObject(0)
                            .getJsonObject("Plan");
                }
            }
        } finally {
            sql("drop database " + db + " with (force)");
        }
    }

    /** @return the rows the plan's scans of the event and event id tables returned, over all their loops */
    static long eventRowsRead(jakarta.json.JsonObject plan) {
        return sum(
                plan,
                rel -> rel.equals("eb_event_id") || rel.startsWith("eb_event_p") || rel.equals("eb_event_default"),
                n -> n.getJsonNumber("Actual Rows").longValue()
                        * n.getJsonNumber("Actual Loops").longValue());
    }

    /** @return how often the plan scanned a partition of the event table */
    static long partitionLoops(jakarta.json.JsonObject plan) {
        return sum(plan, rel -> rel.startsWith("eb_event_p"), n -> n.getJsonNumber("Actual Loops")
                .longValue());
    }

    /** @return the value of every node of the plan that scans a relation the test accepts, added up */
    static long sum(
            jakarta.json.JsonObject node,
            java.util.function.Predicate<String> relation,
            java.util.function.ToLongFunction<jakarta.json.JsonObject> value) {
        long n = relation.test(node.getString("Relation Name", "")) ? value.applyAsLong(node) : 0;
        if (node.containsKey("Plans")) {
            for (var child : node.getJsonArray("Plans")) {
                n += sum(child.asJsonObject(), relation, value);
            }
        }
        return n;
    }

    @Test
    void aPassMovesTheRowsTheSinkRefusedForGoodAsideWithTheirReasonAndRemovesTheRelayedOnes() {
        sql("delete from eb_outbox");
        String relayed = outboxed(10);
        String refused = outboxed(10);
        String later = outboxed(10);

        assertEquals(2, relayFirstRefuseSecond("record too large"));

        assertEquals(List.of(later), strings("select event_id from eb_outbox order by seq"));
        assertEquals(
                List.of("record too large"),
                strings("select reason from eb_outbox_refused where event_id = ?", refused));
        assertEquals(List.of(), strings("select reason from eb_outbox_refused where event_id = ?", relayed));
        assertEquals(List.of("41"), strings("select kafka_offset from eb_event_id where id = ?", relayed));
        assertEquals(List.of(later), handedOver(500, 1 << 20), "the next pass starts after the refused row");
    }

    @Test
    void anEventQueuedAgainAndRefusedAgainKeepsOneRefusedRowWithTheLatestReason() {
        sql("delete from eb_outbox");
        outboxed(10);
        String refused = outboxed(10);
        relayFirstRefuseSecond("too large for 1048588");
        sql("delete from eb_outbox");
        outboxed(10);
        sql("insert into eb_outbox (event_id) values (?)", refused);

        relayFirstRefuseSecond("too large for 3211264");

        assertEquals(
                List.of("too large for 3211264"),
                strings("select reason from eb_outbox_refused where event_id = ?", refused));
    }

    @Test
    void noDatabaseTransactionIsOpenWhileTheRelayWaitsForKafka() {
        sql("delete from eb_outbox");
        String id = outboxed(10);
        List<String> seenDuringTheSend = new ArrayList<>();
        EventSink sink = () -> new EventSink.Pass() {
            @Override
            public CompletableFuture<Relayed> send(OutboxEntry e) {
                seenDuringTheSend.addAll(
                        strings("select count(*) from pg_locks where locktype = 'advisory' and granted"));
                seenDuringTheSend.addAll(strings("select count(*) from pg_stat_activity where datname ="
                        + " current_database() and pid <> pg_backend_pid() and xact_start is not null"));
                return CompletableFuture.completedFuture(new Relayed(e.seq(), e.eventId(), "idynic.events", 0, 5));
            }

            @Override
            public void abandon() {
                throw new AssertionError("every row was acknowledged");
            }
        };
        OutboxRelay relay = new OutboxRelay(store, sink, 500, 1 << 20, Duration.ofSeconds(5), r -> {});

        assertEquals(1, relay.relayBatch());

        assertEquals(
                List.of("9", "0"),
                seenDuringTheSend,
                "the member lock and the 8 lanes are held, yet no session is in a transaction");
        assertEquals(List.of("5"), strings("select kafka_offset from eb_event_id where id = ?", id));
    }

    @Test
    void twoRelayersShareTheLanesAndEveryKeyGoesThroughExactlyOneOfThem() {
        sql("delete from eb_outbox");
        Map<String, String> keyOf = new HashMap<>();
        for (int i = 0; i < 64; i++) {
            String key = "k" + (i % 16);
            keyOf.put(outboxed(10, key), key);
        }
        JdbcOutboxStore first = relayer();
        JdbcOutboxStore second = relayer();
        assertEquals(64, first.claim(500, 1 << 20).size(), "alone, the first relays every lane");
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7), first.lanes());

        assertEquals(List.of(), second.claim(500, 1 << 20), "every lane is taken when the second joins");
        List<String> fromFirst = ids(first.claim(500, 1 << 20));
        List<String> fromSecond = ids(second.claim(500, 1 << 20));

        assertEquals(List.of(0, 1, 2, 3), first.lanes(), "the first gave the lanes above its share up");
        assertEquals(List.of(4, 5, 6, 7), second.lanes(), "and the second took them");
        Set<String> all = new HashSet<>(fromFirst);
        all.addAll(fromSecond);
        assertEquals(keyOf.keySet(), all, "together they relay every row");
        assertEquals(64, fromFirst.size() + fromSecond.size(), "and no row twice");
        Set<String> firstKeys = new HashSet<>();
        fromFirst.forEach(id -> firstKeys.add(keyOf.get(id)));
        Set<String> secondKeys = new HashSet<>();
        fromSecond.forEach(id -> secondKeys.add(keyOf.get(id)));
        assertEquals(Set.of(), intersection(firstKeys, secondKeys), "one key's events go through one relayer");
        assertEquals(16, firstKeys.size() + secondKeys.size());
        first.close();
        second.close();
    }

    @Test
    void whenARelayerDiesTheOtherTakesItsLanesAtItsNextPassWithNothingLost() {
        sql("delete from eb_outbox");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            ids.add(outboxed(10, "k" + i));
        }
        JdbcOutboxStore first = relayer();
        JdbcOutboxStore second = relayer();
        first.claim(500, 1 << 20);
        second.claim(500, 1 << 20);
        List<OutboxEntry> held = first.claim(500, 1 << 20);
        assertEquals(List.of(0, 1, 2, 3), first.lanes());

        loseTheLanesConnection();
        assertThrows(RuntimeException.class, () -> first.record(held, relayedAt(held, 41)));
        List<OutboxEntry> taken = second.claim(500, 1 << 20);

        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7), second.lanes(), "alone again, the second relays every lane");
        assertEquals(new HashSet<>(ids), new HashSet<>(ids(taken)), "including the rows the dead one held");
        assertEquals(32, second.record(taken, relayedAt(taken, 7)));
        assertEquals(List.of("0"), strings("select count(*) from eb_outbox"));
        second.close();
        first.close();
    }

    static Set<String> intersection(Set<String> a, Set<String> b) {
        Set<String> both = new HashSet<>(a);
        both.retainAll(b);
        return both;
    }

    @Test
    void aRelayerThatLostItsLaneRecordsNothingAndTakesTheLaneAgainOnceItIsFree() {
        sql("delete from eb_outbox");
        String id = outboxed(10);
        JdbcOutboxStore first = relayer();
        JdbcOutboxStore second = relayer();
        List<OutboxEntry> firstBatch = first.claim(500, 1 << 20);
        loseTheLanesConnection();
        List<OutboxEntry> secondBatch = second.claim(500, 1 << 20);
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7), second.lanes());

        assertThrows(RuntimeException.class, () -> first.record(firstBatch, relayedAt(firstBatch, 41)));
        assertEquals(List.of(id), strings("select event_id from eb_outbox"), "the lost relayer deleted nothing");
        assertEquals(1, second.record(secondBatch, relayedAt(secondBatch, 7)));
        assertEquals(List.of("7"), strings("select kafka_offset from eb_event_id where id = ?", id));

        second.close();
        String later = outboxed(10);
        assertEquals(
                List.of(later),
                first.claim(500, 1 << 20).stream().map(OutboxEntry::eventId).toList());
        first.close();
    }
}
