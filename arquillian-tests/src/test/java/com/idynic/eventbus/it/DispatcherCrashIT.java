package com.idynic.eventbus.it;

import static com.idynic.eventbus.it.Stack.await;
import static com.idynic.eventbus.it.Stack.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The server is killed (kill -9) while the dispatcher holds records it has read from Kafka but could not record:
 * PostgreSQL refuses its delivery rows (a trigger on {@code eb_delivery} for this test's subscription), so dispatch
 * is retrying. The offsets of those records must not have been committed: after the restart every event reaches
 * the subscription. Committing before the rows are written loses them.
 */
class DispatcherCrashIT {
    @RegisterExtension
    static final WebhookReceiver receiver = new WebhookReceiver();

    static final int EVENTS = 20;

    /** Counts the refused inserts: a sequence, since the refusal rolls back everything else the insert did. */
    static final String REFUSALS = "it_dispatch_refusals";

    static void refuseDeliveryRows(String subscription) throws SQLException {
        try (Connection c = Stack.db();
                Statement st = c.createStatement()) {
            st.execute("create sequence " + REFUSALS);
            st.execute("create function it_refuse_delivery() returns trigger language plpgsql as $$ begin"
                    + " perform nextval('" + REFUSALS + "');"
                    + " raise exception 'DispatcherCrashIT refuses this delivery row'; end $$");
            st.execute("create trigger it_refuse_delivery before insert on eb_delivery for each row"
                    + " when (new.subscription_id = '" + subscription + "') execute function it_refuse_delivery()");
        }
    }

    static void acceptDeliveryRows() throws SQLException {
        try (Connection c = Stack.db();
                Statement st = c.createStatement()) {
            st.execute("drop trigger if exists it_refuse_delivery on eb_delivery");
            st.execute("drop function if exists it_refuse_delivery()");
            st.execute("drop sequence if exists " + REFUSALS);
        }
    }

    static long refusals() {
        try (Connection c = Stack.db();
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery("select case when is_called then last_value else 0 end from " + REFUSALS)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void recordsTheDispatcherHeldUnrecordedAtAKillDashNineAreAllDeliveredAfterTheRestart() throws Exception {
        String type = WebhookIT.unique("it.dispatchcrash.t");
        String sub = WebhookIT.unique("dispatchcrash-");
        Subscriptions.webhook(sub, type, receiver.url("/" + sub), "unordered", 10);
        List<String> ids = new ArrayList<>();
        boolean refusing = false;
        try {
            refuseDeliveryRows(sub);
            refusing = true;
            List<String> events = new ArrayList<>();
            for (int i = 0; i < EVENTS; i++) {
                String id = Stack.newId("evt-dispatchcrash");
                ids.add(id);
                events.add(Stack.event(id, type, "{\"n\":" + i + "}", "{\"partitionKey\":\"k" + i % 4 + "\"}"));
            }
            var r = Stack.postJsonPatiently("/v1/events/batch", "[" + String.join(",", events) + "]");
            assertEquals(202, r.statusCode(), r.body());
            await(Duration.ofSeconds(60), "every event relayed to Kafka", () -> ids.stream()
                    .allMatch(id -> count("select count(*) from eb_outbox where event_id = ?", id) == 0));
            await(
                    Duration.ofSeconds(60),
                    "the dispatcher read the records and is retrying their refused delivery rows",
                    () -> refusals() >= 2);

            ProcessHandle server =
                    KillAndRestartIT.liberty().orElseThrow(() -> new AssertionError("Liberty process not found"));
            assertTrue(server.destroyForcibly(), "kill -9");
            server.onExit().get();
            assertEquals(0, count("select count(*) from eb_delivery where subscription_id = ?", sub));
            acceptDeliveryRows();
            refusing = false;
        } finally {
            if (refusing) {
                acceptDeliveryRows();
            }
            if (KillAndRestartIT.liberty().isEmpty()) {
                KillAndRestartIT.restart();
            }
        }

        try (Admin admin = Stack.kafkaAdmin()) {
            await(
                    Duration.ofSeconds(120),
                    "the restarted dispatcher committed every record",
                    () -> Stack.dispatcherCaughtUp(admin));
        }
        assertEquals(
                new HashSet<>(ids),
                Set.copyOf(
                        Stack.strings("select event_id from " + Stack.DELIVERIES + " where subscription_id = ?", sub)),
                "a delivery row for every event the dispatcher held at the kill");
        await(Duration.ofSeconds(60), "every event delivered", () -> receiver.calls("/" + sub).stream()
                .map(WebhookReceiver.Call::id)
                .collect(Collectors.toSet())
                .containsAll(ids));
        assertEquals(
                new HashSet<>(ids),
                receiver.calls("/" + sub).stream().map(WebhookReceiver.Call::id).collect(Collectors.toSet()));
        await(
                Duration.ofSeconds(60),
                "example app subscribed again",
                () -> Stack.get("/v1/subscriptions/profile-service").statusCode() == 200);
    }
}
