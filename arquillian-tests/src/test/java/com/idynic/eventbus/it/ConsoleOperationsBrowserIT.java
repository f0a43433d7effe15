package com.idynic.eventbus.it;

import static com.idynic.eventbus.it.Stack.await;
import static com.idynic.eventbus.it.Stack.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console's day-to-day operations in a real headless Chromium: the retention part of Schemas &amp; retention
 * (a policy set, a run started and its result), the Events live tail (started, filled, capped, stopped), the
 * Subscriptions health columns of a failing webhook and the lag of a queue nobody pulls, and every page walked with
 * the keyboard alone (skip link, navigation, a visible focus on each element, the main actions and their
 * confirmations). Screenshots go to {@code target/screenshots}.
 */
class ConsoleOperationsBrowserIT {
    @RegisterExtension
    static final WebhookReceiver receiver = new WebhookReceiver();

    static final Duration WAIT = Duration.ofSeconds(60);

    static String operatorKey;

    /** The browser of the running test, for a screenshot when it fails. */
    static Browser current;

    @RegisterExtension
    static final org.junit.jupiter.api.extension.AfterTestExecutionCallback SCREENSHOT_ON_FAILURE = context -> {
        if (context.getExecutionException().isPresent() && current != null) {
            try {
                current.screenshot("failed-" + context.getRequiredTestMethod().getName());
            } catch (RuntimeException e) {
                System.err.println("no screenshot of the failure: " + e);
            }
        }
    };

    /** @return a browser closed after the test (after a failure's screenshot) */
    static Browser open() {
        current = Browser.open();
        return current;
    }

    @org.junit.jupiter.api.AfterEach
    void close() {
        if (current != null) {
            current.close();
            current = null;
        }
    }

    @BeforeAll
    static void services() {
        Stack.awaitReady();
        operatorKey = AuthIT.service(WebhookIT.unique("console-ops-op-"), "{\"roles\":[\"operator\"]}");
    }

    // ---- retention

