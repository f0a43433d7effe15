package com.idynic.eventbus.it;

import static com.idynic.eventbus.it.Stack.await;
import static com.idynic.eventbus.it.Stack.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The co-deployed example app's {@code order.placed} observer writes one row per event to its own table in the
 * bus's database, in the JTA transaction in which the bus client acknowledges the event. Liberty is killed (kill
 * -9) while the observer works through a backlog (each event keeps it 2 ms, so the kill lands in transactions) and started again: every event ends with exactly one row,
 * although the events in transactions at the kill are delivered again.
 */
class InProcessExactlyOnceIT {
    /** Events in the backlog. */
    static final int EVENTS = 4000;

    /** Rows the observer has written when the server is killed. */
    static final int KILL_AT = 300;

    static final String LEASED = "select count(*) from eb_delivery where subscription_id = 'profile-service'"
            + " and state = 'LEASED' and event_id like ? || '%'";

    static final String MINE = "select count(*) from profile_order_ledger where event_id like ? || '%'";

    /** The example app's table (it creates it on its first event; made here so the counts can run before). */
    static final String LEDGER =
            "create table if not exists profile_order_ledger (event_id varchar(200) not null, order_id varchar(200),"
                    + " recorded_at timestamptz not null default now())";

    static void publishBacklog(String prefix) {
        for (int batch = 0; batch < EVENTS / 100; batch++) {
            StringBuilder b = new StringBuilder("[");
            for (int i = 0; i < 100; i++) {
                int n = batch * 100 + i;
                String customer = "cust-" + (n % 25);
                b.append(i == 0 ? "" : ",")
                        .append(Stack.event(
                                prefix + n,
                                "order.placed",
                                "{\"orderId\":\"ord-" + n + "\",\"customerId\":\"" + customer + "\",\"totalAmount\":"
                                        + n + ",\"holdMillis\":2}",
                                "{\"partitionKey\":\"" + customer + "\"}"));
            }
            var r = Stack.postJsonPatiently("/v1/events/batch", b.append("]").toString());
            assertEquals(202, r.statusCode(), r.body());
        }
    }

    static Map<String, Long> duplicates(String prefix) throws SQLException {
        Map<String, Long> out = new LinkedHashMap<>();
        try (Connection c = Stack.db();
                PreparedStatement ps = c.prepareStatement("select event_id, count(*) from profile_order_ledger"
                        + " where event_id like ? || '%' group by event_id having count(*) <> 1")) {
            ps.setString(1, prefix);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return out;
    }

    @Test
    void afterAKillDashNineEveryEventHasExactlyOneRowWrittenByTheObserver() throws Exception {
        Stack.awaitReady();
        String prefix = Stack.newId("evt-once-") + "-";
        Stack.sql(LEDGER);
        PauseResumeIT.changeState("profile-service", "pause");
        try {
            publishBacklog(prefix);
            await(
                    Duration.ofSeconds(120),
                    "the backlog queued for the example app",
                    () -> count(
                                    "select count(*) from eb_delivery where subscription_id = 'profile-service'"
                                            + " and event_id like ? || '%'",
                                    prefix)
                            == EVENTS);
        } finally {
            PauseResumeIT.changeState("profile-service", "resume");
        }
        await(
                Duration.ofSeconds(120),
                KILL_AT + " rows written and a batch in the observer's hands",
                () -> count(MINE, prefix) >= KILL_AT && count(LEASED, prefix) >= 128);

        ProcessHandle server =
                KillAndRestartIT.liberty().orElseThrow(() -> new AssertionError("Liberty process not found"));
        assertTrue(server.destroyForcibly(), "kill -9");
        server.onExit().get();
        long atKill = count(MINE, prefix);
        long leasedAtKill = count(LEASED, prefix);
        KillAndRestartIT.restart();
        System.out.println("InProcessExactlyOnceIT: " + atKill + " rows and " + leasedAtKill + " leased at the kill");

        assertTrue(atKill < EVENTS, "killed mid-backlog: " + atKill + " rows at the kill");
        assertTrue(leasedAtKill > 0, "events were leased to the observer at the kill");
        await(
                Duration.ofSeconds(240),
                "every event has its row",
                () -> count(
                                "select count(distinct event_id) from profile_order_ledger where event_id like ? || '%'",
                                prefix)
                        == EVENTS);
        await(
                Duration.ofSeconds(120),
                "every delivery settled",
                () -> count(
                                "select count(*) from eb_delivery where subscription_id = 'profile-service'"
                                        + " and event_id like ? || '%' and state <> 'DELIVERED'",
                                prefix)
                        == 0);
        assertEquals(Map.of(), duplicates(prefix), "events with more or fewer than one row");
        assertEquals(EVENTS, count(MINE, prefix));
        List<String> attemptsAbove1 = new ArrayList<>(Stack.strings(
                "select event_id from " + Stack.DELIVERIES
                        + " where subscription_id = 'profile-service' and attempts > 1" + " and event_id like ? || '%'",
                prefix));
        assertTrue(!attemptsAbove1.isEmpty(), "the events in flight at the kill were delivered again");
    }
}
