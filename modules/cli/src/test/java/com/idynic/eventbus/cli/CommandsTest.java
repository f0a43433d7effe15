package com.idynic.eventbus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Each command against the fake bus: what it sends, what it prints, how it ends. */
class CommandsTest {
    private final Terminal t = new Terminal();

    @Test
    void publishSendsTheSeedsEnvelopeAndPrintsTheReceipt() {
        int code = t.run("publish", "user.created", "{\"userId\":\"123\"}", "--source", "user-service", "--key", "u-1");

        assertEquals(ExitCode.OK, code);
        assertEquals(
                "{\"id\":\"cli-id1\",\"eventType\":\"user.created\",\"source\":\"user-service\",\"data\":{\"userId\":\"123\"},"
                        + "\"metadata\":{\"partitionKey\":\"u-1\"}}",
                t.bus.published.get(0).toString());
        assertEquals("accepted user.created cli-id1 receipt rcpt-1\n", t.out());
    }

    @Test
    void publishRefusesDataThatIsNotAJsonObject() {
        assertEquals(ExitCode.USAGE, t.run("publish", "user.created", "[1,2]"));
        assertEquals(ExitCode.USAGE, t.run("publish", "user.created", "{oops"));
        assertEquals(ExitCode.USAGE, t.run("publish", "user.created"));
        assertEquals(List.of(), t.bus.calls);
    }

    @Test
    void aRefusedPublishPrintsTheBusErrorAndEndsWithRefused() {
        t.bus.publishError = new BusError(
                403,
                FakeBus.json("{\"status\":\"error\",\"errorCode\":\"FORBIDDEN\",\"message\":\"may not publish\","
                        + "\"details\":{\"service\":\"order-service\",\"field\":\"source\"}}"),
                "");

        assertEquals(ExitCode.REFUSED, t.run("publish", "user.created", "{}"));
        assertEquals("error: 403 FORBIDDEN: may not publish\n  service: order-service\n  field: source\n", t.err());
    }

    @Test
    void publishTestEventSendsTheSeedsUserCreatedExample() {
        assertEquals(ExitCode.OK, t.run("publish-test-event"));

        assertEquals(
                "{\"id\":\"test-id1\",\"eventType\":\"user.created\",\"source\":\"eventbus-cli\",\"data\":"
                        + "{\"userId\":\"usr-test-id1\",\"email\":\"user@example.com\",\"name\":\"John Doe\"}}",
                t.bus.published.get(0).toString());
    }

    @Test
    void triggerPublishesDataMadeFromTheRegisteredSchema() {
        t.bus.schema = FakeBus.json(
                "{\"eventType\":\"order.shipped\",\"version\":3,\"schema\":{\"type\":\"object\","
                        + "\"properties\":{\"orderId\":{\"type\":\"string\"},\"carrier\":{\"enum\":[\"dhl\",\"ups\"]}},\"required\":[\"orderId\"]}}");

        assertEquals(ExitCode.OK, t.run("trigger", "order.shipped"));

        assertEquals(List.of("schema order.shipped latest", "publish trigger-id1"), t.bus.calls);
        assertEquals(
                "{\"orderId\":\"test-orderId\",\"carrier\":\"dhl\"}",
                t.bus.published.get(0).path("data").toString());
        assertTrue(t.out().startsWith("schema order.shipped v3 -> data {\"orderId\""), t.out());
    }

    @Test
    void triggerOfATypeWithoutSchemaIsTheBusesNotFound() {
        assertEquals(ExitCode.REFUSED, t.run("trigger", "nothing.here"));
        assertEquals("error: 404 NOT_FOUND: No schema for nothing.here\n  eventType: nothing.here\n", t.err());
    }

    @Test
    void smokeTestPassesWhenItsEventComesBackAndAlwaysCleansUp() {
        t.bus.pulls.add(FakeBus.json("{\"events\":[{\"event\":{\"id\":\"other\"},\"attempt\":1}]}"));
        t.bus.pulls.add(FakeBus.json("{\"events\":[{\"event\":{\"id\":\"smoke-id1\"},\"attempt\":1}]}"));

        assertEquals(ExitCode.OK, t.run("smoke-test"));

        assertEquals(
                List.of(
                        "put cli-smoke-id1"
                                + " {\"eventTypes\":[\"eventbus.smoke-test\"],\"target\":{\"type\":\"pull\"},\"ordering\":\"unordered\"}",
                        "publish smoke-id1",
                        "pull cli-smoke-id1",
                        "ack cli-smoke-id1 [other]",
                        "pull cli-smoke-id1",
                        "ack cli-smoke-id1 [smoke-id1]",
                        "delete cli-smoke-id1"),
                t.bus.calls);
        assertTrue(t.out().endsWith("smoke-test PASSED (4 steps) against http://bus.test\n"), t.out());
    }

