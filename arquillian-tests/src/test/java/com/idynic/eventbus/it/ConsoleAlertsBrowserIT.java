package com.idynic.eventbus.it;

import static com.idynic.eventbus.it.Stack.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console's alerts and audit pages in a real headless Chromium: an operator creates a rule with a webhook on a
 * failing subscription, sees it fire (also on the overview) and resolve once the subscriber is fixed; a pause made
 * in the console and one made through the REST API are both in {@code GET /v1/audit} with their actors, and on
 * the audit page. The test server evaluates alert rules every second. Screenshots go to {@code target/screenshots}.
 */
class ConsoleAlertsBrowserIT {
    @RegisterExtension
    static final WebhookReceiver receiver = new WebhookReceiver();

    /** Rules are evaluated every second; the figures they read are cached a few seconds. */
    static final Duration WAIT = Duration.ofSeconds(90);

    static String operator;
    static String operatorKey;

    @BeforeAll
    static void services() {
        Stack.awaitReady();
        operator = WebhookIT.unique("console-alert-op-");
        operatorKey = AuthIT.service(operator, "{\"roles\":[\"operator\"]}");
    }

    /** Waits (longer than the browser's default) until the element's text contains the text. */
    static void awaitIn(Browser b, String css, String text) {
        new WebDriverWait(b.driver, WAIT)
                .ignoring(StaleElementReferenceException.class)
                .until(d -> d.findElements(By.cssSelector(css)).stream()
                        .anyMatch(e -> e.getText().contains(text)));
    }

    /** @return the texts of the elements, read again if the page re-rendered them meanwhile */
    static List<String> texts(Browser b, String css) {
        return new WebDriverWait(b.driver, Duration.ofSeconds(30))
                .ignoring(StaleElementReferenceException.class)
                .until(d -> d.findElements(By.cssSelector(css)).stream()
                        .map(WebElement::getText)
                        .toList());
    }

    /** Replaces a field's text as a person does: select all, type (a number field is not emptied by clear()). */
    static void retype(Browser b, String css, String text) {
        WebElement e = b.find(css);
        e.click();
        e.sendKeys(Keys.chord(Keys.CONTROL, "a"), text);
    }

