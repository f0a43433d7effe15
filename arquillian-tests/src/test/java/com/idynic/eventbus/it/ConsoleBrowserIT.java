package com.idynic.eventbus.it;

import static com.idynic.eventbus.it.Stack.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * The operator console in a real headless Chromium: an operator signs in, reads an event's timeline, redrives
 * a dead letter and sees it delivered, dry-runs a replay and signs out; a subscriber's key is refused.
 * Screenshots go to {@code target/screenshots}.
 */
class ConsoleBrowserIT {
    static String operatorKey;
    static String subscriberKey;

    @BeforeAll
    static void services() {
        Stack.awaitReady();
        operatorKey = AuthIT.service(WebhookIT.unique("console-op-"), "{\"roles\":[\"operator\"]}");
        subscriberKey = AuthIT.service(
                WebhookIT.unique("console-sub-"), "{\"roles\":[\"subscriber\"],\"subscribe\":[\"it.console.*\"]}");
    }

    /** A pull subscription with one event rejected into its dead-letter queue. */
    static String[] deadLetter() {
        String type = WebhookIT.unique("it.console.t");
        String sub = WebhookIT.unique("console-");
        Subscriptions.create(
                sub, "{\"eventTypes\":[\"" + type + "\"],\"target\":{\"type\":\"pull\"},\"ordering\":\"unordered\"}");
        String id = Subscriptions.publish(type, null, "{\"orderId\":\"o-42\"}");
        List<String> pulled = new ArrayList<>();
        await(Duration.ofSeconds(30), "pulled", () -> {
            PullIT.pull(sub, 1000, 60_000).forEach(d -> pulled.add(PullIT.id(d)));
            return pulled.contains(id);
        });
        assertEquals(
                1,
                PullIT.settle(
                        sub, "nack", "{\"eventIds\":[\"" + id + "\"],\"reject\":true,\"reason\":\"HTTP 503 from X\"}"));
        return new String[] {sub, id};
    }