    @Test
    void smokeTestFailsWhenNothingArrivesInTimeAndStillCleansUp() {
        t.bus.onPull = () -> t.clock.advance(java.time.Duration.ofSeconds(5));

        assertEquals(ExitCode.FAILED, t.run("smoke-test", "--timeout", "10"));

        assertEquals(
                List.of("pull cli-smoke-id1", "pull cli-smoke-id1", "delete cli-smoke-id1"), t.bus.calls.subList(2, 5));
        assertTrue(t.out().contains("  FAIL receive   event smoke-id1 did not arrive within 10 s\n"), t.out());
        assertTrue(t.out().contains("smoke-test FAILED at receive (2 steps passed)"), t.out());
    }

    @Test
    void replayStartFollowsTheJobWithAProgressBarUntilDone() {
        t.bus.startedReplay =
                FakeBus.json("{\"id\":\"rpl-1\",\"state\":\"running\",\"total\":4,\"done\":0,\"etaSeconds\":4}");
        t.bus.replays.add(
                FakeBus.json("{\"id\":\"rpl-1\",\"state\":\"running\",\"total\":4,\"done\":2,\"etaSeconds\":2}"));
        t.bus.replays.add(
                FakeBus.json("{\"id\":\"rpl-1\",\"state\":\"running\",\"total\":4,\"done\":2,\"etaSeconds\":2}"));
        t.bus.replays.add(
                FakeBus.json("{\"id\":\"rpl-1\",\"state\":\"done\",\"total\":4,\"done\":4,\"etaSeconds\":0}"));

        assertEquals(ExitCode.OK, t.run("replay", "start", "billing", "--from", "earliest", "--rate", "50"));

        assertEquals("replay billing {\"from\":\"earliest\",\"ratePerSecond\":50}", t.bus.calls.get(0));
        assertEquals(
                "replay rpl-1 of billing from earliest started\n"
                        + "[..............................]   0%  0/4  eta 4s  running\n"
                        + "[###############...............]  50%  2/4  eta 2s  running\n"
                        + "[##############################] 100%  4/4  done\n",
                t.out());
        assertEquals(3, t.sleeps.size());
    }

    @Test
    void replayOnATerminalRedrawsOneLine() {
        t.bus.startedReplay =
                FakeBus.json("{\"id\":\"rpl-1\",\"state\":\"running\",\"total\":2,\"done\":1,\"etaSeconds\":1}");
        t.bus.replays.add(FakeBus.json("{\"id\":\"rpl-1\",\"state\":\"done\",\"total\":2,\"done\":2}"));

        int code = Main.dispatch(Args.parse("replay", "start", "s", "--from", "evt-1"), t.context(true));

        assertEquals(ExitCode.OK, code);
        assertTrue(
                t.out()
                        .endsWith("\r[###############...............]  50%  1/2  eta 1s  running"
                                + "\r[##############################] 100%  2/2  done\n"),
                t.out());
    }

    @Test
    void aReplayThatEndsCancelledEndsWithFailed() {
        t.bus.startedReplay = FakeBus.json("{\"id\":\"rpl-1\",\"state\":\"running\",\"total\":9,\"done\":0}");
        t.bus.replays.add(
                FakeBus.json("{\"id\":\"rpl-1\",\"state\":\"cancelled\",\"total\":9,\"done\":3,\"error\":\"subscription"
                        + " deleted\"}"));

        assertEquals(ExitCode.FAILED, t.run("replay", "start", "s", "--from", "earliest"));
        assertEquals("replay rpl-1 ended cancelled: subscription deleted\n", t.err());
    }

    @Test
    void replayStartWithoutFromIsAUsageErrorAndNoWaitReturnsAtOnce() {
        assertEquals(ExitCode.USAGE, t.run("replay", "start", "s"));
        t.bus.startedReplay = FakeBus.json("{\"id\":\"rpl-9\",\"state\":\"running\",\"total\":100,\"done\":0}");

        assertEquals(ExitCode.OK, t.run("replay", "start", "s", "--from", "earliest", "--no-wait"));
        assertEquals(List.of("replay s {\"from\":\"earliest\"}"), t.bus.calls);
        assertTrue(t.out().endsWith("follow it: eventbus replay status s rpl-9\n"), t.out());
    }

