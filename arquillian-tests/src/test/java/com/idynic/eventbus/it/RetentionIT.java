package com.idynic.eventbus.it;

import static com.idynic.eventbus.it.Stack.await;
import static com.idynic.eventbus.it.Stack.count;
import static com.idynic.eventbus.it.Stack.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Retention removes exactly what its policies say and never an event still owed: one in the outbox, or
 * with a pending, retrying or dead-lettered delivery, or parked behind a dead letter; a day's drop rolls
 * back when one of its events becomes owed while it runs; a count limit keeps the newest events; the
 * Kafka topic keeps as long as the longest policy. Each run here is started so that no other run (the
 * 5-minute schedule) sees its data first, which makes its counts exact.
 */
class RetentionIT {
    static final Duration DEFAULT_MAX_AGE = Duration.ofDays(7);
    static final ConfigResource TOPIC = new ConfigResource(ConfigResource.Type.TOPIC, KafkaProbe.TOPIC);

    @BeforeAll
    static void ready() {
        Stack.awaitReady();
    }

    static boolean stored(String id) {
        return count("select count(*) from eb_event where id = ?", id) == 1;
    }

    /** Test data a run must see, written in the transaction that starts the run. */
    interface Setup {
        void write(Connection c) throws SQLException;
    }

    /**
     * Starts a run that is the only one to see what {@code setup} writes. Every run reads the policies first,
     * and they stay locked from before the writes until the run is started and the writes committed; when
     * another run is running (the schedule's) the start answers 409, the writes are rolled back unseen and
     * are made again once that run ended.
     *
     * @return the href of the run
     */
    static String startAlone(Setup setup) throws SQLException {
        while (true) {
            RetentionJobIT.awaitIdle();
            try (Connection c = Stack.db()) {
                c.setAutoCommit(false);
                RetentionJobIT.exec(c, "lock table eb_retention_policy in access exclusive mode");
                setup.write(c);
                HttpResponse<String> r = Stack.postJson("/v1/retention/run", "{}");
                if (r.statusCode() == 202) {
                    c.commit();
                    return json(r).getString("href");
                }
                assertEquals(409, r.statusCode(), r.body());
                c.rollback();
            }
        }
    }