    @Test
    void anOperatorSignsInReadsAnEventsTimelineRedrivesItsDeadLetterAndSeesItDelivered() {
        String[] dl = deadLetter();
        String sub = dl[0];
        String id = dl[1];
        try (Browser b = Browser.open()) {
            b.signIn(operatorKey);
            b.awaitText("Signed in as");
            String overview = b.text();
            for (String figure : List.of(
                    "Delivery success rate", "Processing time p50 / p95 / p99", "Queue depth", "Dead-letter queue")) {
                assertTrue(overview.contains(figure), figure + " on the overview: " + overview);
            }
            assertTrue(
                    b.find("#dlqSize").getText().matches("\\d+"),
                    b.find("#dlqSize").getText());
            assertEquals("moving", b.find("#relayState").getText(), "Kafka is up: the relay moves");
            assertEquals("moving", b.find("#dispatchState").getText(), "and so does the dispatcher");
            // six figures, each with its chart of the last hour (a sample every 2 s on the test server); on a laptop
            b.driver.manage().window().setSize(new org.openqa.selenium.Dimension(1366, 768));
            await(Duration.ofSeconds(30), "the overview's charts drawn from two samples or more", () -> {
                b.go("/admin/index.xhtml");
                b.awaitText("Signed in as");
                return b.driver
                                .findElements(By.cssSelector("#chart-queue path.spark-line"))
                                .size()
                        == 1;
            });
            assertEquals(6, b.driver.findElements(By.cssSelector(".spark svg")).size());
            for (String chart : List.of("publish", "delivery", "success", "p95", "queue", "dlq")) {
                assertEquals(1, b.driver.findElements(By.id("chart-" + chart)).size(), chart);
            }
            assertTrue(b.text().contains("Publish rate"), b.text());
            assertTrue(
                    b.find("#publishRate").getText().matches("\\d+(\\.\\d+)?/(s|min)"),
                    b.find("#publishRate").getText());
            b.screenshot("overview");
            b.driver.manage().window().setSize(new org.openqa.selenium.Dimension(1440, 1000));

            b.go("/admin/events.xhtml");
            b.type("input[id='find:eventId']", id);
            b.click("button[id='find:go']");
            b.awaitText("Timeline of " + id);
            String timeline = b.text();
            assertTrue(timeline.contains("Accepted"), timeline);
            assertTrue(timeline.contains("Relayed"), timeline);
            assertTrue(timeline.contains("Dead letter in " + sub), timeline);
            assertTrue(timeline.contains("HTTP 503 from X"), timeline);
            b.screenshot("event-timeline");

            b.go("/admin/dead-letters.xhtml?subscription=" + sub);
            b.awaitText("1 dead letter(s) match.");
            b.click("#dlq\\:table .ui-chkbox-box");
            b.screenshot("dead-letters");
            b.click("button[id='dlq:redrive']");
            b.confirm();
            b.awaitText("Redriven: 1.");
            b.awaitText("0 dead letter(s) match.");

            List<String> pulled = new ArrayList<>();
            await(Duration.ofSeconds(30), "pulled again after the redrive", () -> {
                PullIT.pull(sub, 1000, 60_000).forEach(d -> pulled.add(PullIT.id(d)));
                return pulled.contains(id);
            });
            assertEquals(1, PullIT.settle(sub, "ack", "{\"eventIds\":[\"" + id + "\"]}"));

            b.go("/admin/events.xhtml?id=" + id);
            b.awaitText("Delivered to " + sub);
            assertEquals(
                    "DELIVERED",
                    b.driver
                            .findElement(By.cssSelector("#statuses .state-DELIVERED"))
                            .getText());
            assertEquals(
                    "SUCCESS",
                    b.driver.findElement(By.cssSelector("#attempts .ok")).getText(),
                    "the successful attempt is shown as a success");
            b.screenshot("event-delivered");
        }
    }

    @Test
    void anOperatorFindsTheEventsOfOneTraceBySearchingItsTraceId() {
        String traceId = TraceContextIT.hex(32);
        String other = WebhookIT.unique("evt-other-trace-");
        List<String> traced = List.of(WebhookIT.unique("evt-traced-a-"), WebhookIT.unique("evt-traced-b-"));
        for (String id : traced) {
            assertEquals(
                    202,
                    TraceContextIT.publish(
                                    "/v1/events",
                                    TraceContextIT.userCreated(id, "u-" + id, "{}"),
                                    "00-" + traceId + "-" + TraceContextIT.hex(16) + "-01")
                            .statusCode());
        }
        assertEquals(
                202,
                TraceContextIT.publish(
                                "/v1/events",
                                TraceContextIT.userCreated(other, "u-other", "{}"),
                                "00-" + TraceContextIT.hex(32) + "-" + TraceContextIT.hex(16) + "-01")
                        .statusCode());
        try (Browser b = Browser.open()) {
            b.signIn(operatorKey);
            b.awaitText("Signed in as");
            b.go("/admin/events.xhtml");
            b.type("input[id='search:traceId']", traceId);
            b.click("button[id='search:searchButton']");
            b.awaitText(traced.get(1));
            List<String> found = b.driver.findElements(By.cssSelector("#search\\:hits tbody a.mono")).stream()
                    .map(e -> e.getText())
                    .toList();
            assertEquals(traced, found, "exactly the trace's two events, in publish order");
        }
    }