    /** @return the audit entries matching the query, newest first, as "actor action" */
    static List<String> audit(String query) {
        return json(Stack.get("/v1/audit?" + query)).getJsonArray("entries").stream()
                .map(JsonValue::asJsonObject)
                .map(e -> e.getString("actor") + " " + e.getString("action"))
                .toList();
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void anOperatorCreatesARuleOnAFailingSubscriptionSeesItFireThenResolveWhenTheSubscriberIsFixed() {
        String sub = WebhookIT.unique("console-al-");
        String type = "it.console.al." + sub;
        String name = "DLQ of " + sub;
        AtomicBoolean fixed = new AtomicBoolean();
        receiver.on("/" + sub, c -> fixed.get() ? WebhookReceiver.Answer.ok() : WebhookReceiver.Answer.status(500));
        receiver.on("/alerts-" + sub, c -> new WebhookReceiver.Answer(204, null, 0));
        Subscriptions.webhook(sub, type, receiver.url("/" + sub), "unordered", 1);

        try (Browser b = Browser.open()) {
            b.signIn(operatorKey);
            b.awaitText("Signed in as");
            b.go("/admin/alerts.xhtml");
            b.awaitText("Active alerts");
            String page = b.text();
            for (String builtIn :
                    List.of("delivery-success-rate", "processing-time", "queue-depth", "dead-letter-queue-size")) {
                assertTrue(page.contains(builtIn), builtIn + " is a rule: " + page);
            }

            b.type("input[id='alerts:name']", name);
            b.click("div[id='alerts:subscription']");
            b.type("input[id='alerts:subscription_filter']", sub);
            b.click("li[data-label='" + sub + "']");
            retype(b, "input[id='alerts:threshold_input']", "0");
            retype(b, "input[id='alerts:forSeconds_input']", "0");
            b.type("input[id='alerts:notifyUrl']", receiver.url("/alerts-" + sub));
            b.click("button[id='alerts:save']");
            b.awaitText("shown this once");
            String created = b.text();
            assertTrue(
                    created.contains("dead_letter_queue_size of subscription " + sub + " > 0"),
                    "the rule's condition: " + created);
            assertTrue(created.contains("whsec_"), "the signing secret is shown once: " + created);

            JsonObject rule = json(Stack.get("/v1/alerts/rules")).getJsonArray("rules").stream()
                    .map(JsonValue::asJsonObject)
                    .filter(r -> r.getString("name").equals(name))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no rule named " + name));
            String id = rule.getString("id");
            assertEquals(sub, rule.getString("subscription"));
            assertEquals(0, rule.getInt("forSeconds"));
            assertEquals(
                    receiver.url("/alerts-" + sub), rule.getJsonObject("notify").getString("url"));
            b.go("/admin/alerts.xhtml");
            assertTrue(!b.text().contains("whsec_"), "the secret is not shown again");

            Subscriptions.publish(type, null, "{\"n\":1}");
            awaitIn(b, "[id='alerts:active']", name);
            awaitIn(b, "[id='alerts:history']", "FIRING");
            assertEquals(List.of("firing"), AlertsIT.kinds(id));
            b.screenshot("alerts");

            b.go("/admin/index.xhtml");
            awaitIn(b, "[id='activeAlerts']", name);

            fixed.set(true);
            assertEquals(
                    200,
                    Stack.postJson("/v1/subscriptions/" + sub + "/dead-letters/redrive", "{\"all\":true}")
                            .statusCode());
            b.go("/admin/alerts.xhtml");
            awaitIn(b, "[id='alerts:history']", "RESOLVED");
            new WebDriverWait(b.driver, WAIT)
                    .ignoring(StaleElementReferenceException.class)
                    .until(d -> !d.findElement(By.cssSelector("[id='alerts:active']"))
                            .getText()
                            .contains(name));
            List<String> history = texts(b, "[id='alerts:history'] tbody tr").stream()
                    .filter(t -> t.contains(id))
                    .map(t -> t.contains("RESOLVED") ? "RESOLVED" : t.contains("FIRING") ? "FIRING" : t)
                    .toList();
            assertEquals(List.of("RESOLVED", "FIRING"), history, "newest first");
            assertEquals(List.of("firing", "resolved"), AlertsIT.kinds(id));
            b.screenshot("alerts-resolved");

            clickInRow(b, "alerts:rules_data", id, "delete");
            b.awaitText("Delete rule " + id + "?");
            b.confirm();
            b.awaitText("Deleted " + id + ".");
            assertEquals(404, Stack.get("/v1/alerts/rules/" + id).statusCode());
        }
        assertEquals(
                List.of(operator + " alert-rule-create"),
                audit("actor=" + enc(operator) + "&action=alert-rule-create"));
        assertEquals(
                List.of(operator + " alert-rule-delete"),
                audit("actor=" + enc(operator) + "&action=alert-rule-delete"));
    }

    /** Clicks the button of the table row that shows {@code rowText} (again if the page re-rendered the row). */
    static void clickInRow(Browser b, String tbodyId, String rowText, String button) {
        By by = By.xpath("//tbody[@id='" + tbodyId + "']/tr[.//*[normalize-space(text())='" + rowText
                + "']]//button[contains(@id,':" + button + "')]");
        new WebDriverWait(b.driver, Duration.ofSeconds(30))
                .ignoring(StaleElementReferenceException.class)
                .until(d -> {
                    d.findElement(by).click();
                    return true;
                });
    }

    @Test
    void aPauseInTheConsoleAndOneThroughTheApiAreBothInTheAuditLogWithTheirActors() {
        String sub = WebhookIT.unique("console-au-");
        Subscriptions.create(sub, "{\"eventTypes\":[\"it.console.au.x\"],\"target\":{\"type\":\"pull\"}}");

        try (Browser b = Browser.open()) {
            b.signIn(operatorKey);
            b.awaitText("Signed in as");
            b.go("/admin/subscriptions.xhtml");
            clickInRow(b, "subs:table_data", sub, "pause");
            b.awaitText("Pause " + sub + "?");
            b.confirm();
            b.awaitText("Paused " + sub + ".");

            assertEquals(
                    200,
                    Stack.post("/v1/subscriptions/" + sub + "/resume", null, "").statusCode());
            assertEquals(
                    200,
                    Stack.post("/v1/subscriptions/" + sub + "/pause", null, "").statusCode());

            assertEquals(
                    List.of("admin subscription-pause", operator + " subscription-pause"),
                    audit("subscription=" + sub + "&action=subscription-pause"),
                    "newest first: the API's pause (the admin's token), then the console's (the operator)");
            assertEquals(
                    List.of(
                            "admin subscription-pause",
                            "admin subscription-resume",
                            operator + " subscription-pause",
                            "admin subscription-create"),
                    audit("subscription=" + sub));
            assertEquals(
                    List.of(operator + " console-sign-in"),
                    audit("actor=" + enc(operator) + "&action=console-sign-in&limit=1"));

            b.go("/admin/audit.xhtml");
            b.type("input[id='audit:subscription']", sub);
            b.click("button[id='audit:search']");
            awaitIn(b, "[id='audit:entries']", "subscription-resume");
            List<String> rows = texts(b, "[id='audit:entries'] tbody tr");
            assertEquals(4, rows.size(), String.join("\n", rows));
            assertTrue(rows.get(0).contains("admin") && rows.get(0).contains("subscription-pause"), rows.get(0));
            assertTrue(rows.get(2).contains(operator) && rows.get(2).contains("subscription-pause"), rows.get(2));
            b.screenshot("audit");

            b.click("button[id='signOutForm:signOut']");
            b.find("input[id='signIn:apiKey']");
        }
        assertEquals(
                List.of(operator + " console-sign-out"), audit("actor=" + enc(operator) + "&action=console-sign-out"));
    }
}