    @Test
    void dlqListPrintsCountAndRowsAndRedriveNeedsAllOrIds() {
        t.bus.deadLetters = FakeBus.json("{\"count\":1,\"deadLetters\":[{\"eventId\":\"ord-1002\",\"state\":\"DEAD\","
                + "\"attempts\":2,\"deadAt\":\"2026-12-07T03:00:00.000Z\",\"lastError\":\"rejected: invalid\"}]}");

        assertEquals(ExitCode.OK, t.run("dlq", "list", "reports"));
        assertEquals(ExitCode.USAGE, t.run("dlq", "redrive", "reports"));
        assertEquals(ExitCode.USAGE, t.run("dlq", "redrive", "reports", "--all", "ord-1"));
        assertEquals(ExitCode.OK, t.run("dlq", "redrive", "reports", "ord-1002"));
        assertEquals(ExitCode.OK, t.run("dlq", "redrive", "reports", "--all"));

        assertEquals(
                List.of("dead-letters reports 100", "redrive reports [ord-1002]", "redrive reports []"), t.bus.calls);
        String[] lines = t.out().split("\n");
        assertEquals("1 dead letters in reports", lines[0]);
        assertTrue(lines[2].matches("ord-1002 +DEAD +2  2026-12-07T03:00:00.000Z +rejected: invalid"), lines[2]);
        assertEquals("redriven 1 from reports", lines[3]);
        assertEquals("redriven 7 from reports", lines[4]);
    }

    @Test
    void listenForwardsMatchingEventsAcksOn2xxNacksOtherwiseAndSkipsOtherTypes() {
        t.bus.pulls.add(FakeBus.json("{\"events\":["
                + "{\"event\":{\"id\":\"e1\",\"eventType\":\"order.placed\"},\"attempt\":1,\"replay\":false},"
                + "{\"event\":{\"id\":\"e2\",\"eventType\":\"user.created\"},\"attempt\":1},"
                + "{\"event\":{\"id\":\"e3\",\"eventType\":\"order.paid\"},\"attempt\":2}]}"));
        t.forwardAnswers.addAll(List.of(200, 500));

        int code = t.run(
                "listen", "sub", "--forward", "http://127.0.0.1:3000/hooks", "--type", "order.*", "--max-events", "2");

        assertEquals(ExitCode.OK, code);
        assertEquals(
                List.of(
                        "http://127.0.0.1:3000/hooks e1 {\"id\":\"e1\",\"eventType\":\"order.placed\"}",
                        "http://127.0.0.1:3000/hooks e3 {\"id\":\"e3\",\"eventType\":\"order.paid\"}"),
                t.forwarded);
        assertEquals(
                List.of("pull sub", "ack sub [e1]", "ack sub [e2]", "nack sub [e3] local endpoint answered HTTP 500"),
                t.bus.calls);
        assertTrue(t.out().endsWith("forwarded 2 events\n"), t.out());
    }

    @Test
    void listenNeedsAnHttpForwardUrl() {
        assertEquals(ExitCode.USAGE, t.run("listen", "sub"));
        assertEquals(ExitCode.USAGE, t.run("listen", "sub", "--forward", "file:///etc/passwd"));
        assertEquals(List.of(), t.bus.calls);
    }

    @Test
    void monitorOnceShowsRatesBetweenTwoReadings() {
        t.bus.metrics.add(metrics(100, 40, 3));
        t.bus.metrics.add(metrics(120, 50, 5));

        assertEquals(ExitCode.OK, t.run("monitor", "--once", "--interval", "2"));

        assertEquals(
                "eventbus monitor  http://bus.test  2026-12-07T03:00:02Z\n"
                        + "  publish rate       10.0 ev/s   (120 published by this server)\n"
                        + "  delivery rate       5.0 ev/s   (50 acknowledged)\n"
                        + "  success rate     99.50 %   (last 5 min)\n"
                        + "  queue depth      7\n"
                        + "  DLQ size         5\n"
                        + "  outbox backlog   0   relay lag 0.5 s\n",
                t.out());
    }

    @Test
    void unknownCommandsAreUsageErrors() {
        assertEquals(ExitCode.USAGE, t.run("publsh"));
        assertEquals(ExitCode.USAGE, t.run("dlq", "show", "s"));
    }

    private static String metrics(int published, int acknowledged, int dead) {
        return "# TYPE eventbus_events_published_total counter\n"
                + "eventbus_events_published_total{event_type=\"user.created\",mp_scope=\"application\",} "
                + (published - 1) + ".0\n"
                + "eventbus_events_published_total{event_type=\"unregistered\",mp_scope=\"application\",} 1.0\n"
                + "event_processing_time_seconds_count{mp_scope=\"application\",} " + acknowledged + ".0\n"
                + "event_delivery_success_rate{mp_scope=\"application\",subscription=\"_all\",} 0.995\n"
                + "event_delivery_success_rate{mp_scope=\"application\",subscription=\"billing\",} 0.5\n"
                + "queue_depth{mp_scope=\"application\",subscription=\"_all\",} 7.0\n"
                + "dead_letter_queue_size{mp_scope=\"application\",subscription=\"_all\",} " + dead + ".0\n"
                + "dead_letter_queue_size{mp_scope=\"application\",subscription=\"billing\",} 1.0\n"
                + "eventbus_outbox_backlog{mp_scope=\"application\",} 0.0\n"
                + "eventbus_relay_lag_seconds{mp_scope=\"application\",} 0.5\n";
    }
}