    @Test
    void anOperatorRedrivesAllMatchingAfterSeeingTheDryRunCountWatchesProgressAndSeesThemDelivered() {
        String type = WebhookIT.unique("it.console.bulk");
        String sub = DeadLetterBulkIT.subscription(type);
        List<String> unavailable = DeadLetterBulkIT.deadLetters(sub, type, 3, "HTTP 503 from X");
        List<String> rejected = DeadLetterBulkIT.deadLetters(sub, type, 1, "HTTP 400 bad request");
        try (Browser b = Browser.open()) {
            b.signIn(operatorKey);
            b.awaitText("Signed in as");
            b.go("/admin/dead-letters.xhtml?subscription=" + sub);
            b.awaitText("4 dead letter(s) match.");
            b.type("input[id='dlq:error']", "503");
            b.type("input[id='dlq:rate']", "1");
            b.click("button[id='dlq:redriveAll']");
            b.awaitText("Dry run: 3 dead letter(s) of " + sub + " match");
            b.click("button[id='bulkConfirmForm:startAll']");
            b.awaitText("Bulk redrive rdr-");
            b.screenshot("dead-letters-bulk");
            b.awaitText("3 of 3 redriven");
            // the page reads the list again once the job ended
            b.awaitText("0 dead letter(s) match.");
            assertEquals("done", b.find("#bulkState").getText());
        }
        java.util.Set<String> pulled = new java.util.HashSet<>();
        await(Duration.ofSeconds(30), "the three pulled again", () -> {
            PullIT.pull(sub, 1000, 60_000).forEach(d -> pulled.add(PullIT.id(d)));
            return pulled.containsAll(unavailable);
        });
        assertEquals(3, PullIT.settle(sub, "ack", "{\"eventIds\":[\"" + String.join("\",\"", unavailable) + "\"]}"));
        for (String e : unavailable) {
            assertEquals("DELIVERED", Subscriptions.state(e, sub), e);
        }
        assertEquals("DEAD", Subscriptions.state(rejected.get(0), sub), "not matching: untouched");
    }

    @Test
    void anOperatorDryRunsAReplayAndSeesTheCountBeforeAnythingIsReplayed() {
        String[] dl = deadLetter();
        try (Browser b = Browser.open()) {
            b.signIn(operatorKey);
            b.awaitText("Signed in as");
            b.go("/admin/replays.xhtml");
            b.type("input[id='replay:subscription']", dl[0]);
            b.type("input[id='replay:from']", "earliest");
            b.click("button[id='replay:dryRun']");
            b.awaitText("Dry run: 1 events would be replayed to " + dl[0]);
            b.screenshot("replay-dry-run");
        }
        assertEquals("DEAD", Subscriptions.state(dl[1], dl[0]), "a dry run replays nothing");
    }

    @Test
    void anOperatorSignsOutAndThePagesAndTheOldSessionIdGoToTheSignInPage() {
        try (Browser b = Browser.open()) {
            b.signIn(operatorKey);
            b.awaitText("Signed in as");
            String sessionId = b.driver.manage().getCookieNamed("JSESSIONID").getValue();
            b.click("button[id='signOutForm:signOut']");
            b.find("input[id='signIn:apiKey']");
            assertTrue(b.driver.getCurrentUrl().endsWith("/admin/sign-in.xhtml"), b.driver.getCurrentUrl());
            b.go("/admin/events.xhtml");
            b.find("input[id='signIn:apiKey']");
            assertTrue(b.driver.getCurrentUrl().endsWith("/admin/sign-in.xhtml"), b.driver.getCurrentUrl());
            ConsoleAccessIT.assertGoesToSignIn(
                    ConsoleAccessIT.withOnly(sessionId, "/admin/events.xhtml"), "the signed-out session id, replayed");
        }
    }

    @Test
    void aSubscribersKeyIsRefusedWithTheReason() {
        try (Browser b = Browser.open()) {
            b.signIn(subscriberKey);
            b.awaitText("has no operator or admin role");
            b.screenshot("sign-in-refused");
            b.go("/admin/index.xhtml");
            b.find("input[id='signIn:apiKey']");
            assertTrue(b.driver.getCurrentUrl().endsWith("/admin/sign-in.xhtml"), b.driver.getCurrentUrl());
        }
    }
}