    @Test
    void anAdminSetsACountPolicyRunsRetentionAndSeesWhatTheRunRemovedOfTheType() {
        String type = WebhookIT.unique("it.console.ret");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(Subscriptions.publish(type, null, "{\"n\":" + i + "}"));
        }
        Browser b = open();
        {
            b.signIn(Stack.adminKey());
            b.awaitText("Signed in as");
            b.go("/admin/schemas.xhtml");
            b.awaitText("Retention");
            b.type("input[id='retention:policyType']", type);
            ConsoleAlertsBrowserIT.retype(b, "input[id='retention:policyMaxAge_input']", "2592000");
            ConsoleAlertsBrowserIT.retype(b, "input[id='retention:policyMaxCount_input']", "1");
            b.click("button[id='retention:savePolicy']");
            b.awaitText("Save the retention policy?");
            b.confirm();
            b.awaitText("Events of " + type + " are kept 2592000 s and at most 1.");
            ConsoleAlertsBrowserIT.awaitIn(b, "[id='retention:policies']", type);
            String row = ConsoleAlertsBrowserIT.texts(b, "[id='retention:policies'] tbody tr").stream()
                    .filter(r -> r.contains(type))
                    .map(r -> r.replaceAll("\\s+", " "))
                    .findFirst()
                    .orElseThrow();
            assertTrue(row.contains("2592000 s (30 days)") && row.endsWith("1 Edit Remove"), row);
            JsonObject policy = json(Stack.get("/v1/retention")).getJsonArray("policies").stream()
                    .map(v -> v.asJsonObject())
                    .filter(p -> p.getString("eventType").equals(type))
                    .findFirst()
                    .orElseThrow();
            assertEquals(2592000, policy.getJsonNumber("maxAgeSeconds").longValue(), policy.toString());
            assertEquals(1, policy.getJsonNumber("maxCount").longValue(), policy.toString());

            RetentionJobIT.awaitIdle();
            b.click("button[id='retention:runNow']");
            b.awaitText("Run retention now?");
            b.confirm();
            b.awaitText("Started retention run ret-");
            String runId = b.find("#runState .mono").getText();
            new WebDriverWait(b.driver, WAIT)
                    .ignoring(StaleElementReferenceException.class)
                    .until(d -> d.findElement(By.id("runState")).getText().contains(": DONE,"));
            JsonObject run = json(Stack.get("/v1/retention/runs/" + runId));
            assertEquals("done", run.getString("state"), run.toString());
            assertEquals(2, RetentionIT.removed(run, type), run.toString());
            String state = b.find("#runState").getText();
            assertTrue(
                    state.startsWith("Run " + runId + ": DONE, " + total(run) + " removed in " + run.getInt("batches")
                            + " batches"),
                    state);
            List<String> removed = ConsoleAlertsBrowserIT.texts(b, "#runRemoved li");
            assertTrue(removed.contains(type + ": 2"), removed.toString());
            assertEquals(
                    List.of(ids.get(2)),
                    RetentionIT.ids("select id from eb_event where event_type = ? order by seq", type),
                    "the newest event is kept");
            b.screenshot("retention-run");

            b.go("/admin/schemas.xhtml");
            ConsoleAlertsBrowserIT.clickInRow(b, "retention:policies_data", type, "deletePolicy");
            b.awaitText("Remove the policy of " + type + "?");
            b.confirm();
            b.awaitText("Removed the policy of " + type + "; the default applies.");
        }
    }

    static long total(JsonObject run) {
        return run.getJsonObject("removed").values().stream()
                .mapToLong(v -> ((jakarta.json.JsonNumber) v).longValue())
                .sum();
    }

    // ---- live tail

    @Test
    void anOperatorTailsATypeSeesNewEventsNewestFirstSeesTheCapWhenABurstExceedsItAndStops() {
        String type = WebhookIT.unique("it.console.tail");
        Browser b = open();
        {
            b.signIn(operatorKey);
            b.awaitText("Signed in as");
            b.go("/admin/events.xhtml");
            b.awaitText("New events only, at most 50 per refresh, refreshed every 2 s.");
            b.type("input[id='tail:tailType']", type);
            b.click("button[id='tail:startTail']");
            b.awaitText("Waiting for new events…");
            assertEquals(1, b.driver.findElements(By.id("tail:stopTail")).size());

            String first = Subscriptions.publish(type, null, "{\"n\":1}");
            String second = Subscriptions.publish(type, null, "{\"n\":2}");
            Subscriptions.publish("it.console.tail.other", null, "{\"n\":3}");
            new WebDriverWait(b.driver, WAIT)
                    .ignoring(StaleElementReferenceException.class)
                    .until(d -> tailIds(b).size() == 2);
            assertEquals(List.of(second, first), tailIds(b), "newest first, only the type tailed");
            b.screenshot("events-live-tail");

            String burst = IntStream.range(0, 55)
                    .mapToObj(i -> Stack.event(Stack.newId("evt-tail"), type, "{\"n\":" + i + "}", "{}"))
                    .collect(Collectors.joining(",", "[", "]"));
            HttpResponse<String> r = Stack.postJson("/v1/events/batch", burst);
            assertEquals(202, r.statusCode(), r.body());
            b.awaitText("More events arrive than the tail shows (50 per refresh): narrow it by type, or search.");
            assertEquals(52, tailIds(b).size(), "one refresh shows at most 50 new events");
            b.screenshot("events-live-tail-capped");
            new WebDriverWait(b.driver, WAIT)
                    .ignoring(StaleElementReferenceException.class)
                    .until(d -> tailIds(b).size() == 57);

            b.click("button[id='tail:stopTail']");
            b.find("button[id='tail:startTail']");
            assertEquals(0, b.driver.findElements(By.id("tail:tailPoll")).size(), "no more refreshes");
            assertEquals(57, tailIds(b).size(), "the rows stay after stopping");
        }
    }

    static List<String> tailIds(Browser b) {
        return ConsoleAlertsBrowserIT.texts(b, "[id='tail:tailRows'] tbody tr a.mono");
    }

    // ---- subscriptions health

    @Test
    void theSubscriptionsPageShowsAFailingWebhooksHealthAndTheLagOfAQueueNobodyPulls() {
        String failing = WebhookIT.unique("console-ops-h-");
        String type = "it.console.health." + failing;
        receiver.on("/" + failing, c -> WebhookReceiver.Answer.status(503));
        Subscriptions.webhook(failing, type, receiver.url("/" + failing), "unordered", 2);
        String event = Subscriptions.publish(type, null, "{\"n\":1}");
        await(WAIT, "dead after two attempts", () -> Subscriptions.deadLetterIds(failing)
                .contains(event));

        String idle = WebhookIT.unique("console-ops-lag-");
        String idleType = "it.console.lag." + idle;
        Subscriptions.create(idle, "{\"eventTypes\":[\"" + idleType + "\"],\"target\":{\"type\":\"pull\"}}");
        String owed = Subscriptions.publish(idleType, null, "{\"n\":1}");
        await(WAIT, "queued for " + idle, () -> "PENDING".equals(Subscriptions.state(owed, idle)));
        Stack.sql(
                "update eb_delivery set created_at = now() - interval '2 hours' where subscription_id = ?"
                        + " and event_id = ?",
                idle,
                owed);

        await(WAIT, "the figures of both", () -> {
            JsonObject l = json(Stack.get("/v1/subscriptions/" + idle)).getJsonObject("lag");
            return l != null && !l.isNull("oldestPendingAgeSeconds");
        });
        JsonObject lag = json(Stack.get("/v1/subscriptions/" + idle)).getJsonObject("lag");
        assertEquals(1, lag.getInt("queueDepth"), lag.toString());
        assertEquals(0, lag.getInt("deadLetters"), lag.toString());
        assertEquals(120, lag.getJsonNumber("oldestPendingAgeSeconds").longValue() / 60, lag.toString());
        JsonObject failingView = json(Stack.get("/v1/subscriptions/" + failing));
        JsonObject failingLag = failingView.getJsonObject("lag");
        assertEquals(0, failingLag.getInt("queueDepth"), failingView.toString());
        assertEquals(1, failingLag.getInt("deadLetters"), failingView.toString());
        assertTrue(failingLag.isNull("oldestPendingAgeSeconds"), failingView.toString());

        Browser b = open();
        {
            b.signIn(operatorKey);
            b.awaitText("Signed in as");
            b.go("/admin/subscriptions.xhtml");
            b.awaitText(idle);
            assertEquals("0.0 %", cell(b, failing, "successRate"));
            assertEquals("0", cell(b, failing, "queueDepth"));
            assertEquals(
                    0,
                    row(b, failing).findElements(By.cssSelector("[id$=':lag']")).size(),
                    "nothing owed: no oldest");
            assertEquals("1", cell(b, failing, "deadLetters"));
            assertEquals("closed", cell(b, failing, "circuit"));
            assertEquals("2", cell(b, failing, "inARow"));
            assertEquals("HTTP 503", cell(b, failing, "lastError"));

            assertEquals("–", cell(b, idle, "successRate"), "no attempt in the window");
            assertEquals("1", cell(b, idle, "queueDepth"));
            assertTrue(cell(b, idle, "lag").matches("2 h [01] min"), cell(b, idle, "lag"));
            assertEquals("0", cell(b, idle, "deadLetters"));
            assertEquals("–", cell(b, idle, "circuit"), "a pull subscription has no circuit");
            assertEquals("–", cell(b, idle, "lastError"));
            b.screenshot("subscriptions-health");

            row(b, failing).findElement(By.cssSelector("a[id$=':deadLetters']")).click();
            b.awaitText("1 dead letter(s) match.");
        }
    }

    /** @return the row of the subscriptions table that shows the subscription */
    static WebElement row(Browser b, String sub) {
        return b.driver.findElement(
                By.xpath("//tbody[@id='subs:table_data']/tr[.//span[normalize-space(text())='" + sub + "']]"));
    }

    static String cell(Browser b, String sub, String id) {
        return new WebDriverWait(b.driver, Duration.ofSeconds(30))
                .ignoring(StaleElementReferenceException.class)
                .until(d -> row(b, sub)
                        .findElement(By.cssSelector("[id$=':" + id + "']"))
                        .getText()
                        .strip());
    }

    // ---- keyboard

    @Test
    void everyPageIsUsableWithTheKeyboardAloneWithAVisibleFocusAndConfirmationsAnsweredByKeys() {
        String type = WebhookIT.unique("it.console.keys");
        String sub = WebhookIT.unique("console-keys-");
        Subscriptions.create(
                sub, "{\"eventTypes\":[\"" + type + "\"],\"target\":{\"type\":\"pull\"},\"ordering\":\"unordered\"}");
        String id = Subscriptions.publish(type, null, "{\"n\":1}");
        List<String> pulled = new ArrayList<>();
        await(WAIT, "pulled", () -> {
            PullIT.pull(sub, 1000, 60_000).forEach(d -> pulled.add(PullIT.id(d)));
            return pulled.contains(id);
        });
        assertEquals(
                1,
                PullIT.settle(sub, "nack", "{\"eventIds\":[\"" + id + "\"],\"reject\":true,\"reason\":\"HTTP 500\"}"));

        Browser b = open();
        {
            b.go("/admin/sign-in.xhtml");
            tabTo(b, "input[id='signIn:apiKey']");
            keys(b, Stack.adminKey(), Keys.ENTER);
            b.awaitText("Signed in as");

            List<String> pages = List.of(
                    "Overview",
                    "Events",
                    "Dead letters",
                    "Subscriptions",
                    "Replays",
                    "Flows",
                    "Catalog",
                    "Alerts",
                    "Audit log",
                    "Services",
                    "Schemas & retention");
            List<String> unseen = new ArrayList<>();
            for (String page : pages) {
                b.go("/admin/index.xhtml");
                b.find("h1");
                keys(b, Keys.TAB);
                assertEquals("skipLink", active(b, "return document.activeElement.id"), "the skip link comes first");
                tabTo(b, ".console-top nav a", page);
                keys(b, Keys.ENTER);
                new WebDriverWait(b.driver, WAIT)
                        .until(d -> d.findElement(By.tagName("h1")).getText().equals(page));
                unseen.addAll(walk(b, page));
            }
            assertEquals(List.of(), unseen, "every focused element shows its focus");

            b.go("/admin/events.xhtml");
            keys(b, Keys.TAB, Keys.ENTER);
            assertEquals("main", active(b, "return document.activeElement.id"), "the skip link moves to the content");
            b.screenshot("keyboard-skip-link");
            tabTo(b, "input[id='search:type']");
            keys(b, type);
            tabTo(b, "button[id='search:searchButton']");
            keys(b, Keys.ENTER);
            ConsoleAlertsBrowserIT.awaitIn(b, "[id='search:hits']", id);

            b.go("/admin/dead-letters.xhtml?subscription=" + sub);
            b.awaitText("1 dead letter(s) match.");
            tabTo(b, "[id='dlq:table'] tbody .ui-chkbox input, [id='dlq:table_data']");
            keys(b, Keys.SPACE);
            tabTo(b, "button[id='dlq:redrive']");
            keys(b, Keys.ENTER);
            b.awaitText("Redrive the selected dead letters?");
            awaitFocusIn(b, ".ui-dialog");
            b.screenshot("keyboard-confirm");
            answer(b, "Yes");
            b.awaitText("Redriven: 1.");

            b.go("/admin/subscriptions.xhtml");
            b.awaitText(sub);
            tabTo(b, "button[aria-label='Pause " + sub + "']");
            keys(b, Keys.ENTER);
            b.awaitText("Pause " + sub + "?");
            awaitFocusIn(b, ".ui-dialog");
            keys(b, Keys.ESCAPE);
            new WebDriverWait(b.driver, WAIT).until(d -> noDialogShown(b));
            assertEquals("active", json(Stack.get("/v1/subscriptions/" + sub)).getString("state"), "Esc says no");
            tabTo(b, "button[aria-label='Pause " + sub + "']");
            keys(b, Keys.ENTER);
            awaitFocusIn(b, ".ui-dialog");
            answer(b, "Yes");
            b.awaitText("Paused " + sub + ".");
            assertEquals("paused", json(Stack.get("/v1/subscriptions/" + sub)).getString("state"));
        }
    }

    static void keys(Browser b, CharSequence... keys) {
        new Actions(b.driver).sendKeys(keys).perform();
    }

    static Object active(Browser b, String script) {
        return ((JavascriptExecutor) b.driver).executeScript(script);
    }

    /** Presses Tab until the focused element matches the selector (and shows the text, when given). */
    static void tabTo(Browser b, String css, String... text) {
        String want = text.length == 0 ? null : text[0];
        for (int i = 0; i < 200; i++) {
            Boolean there = (Boolean) ((JavascriptExecutor) b.driver)
                    .executeScript(
                            "var e = document.activeElement; return !!e && e.matches(arguments[0])"
                                    + " && (arguments[1] === null || e.textContent.trim() === arguments[1])",
                            css,
                            want);
            if (there) {
                return;
            }
            keys(b, Keys.TAB);
        }
        throw new AssertionError("Tab never reached " + css + (want == null ? "" : " " + want) + " on " + b.text());
    }

    /** Waits until the focus is inside a shown element matching the selector (a dialog that took it). */
    static void awaitFocusIn(Browser b, String css) {
        new WebDriverWait(b.driver, Duration.ofSeconds(10))
                .withMessage(() -> "the focus is not in " + css + ": "
                        + active(b, "var e = document.activeElement; return e ? e.outerHTML.substring(0, 200) : null"))
                .until(d -> (Boolean) ((JavascriptExecutor) d)
                        .executeScript(
                                "var e = document.activeElement; var c = e && e.closest(arguments[0]);"
                                        + " return !!c && c.getClientRects().length > 0",
                                css));
    }

    /** @return whether no dialog is shown */
    static boolean noDialogShown(Browser b) {
        return (Boolean) ((JavascriptExecutor) b.driver)
                .executeScript("return [...document.querySelectorAll('.ui-dialog')].every(d =>"
                        + " d.getClientRects().length === 0 || getComputedStyle(d).visibility === 'hidden')");
    }

    /** Tabs to the visible dialog's button with the text and presses Enter. */
    static void answer(Browser b, String button) {
        for (int i = 0; i < 10; i++) {
            Boolean there = (Boolean) ((JavascriptExecutor) b.driver)
                    .executeScript(
                            "var e = document.activeElement; return !!e && e.tagName === 'BUTTON'"
                                    + " && e.textContent.trim() === arguments[0] && e.getClientRects().length > 0",
                            button);
            if (there) {
                keys(b, Keys.ENTER);
                return;
            }
            keys(b, Keys.TAB);
        }
        throw new AssertionError("Tab never reached the dialog's " + button);
    }

    /**
     * Tabs through the page from its top until the focus comes back to the skip link, checking that each focused
     * element shows its focus (an outline of 2 px or more, or a focus shadow; for PrimeFaces' hidden inputs, on the
     * widget they belong to).
     *
     * @return the elements that showed no focus, as "page: element"
     */
    static List<String> walk(Browser b, String page) {
        List<String> unseen = new ArrayList<>();
        ((JavascriptExecutor) b.driver).executeScript("document.activeElement && document.activeElement.blur()");
        int skipLinks = 0;
        for (int i = 0; i < 150 && skipLinks < 2; i++) {
            keys(b, Keys.TAB);
            String problem = (String) ((JavascriptExecutor) b.driver).executeScript(FOCUS_SHOWN);
            if ("skip".equals(problem)) {
                skipLinks++;
            } else if (problem != null && !problem.equals("none")) {
                unseen.add(page + ": " + problem);
            }
        }
        return unseen;
    }

    /** Answers null when the focused element shows its focus, "skip" for the skip link, else what is focused. */
    static final String FOCUS_SHOWN =
            """
            var e = document.activeElement;
            if (!e || e === document.body || e === document.documentElement) return 'none';
            if (e.id === 'skipLink') return 'skip';
            var t = e;
            var w = e.closest('.ui-chkbox, .ui-radiobutton, .ui-selectonemenu, .ui-selectcheckboxmenu, .ui-inputswitch,'
                + ' .ui-inputnumber, .ui-password');
            if (e.closest('.ui-helper-hidden-accessible') && w) {
              t = w.classList.contains('ui-state-focus') ? w : (w.querySelector('.ui-state-focus') || w);
            }
            var cs = getComputedStyle(t);
            var outlined = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2;
            var shadowed = cs.boxShadow && cs.boxShadow !== 'none';
            var r = t.getBoundingClientRect();
            if ((outlined || shadowed) && r.width > 1 && r.height > 1) return null;
            return e.tagName.toLowerCase() + '#' + e.id + '.' + e.className + ' "' + (e.textContent || '').trim()
                .substring(0, 40) + '" outline ' + cs.outlineStyle + ' ' + cs.outlineWidth + ', shadow ' + cs.boxShadow
                + ', size ' + Math.round(r.width) + 'x' + Math.round(r.height);
            """;
}