    static void putPolicy(String type, String body) {
        HttpResponse<String> r =
                Stack.send(HttpRequest.newBuilder(URI.create(Stack.baseUrl() + "/v1/retention/" + type))
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(body)));
        assertEquals(200, r.statusCode(), r.body());
    }

    static long removed(JsonObject run, String key) {
        return run.getJsonObject("removed").getJsonNumber(key).longValue();
    }

    /** @return the ids the query selects, in its order */
    static List<String> ids(String sql, String param) {
        try (Connection c = Stack.db();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, param);
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

    /** Writes an event straight into the day partition of {@code acceptedAt} (history the API cannot backdate). */
    static void oldEvent(Connection c, String id, String type, OffsetDateTime acceptedAt) throws SQLException {
        RetentionJobIT.exec(c, "insert into eb_event_id (id, accepted_at) values (?, ?)", id, acceptedAt);
        RetentionJobIT.exec(
                c,
                "insert into eb_event (id, event_type, source, occurred_at, payload, content_hash, receipt,"
                        + " accepted_at) values (?, ?, 'retention-it', ?, ?, repeat('0', 64), 'rcpt-old', ?)",
                id,
                type,
                acceptedAt,
                "{\"id\":\"" + id + "\",\"eventType\":\"" + type + "\",\"source\":\"retention-it\",\"data\":{}}",
                acceptedAt);
    }

    /**
     * Moves the acceptance time of every stored event of {@code type} back by {@code by}, with its delivery history
     * and attempt records (partitioned on it).
     */
    static void age(Connection c, String type, Duration by) throws SQLException {
        String interval = by.toSeconds() + " seconds";
        RetentionJobIT.exec(
                c,
                "update eb_event_id set accepted_at = accepted_at - ?::interval"
                        + " where id in (select id from eb_event where event_type = ?)",
                interval,
                type);
        RetentionJobIT.exec(
                c, "update eb_event set accepted_at = accepted_at - ?::interval where event_type = ?", interval, type);
        for (String table : List.of("eb_delivery_history", "eb_delivery_attempt")) {
            RetentionJobIT.exec(
                    c,
                    "update " + table + " set accepted_at = accepted_at - ?::interval"
                            + " where event_id in (select id from eb_event where event_type = ?)",
                    interval,
                    type);
        }
    }

    static boolean partitionExists(LocalDate day) {
        return count(
                        "select count(*) from pg_class where relname = ?",
                        "eb_event_p" + day.format(DateTimeFormatter.BASIC_ISO_DATE))
                == 1;
    }

    /** Creates the day's partition unless it exists (a run drops an old day's partition while it is empty). */
    static void preparePartition(Connection c, LocalDate day) throws SQLException {
        RetentionJobIT.exec(c, "select eb_event_partition(?::date)", day.toString());
        try (PreparedStatement ps = c.prepareStatement("select to_regclass(?) is not null")) {
            ps.setString(1, "eb_event_p" + day.format(DateTimeFormatter.BASIC_ISO_DATE));
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next() && rs.getBoolean(1), "the partition of " + day);
            }
        }
    }

    /** @return how many of the event's delivery rows match {@code condition} (on {@code d}) */
    static long deliveries(String eventId, String condition) {
        return count("select count(*) from eb_delivery d where d.event_id = ? and " + condition, eventId);
    }

    static String pullSpec(String type, String to, String ordering) {
        return "{\"eventTypes\":[\"" + type + "\"],\"filter\":{\"data\":{\"/to\":\"" + to + "\"}},"
                + "\"target\":{\"type\":\"pull\"},\"ordering\":\"" + ordering + "\","
                + "\"retryPolicy\":{\"initialDelayMillis\":3600000,\"maxAttempts\":5}}";
    }

    static String to(String subscription) {
        return "{\"to\":\"" + subscription + "\"}";
    }

    static String eventIds(String id) {
        return "{\"eventIds\":[\"" + id + "\"]";
    }

    static void awaitPending(String sub, String... eventIds) {
        for (String id : eventIds) {
            await(Duration.ofSeconds(30), id + " queued for " + sub, () -> Subscriptions.state(id, sub)
                    .equals("PENDING"));
        }
    }

    /** @return every event pulled until all of {@code wanted} were, in the order they were handed out */
    static List<String> pullUntil(String sub, Set<String> wanted) {
        List<String> got = new ArrayList<>();
        await(Duration.ofSeconds(30), wanted + " pulled from " + sub, () -> {
            PullIT.pull(sub, 1000, 60_000).forEach(d -> got.add(PullIT.id(d)));
            return got.containsAll(wanted);
        });
        return got;
    }

    @Test
    void expiredEventsGoButOnesInTheOutboxPendingRetryingOrParkedStayAndOtherTypesFollowTheDefault() throws Exception {
        assumeTrue(Stack.env().get("DEVSTACK_CONTROL") != null);
        String type = WebhookIT.unique("it.retain.t");
        String otherType = WebhookIT.unique("it.keep.t");
        putPolicy(type, "{\"maxAgeSeconds\":3600}");
        String paused = WebhookIT.unique("retain-paused-");
        String puller = WebhookIT.unique("retain-pull-");
        String ordered = WebhookIT.unique("retain-ordered-");
        Subscriptions.create(paused, pullSpec(type, "paused", "unordered"));
        Subscriptions.create(puller, pullSpec(type, "puller", "unordered"));
        Subscriptions.create(ordered, pullSpec(type, "ordered", "ordered"));
        assertEquals(
                200,
                Stack.post("/v1/subscriptions/" + paused + "/pause", null, "").statusCode());

        String unwanted1 = Subscriptions.publish(type, null, to("nobody"));
        String unwanted2 = Subscriptions.publish(type, null, to("nobody"));
        String pending = Subscriptions.publish(type, null, to("paused"));
        String retrying = Subscriptions.publish(type, null, to("puller"));
        String delivered = Subscriptions.publish(type, null, to("puller"));
        String head = Subscriptions.publish(type, "A", to("ordered"));
        String parked = Subscriptions.publish(type, "A", to("ordered"));
        String other = Subscriptions.publish(otherType, null, "{}");

        awaitPending(paused, pending);
        assertEquals(Set.of(retrying, delivered), Set.copyOf(pullUntil(puller, Set.of(retrying, delivered))));
        assertEquals(1, PullIT.settle(puller, "ack", eventIds(delivered) + "}"));
        assertEquals(1, PullIT.settle(puller, "nack", eventIds(retrying) + ",\"reason\":\"busy\"}"));
        awaitPending(ordered, head, parked);
        assertEquals(
                List.of(head, parked),
                pullUntil(ordered, Set.of(head)),
                "an ordered pull hands out the key's run; rejecting the head parks the rest behind it");
        assertEquals(1, PullIT.settle(ordered, "nack", eventIds(head) + ",\"reject\":true,\"reason\":\"poison\"}"));
        String parkedLater = Subscriptions.publish(type, "A", to("ordered"));
        awaitPending(ordered, parkedLater);
        List<String> published =
                List.of(unwanted1, unwanted2, pending, retrying, delivered, head, parked, parkedLater, other);
        await(Duration.ofSeconds(30), "all relayed", () -> published.stream()
                .allMatch(id -> count("select count(*) from eb_outbox where event_id = ?", id) == 0));

        assertEquals(1, deliveries(pending, "d.state = 'PENDING' and d.attempts = 0 and d.leased_at is null"));
        assertEquals(
                1,
                deliveries(
                        retrying,
                        "d.state = 'PENDING' and d.attempts = 1 and d.available_at > now() + interval '30 minutes'"),
                "nacked: retried in about an hour");
        assertEquals(1, deliveries(head, "d.state = 'DEAD' and d.dead_group = d.id"), "the head is a dead letter");
        assertEquals(1, deliveries(parked, "d.state = 'DEAD' and d.dead_group <> d.id"), "parked behind the head");
        assertEquals(1, deliveries(parkedLater, "d.state = 'PENDING' and d.attempts = 0"), "parked behind the head");
        assertEquals(
                1,
                count(
                        "select count(*) from " + Stack.DELIVERIES + " where event_id = ? and state = 'DELIVERED'",
                        delivered),
                "delivered, in the queue or already in the history");
        LocalDate agedDay = OffsetDateTime.now(ZoneOffset.UTC).minusHours(3).toLocalDate();
        long removedBefore =
                json(Stack.get("/v1/retention")).getJsonNumber("removedTotal").longValue();

        String inOutbox;
        JsonObject run;
        Stack.stopKafka();
        try {
            inOutbox = Subscriptions.publish(type, null, to("nobody"));
            assertEquals(
                    1, count("select count(*) from eb_outbox where event_id = ?", inOutbox), "waits in the outbox");
            run = RetentionJobIT.awaitEnd(startAlone(c -> {
                preparePartition(c, agedDay);
                age(c, type, Duration.ofHours(2));
                age(c, otherType, Duration.ofHours(2));
            }));
            assertEquals(1, count("select count(*) from eb_outbox where event_id = ?", inOutbox), "still waits");
        } finally {
            Stack.control("kafka", "start");
            await(Duration.ofSeconds(60), "readiness reports Kafka UP", () -> OutageIT.readiness("kafka")
                    .equals("UP"));
        }

        assertEquals("done", run.getString("state"), run.toString());
        assertEquals(3, removed(run, type), "the two nobody wanted and the delivered one: " + run);
        assertEquals(
                Set.of(pending, retrying, head, parked, parkedLater, inOutbox),
                Set.copyOf(ids("select id from eb_event where event_type = ?", type)),
                "every owed event stays");
        for (String gone : List.of(unwanted1, unwanted2, delivered)) {
            assertEquals(0, count("select count(*) from eb_event_id where id = ?", gone), gone);
            assertEquals(404, Stack.get("/v1/events/" + gone).statusCode(), gone);
        }
        assertEquals(
                0,
                count("select count(*) from " + Stack.DELIVERIES + " where event_id = ?", delivered),
                "finished: gone");
        assertEquals(
                0, count("select count(*) from eb_delivery_attempt where event_id = ?", delivered), "its attempts too");
        assertEquals(200, Stack.get("/v1/events/" + pending).statusCode());
        assertEquals("PENDING", Subscriptions.state(pending, paused));
        assertEquals("PENDING", Subscriptions.state(retrying, puller));
        assertEquals("PENDING", Subscriptions.state(parkedLater, ordered));
        assertEquals(List.of(head, parked), Subscriptions.deadLetterIds(ordered));
        assertTrue(stored(other), "other types follow the 7-day default");

        JsonObject status = json(Stack.get("/v1/retention"));
        assertEquals(
                DEFAULT_MAX_AGE.toSeconds(),
                status.getJsonNumber("defaultMaxAgeSeconds").longValue());
        await(
                Duration.ofSeconds(10),
                "removedTotal counts the run",
                () -> json(Stack.get("/v1/retention"))
                                .getJsonNumber("removedTotal")
                                .longValue()
                        >= removedBefore + 3);
    }

    /** @return the query of the session that waits for a lock {@code pid} holds, or null */
    static String blockedBy(int pid) {
        try (Connection c = Stack.db();
                PreparedStatement ps =
                        c.prepareStatement("select query from pg_stat_activity where ? = any(pg_blocking_pids(pid))")) {
            ps.setInt(1, pid);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean running(String href) {
        return json(Stack.get(href)).getString("state").equals("running");
    }

    @Test
    void aDayBeingDroppedStaysWholeWhenOneOfItsEventsBecomesOwedMeanwhile() throws Exception {
        LocalDate day = LocalDate.now(ZoneOffset.UTC).minusDays(43);
        for (int attempt = 1; ; attempt++) {
            // each attempt its own type, so what an earlier attempt left behind is not counted under it
            String type = WebhookIT.unique("it.race.t");
            putPolicy(type, "{\"maxAgeSeconds\":" + DEFAULT_MAX_AGE.toSeconds() + "}");
            String sub = WebhookIT.unique("race-");
            Subscriptions.create(
                    sub,
                    "{\"eventTypes\":[\"" + type + "\"],\"target\":{\"type\":\"pull\"},\"ordering\":\"unordered\"}");
            String owed = WebhookIT.unique("evt-race-owed-");
            String free = WebhookIT.unique("evt-race-free-");
            RetentionJobIT.awaitIdle();
            try (Connection c = Stack.db()) {
                c.setAutoCommit(false);
                preparePartition(c, day);
                oldEvent(c, owed, type, day.atTime(10, 0).atOffset(ZoneOffset.UTC));
                oldEvent(c, free, type, day.atTime(11, 0).atOffset(ZoneOffset.UTC));
                c.commit();
            }
            try (Connection replay = Stack.db()) {
                replay.setAutoCommit(false);
                // a delivery row for one of the day's events, as a replay writes it, not committed when the run starts
                int pid;
                int queued;
                try (PreparedStatement ps = replay.prepareStatement("select pg_backend_pid()");
                        ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    pid = rs.getInt(1);
                }
                try (PreparedStatement ps =
                        replay.prepareStatement("insert into eb_delivery (subscription_id, event_id, state, event_seq)"
                                + " select ?, id, 'PENDING', seq from eb_event where id = ?")) {
                    ps.setString(1, sub);
                    ps.setString(2, owed);
                    queued = ps.executeUpdate();
                }
                HttpResponse<String> started = queued == 1 ? Stack.postJson("/v1/retention/run", "{}") : null;
                if (started == null || started.statusCode() != 202) {
                    // a run started by the schedule came first and may have taken the day: again with new events
                    replay.rollback();
                    assertTrue(attempt < 3, "no run of our own after 3 attempts: " + queued + ", " + started);
                    continue;
                }
                String href = json(started).getString("href");
                String[] blocked = new String[1];
                await(Duration.ofSeconds(60), "the run waits for the new delivery or ends", () -> {
                    blocked[0] = blockedBy(pid);
                    return blocked[0] != null || !running(href);
                });
                replay.commit();
                assertTrue(
                        blocked[0] != null && blocked[0].startsWith("with doomed as"),
                        "the day's drop (releasing its ids) was under way when the event became owed: " + blocked[0]);

                JsonObject run = RetentionJobIT.awaitEnd(href);
                assertEquals("done", run.getString("state"), run.toString());
                assertTrue(partitionExists(day), "the drop rolled back: the day stays");
                assertTrue(stored(owed), "the event that became owed stays");
                assertEquals(1, count("select count(*) from eb_event_id where id = ?", owed));
                assertEquals(1, deliveries(owed, "d.state = 'PENDING'"), "and so does its delivery");
                assertFalse(stored(free), "the day's other event went in a batch");
                assertEquals(
                        1, removed(run, type), "the batch's one; nothing counted for the rolled-back drop: " + run);
                return;
            }
        }
    }

    @Test
    void aCountLimitKeepsExactlyTheNewestEventsByAcceptanceTimeThenSequence() throws Exception {
        String type = WebhookIT.unique("it.count.t");
        // a day's age: every event here is well within it, so only the count decides
        putPolicy(type, "{\"maxAgeSeconds\":86400,\"maxCount\":4}");
        OffsetDateTime t0 = OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(30).truncatedTo(ChronoUnit.MILLIS);
        OffsetDateTime t1 = t0.plusMinutes(10);
        OffsetDateTime t2 = t0.plusMinutes(20);
        String p = type + "-";
        // inserted (so sequenced) newest time first, and at t1 neither in id nor in reverse id order: sequence
        // alone, or time then id, would keep other events than time then sequence does
        List<String> inserted = List.of(
                p + "t2-x",
                p + "t2-y",
                p + "t1-b",
                p + "t1-c",
                p + "t1-a",
                p + "t0-1",
                p + "t0-2",
                p + "t0-3",
                p + "t0-4");
        List<OffsetDateTime> acceptedAt = List.of(t2, t2, t1, t1, t1, t0, t0, t0, t0);

        JsonObject run = RetentionJobIT.awaitEnd(startAlone(c -> {
            preparePartition(c, t0.toLocalDate());
            preparePartition(c, t2.toLocalDate());
            for (int i = 0; i < inserted.size(); i++) {
                oldEvent(c, inserted.get(i), type, acceptedAt.get(i));
            }
        }));

        assertEquals("done", run.getString("state"), run.toString());
        assertEquals(5, removed(run, type), run.toString());
        assertEquals(
                List.of(p + "t2-y", p + "t2-x", p + "t1-a", p + "t1-c"),
                ids("select id from eb_event where event_type = ? order by accepted_at desc, seq desc", type),
                "the newest four: by acceptance time, then by sequence");
        assertEquals(
                4, count("select count(*) from eb_event_id where id like ? || '%'", p), "the others' ids are free");
    }

    static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, Stack.kafkaBootstrap()));
    }

    static void setTopicRetention(Admin admin, Duration retention) throws Exception {
        AlterConfigOp set = new AlterConfigOp(
                new ConfigEntry("retention.ms", String.valueOf(retention.toMillis())), AlterConfigOp.OpType.SET);
        admin.incrementalAlterConfigs(Map.of(TOPIC, List.of(set))).all().get(30, TimeUnit.SECONDS);
    }

    static long topicRetentionMs(Admin admin) {
        try {
            return Long.parseLong(admin.describeConfigs(List.of(TOPIC))
                    .all()
                    .get(30, TimeUnit.SECONDS)
                    .get(TOPIC)
                    .get("retention.ms")
                    .value());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void wholeDaysPastTheLongestAgeAreDroppedUnlessTheyHoldADeadLetterAndKafkaKeepsThatAge() throws Exception {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        LocalDate expired = today.minusDays(40);
        LocalDate owed = today.minusDays(41);
        String type = WebhookIT.unique("it.old.t");
        // as long as the default, so the longest age stays 7 days and what goes is counted under this type
        putPolicy(type, "{\"maxAgeSeconds\":" + DEFAULT_MAX_AGE.toSeconds() + "}");
        String a1 = WebhookIT.unique("evt-old-a-");
        String a2 = WebhookIT.unique("evt-old-a-");
        String b1 = WebhookIT.unique("evt-old-b-");
        String sub = WebhookIT.unique("old-dead-");
        Subscriptions.create(
                sub, "{\"eventTypes\":[\"" + type + "\"],\"target\":{\"type\":\"pull\"},\"ordering\":\"unordered\"}");

        try (Admin admin = admin()) {
            setTopicRetention(admin, DEFAULT_MAX_AGE.plusDays(1));
            JsonObject run = RetentionJobIT.awaitEnd(startAlone(c -> {
                preparePartition(c, expired);
                preparePartition(c, owed);
                oldEvent(c, a1, type, expired.atTime(10, 0).atOffset(ZoneOffset.UTC));
                oldEvent(c, a2, type, expired.atTime(23, 59).atOffset(ZoneOffset.UTC));
                oldEvent(c, b1, type, owed.atTime(12, 0).atOffset(ZoneOffset.UTC));
                RetentionJobIT.exec(
                        c,
                        "insert into eb_delivery (subscription_id, event_id, state, event_seq, dead_at)"
                                + " select ?, id, 'DEAD', seq, now() from eb_event where id = ?",
                        sub,
                        b1);
            }));

            assertEquals("done", run.getString("state"), run.toString());
            assertFalse(partitionExists(expired), "the expired day went as a whole");
            assertTrue(!stored(a1) && !stored(a2));
            assertEquals(0, count("select count(*) from eb_event_id where id = ?", a1), "its ids are free again");
            assertEquals(2, removed(run, type), run.toString());
            assertTrue(partitionExists(owed), "a day holding a dead letter stays");
            assertTrue(stored(b1));
            assertEquals(List.of(b1), Subscriptions.deadLetterIds(sub));
            assertTrue(partitionExists(today.plusDays(3)), "days ahead are prepared");
            await(
                    Duration.ofSeconds(15),
                    "the events topic keeps as long as the longest policy",
                    () -> topicRetentionMs(admin) == DEFAULT_MAX_AGE.toMillis());
        }
    }
}
