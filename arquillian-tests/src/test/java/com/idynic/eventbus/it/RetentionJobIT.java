package com.idynic.eventbus.it;

import static com.idynic.eventbus.it.Stack.await;
import static com.idynic.eventbus.it.Stack.count;
import static com.idynic.eventbus.it.Stack.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Retention runs in the background (the request answers before any work is done), one run at a time,
 * through 100,000 events in bounded batches, keeps what is owed, and reports a statement that ran into
 * its timeout as that, not as PostgreSQL being down. The test server's statement timeout is 5 s
 * ({@code EVENTBUS_RETENTION_STATEMENT_TIMEOUT} in this module's pom).
 */
class RetentionJobIT {
    static final int OLD = 100_000;
    static final int RECENT = 50;
    static final int MAX_COUNT = 30;

    @BeforeAll
    static void ready() {
        Stack.awaitReady();
    }

    /** Starts a run (once a run already running, if any, ended) and follows it to its end. */
    static JsonObject runToEnd() {
        return awaitEnd(start());
    }

    /** @return the href of a run this call started */
    static String start() {
        while (true) {
            HttpResponse<String> r = Stack.postJson("/v1/retention/run", "{}");
            if (r.statusCode() == 202) {
                return json(r).getString("href");
            }
            assertEquals(409, r.statusCode(), r.body());
            awaitEnd(json(r).getJsonObject("details").getString("href"));
        }
    }

    /** @return the run once it is no longer running */
    static JsonObject awaitEnd(String href) {
        JsonObject[] last = new JsonObject[1];
        await(Duration.ofMinutes(5), "retention run " + href + " ended", () -> {
            HttpResponse<String> r = Stack.get(href);
            assertEquals(200, r.statusCode(), r.body());
            last[0] = json(r);
            return !"running".equals(last[0].getString("state"));
        });
        return last[0];
    }

    /** Waits until no run is running (one started by the schedule, say). */
    static void awaitIdle() {
        JsonObject status = json(Stack.get("/v1/retention"));
        JsonObject last = status.getJsonObject("lastRun");
        if (last != null && "running".equals(last.getString("state"))) {
            awaitEnd(last.getString("href"));
        }
    }

    static void exec(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            ps.execute();
        }
    }

    /** Stores {@code n} events of {@code type}, ids {@code prefix000001}…, accepted 1 ms apart from {@code first}. */
    static void insertEvents(Connection c, String type, String prefix, OffsetDateTime first, int n)
            throws SQLException {
        exec(
                c,
                "insert into eb_event_id (id, accepted_at) select ? || lpad(g::text, 6, '0'),"
                        + " ?::timestamptz + g * interval '1 millisecond' from generate_series(1, ?) g",
                prefix,
                first,
                n);
        exec(
                c,
                "insert into eb_event (id, event_type, source, occurred_at, payload, content_hash, receipt,"
                        + " accepted_at) select i.id, ?, 'retention-it', i.t,"
                        + " '{\"id\":\"' || i.id || '\",\"eventType\":\"' || ?"
                        + " || '\",\"source\":\"retention-it\",\"data\":{}}', repeat('0', 64), 'rcpt-bulk', i.t"
                        + " from (select ? || lpad(g::text, 6, '0') id, ?::timestamptz + g * interval '1 millisecond' t"
                        + " from generate_series(1, ?) g) i",
                type,
                type,
                prefix,
                first,
                n);
    }

    @Test
    void aRunAnswersAtOnceRunsAloneThroughAHundredThousandEventsAndKeepsWhatIsOwed() throws Exception {
        String type = WebhookIT.unique("it.bulk.t");
        String sub = WebhookIT.unique("bulk-");
        Subscriptions.create(
                sub, "{\"eventTypes\":[\"" + type + "\"],\"target\":{\"type\":\"pull\"},\"ordering\":\"unordered\"}");
        OffsetDateTime old =
                LocalDate.now(ZoneOffset.UTC).minusDays(2).atTime(1, 0).atOffset(ZoneOffset.UTC);
        OffsetDateTime recent = OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(10);
        Stack.sql("select eb_event_partition(?::date)", old.toLocalDate().toString());
        Stack.sql("select eb_event_partition(?::date)", recent.toLocalDate().toString());
        String oldIds = type + "-old-";
        String owed = oldIds + "000001";
        awaitIdle();

        String href;
        try (Connection c = Stack.db()) {
            c.setAutoCommit(false);
            // every run reads the policies first: until this transaction ends, a started run can do nothing
            exec(c, "lock table eb_retention_policy in access exclusive mode");
            exec(
                    c,
                    "insert into eb_retention_policy (event_type, max_age_seconds, max_count) values (?, 86400, ?)",
                    type,
                    MAX_COUNT);
            insertEvents(c, type, oldIds, old, OLD);
            insertEvents(c, type, type + "-new-", recent, RECENT);
            exec(
                    c,
                    "insert into eb_delivery (subscription_id, event_id, state, event_seq)"
                            + " select ?, id, 'PENDING', seq from eb_event where id = ?",
                    sub,
                    owed);

            HttpResponse<String> first = Stack.postJson("/v1/retention/run", "{}");
            assertEquals(202, first.statusCode(), "the request does not wait for the work: " + first.body());
            JsonObject started = json(first);
            String id = started.getString("id");
            href = started.getString("href");
            assertTrue(id.startsWith("ret-"), id);
            assertEquals("running", started.getString("state"));
            assertEquals("/v1/retention/runs/" + id, href);
            assertTrue(
                    first.headers().firstValue("Location").orElse("").endsWith(href),
                    first.headers().toString());

            HttpResponse<String> second = Stack.postJson("/v1/retention/run", "{}");
            assertEquals(409, second.statusCode(), second.body());
            assertEquals("ALREADY_RUNNING", json(second).getString("errorCode"));
            assertEquals(id, json(second).getJsonObject("details").getString("runningId"), "names the running run");

            JsonObject during = json(Stack.get(href));
            assertEquals("running", during.getString("state"));
            assertEquals(0, during.getJsonNumber("batches").longValue());
            c.commit();
        }

        JsonObject end = awaitEnd(href);
        assertEquals("done", end.getString("state"), end.toString());
        assertFalse(end.containsKey("error"), end.toString());
        assertTrue(end.containsKey("startedAt") && end.containsKey("finishedAt"), end.toString());
        assertEquals(
                OLD - 1 + (RECENT - MAX_COUNT),
                end.getJsonObject("removed").getJsonNumber(type).longValue(),
                "all old ones but the owed one, and the recent ones beyond the newest " + MAX_COUNT);
        assertTrue(end.getJsonNumber("batches").longValue() >= OLD / 1000, end.toString());
        assertEquals(MAX_COUNT + 1, count("select count(*) from eb_event where event_type = ?", type));
        assertTrue(RetentionIT.stored(owed), "an event with a pending delivery stays");
        assertEquals(1, count("select count(*) from eb_delivery where event_id = ?", owed));
        assertEquals(
                MAX_COUNT,
                count(
                        "select count(*) from eb_event where event_type = ?"
                                + " and accepted_at > now() - interval '1 hour'",
                        type),
                "the newest " + MAX_COUNT + " stay");
        assertEquals(MAX_COUNT + 1, count("select count(*) from eb_event_id where id like ? || '%'", type + "-"));
    }

    @Test
    void aBatchThatRunsIntoTheStatementTimeoutFailsTheRunAndSaysSo() throws Exception {
        String type = WebhookIT.unique("it.slow.t");
        OffsetDateTime old =
                LocalDate.now(ZoneOffset.UTC).minusDays(2).atTime(2, 0).atOffset(ZoneOffset.UTC);
        Stack.sql("select eb_event_partition(?::date)", old.toLocalDate().toString());
        try (Connection c = Stack.db()) {
            insertEvents(c, type, type + "-", old, 2000);
            exec(
                    c,
                    "insert into eb_retention_policy (event_type, max_age_seconds) values (?, 86400)"
                            + " on conflict (event_type) do update set max_age_seconds = 86400",
                    type);
        }
        awaitIdle();

        JsonObject failed;
        try (Connection lock = Stack.db()) {
            lock.setAutoCommit(false);
            // the first batch of the type must delete this row and waits for it past the statement timeout
            exec(lock, "select id from eb_event where id = ? for update", type + "-000001");
            failed = runToEnd();
            lock.rollback();
        }

        assertEquals("failed", failed.getString("state"), failed.toString());
        String error = failed.getString("error");
        assertTrue(
                error.matches("statement timeout after 5 s in batch \\d+ of " + type.replace(".", "\\.")),
                "says what happened and where: " + error);
        assertEquals(0, failed.getJsonObject("removed").getJsonNumber(type).longValue());
        assertEquals(2000, count("select count(*) from eb_event where event_type = ?", type), "the batch rolled back");

        JsonObject again = runToEnd();
        assertEquals("done", again.getString("state"), again.toString());
        assertEquals(2000, again.getJsonObject("removed").getJsonNumber(type).longValue());
        assertEquals(0, count("select count(*) from eb_event where event_type = ?", type));
    }
}
