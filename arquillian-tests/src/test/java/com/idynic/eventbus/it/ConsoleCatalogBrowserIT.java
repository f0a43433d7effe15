package com.idynic.eventbus.it;

import static com.idynic.eventbus.it.Stack.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * The console's Catalog, Flows and Schemas pages in a real headless Chromium, over a type registered, published and
 * subscribed to through the REST API: the catalog names its publisher, its subscribers with the schema version each
 * reads, and its latest event; the flow graph draws the subscription with a dead letter in red; an admin's
 * incompatible schema version is refused on the Schemas page with the error's details.
 */
class ConsoleCatalogBrowserIT {
    static final String SCHEMA_V1 =
            "{\"type\":\"object\",\"properties\":{\"orderId\":{\"type\":\"string\"}},\"required\":[\"orderId\"]}";
    static final String SCHEMA_BREAKING = "{\"type\":\"object\",\"properties\":{\"orderId\":{\"type\":\"string\"},"
            + "\"customer\":{\"type\":\"string\"}},\"required\":[\"orderId\",\"customer\"]}";

    static String operatorKey;

    @BeforeAll
    static void services() {
        Stack.awaitReady();
        operatorKey = AuthIT.service(WebhookIT.unique("catalog-op-"), "{\"roles\":[\"operator\"]}");
    }

    @Test
    void theCatalogShowsPublisherSubscribersAndSampleTheFlowsShowTheFailingSubscriptionAndSchemasRefuseABreak() {
        String type = WebhookIT.unique("it.catalog.t");
        String ok = WebhookIT.unique("catalog-ok-");
        String bad = WebhookIT.unique("catalog-bad-");
        HttpResponse<String> registered =
                Stack.postJson("/v1/schemas/" + type + "/versions", "{\"schema\":" + SCHEMA_V1 + "}");
        assertEquals(201, registered.statusCode(), registered.body());
        Subscriptions.create(
                ok,
                "{\"eventTypes\":[\"" + type + "\"],\"target\":{\"type\":\"pull\"},\"schemaVersions\":{\"" + type
                        + "\":1}}");
        Subscriptions.create(
                bad, "{\"eventTypes\":[\"it.catalog.*\"],\"target\":{\"type\":\"pull\"},\"ordering\":\"unordered\"}");
        String id = Subscriptions.publish(type, null, "{\"orderId\":\"o-77\"}");
        List<String> pulled = new ArrayList<>();
        await(Duration.ofSeconds(30), "pulled", () -> {
            PullIT.pull(bad, 1000, 60_000).forEach(d -> pulled.add(PullIT.id(d)));
            return pulled.contains(id);
        });
        assertEquals(
                1,
                PullIT.settle(bad, "nack", "{\"eventIds\":[\"" + id + "\"],\"reject\":true,\"reason\":\"HTTP 500\"}"));

        try (Browser b = Browser.open()) {
            b.signIn(operatorKey);
            b.awaitText("Signed in as");

            b.go("/admin/catalog.xhtml?type=" + type);
            b.awaitText("Sample (latest stored event)");
            assertEquals("BACKWARD", b.find("#compatibility strong").getText());
            assertEquals(
                    List.of("user-service 1"),
                    rows(b, "#publishers tbody tr", 2),
                    "the admin key's events carry source user-service");
            assertEquals(
                    List.of(bad + " it.catalog.* latest", ok + " " + type + " 1"),
                    rows(b, "#subscribers tbody tr", List.of(0, 2, 3)).stream()
                            .filter(r -> r.startsWith("catalog-"))
                            .toList(),
                    "the subscribers, the selector that matches and the schema version each reads");
            assertTrue(
                    b.find("#sample").getText().contains("\"o-77\""),
                    b.find("#sample").getText());
            assertEquals(id, b.find("a[id$='sampleLink']").getText());
            b.screenshot("catalog");

            b.go("/admin/flows.xhtml");
            b.find("[id='flow-subscription-" + bad + "']");
            assertEquals(
                    "flow-node flow-subscription failing",
                    b.find("[id='flow-subscription-" + bad + "'] g").getAttribute("class"),
                    "a dead letter makes the subscription red");
            assertEquals(
                    "flow-node flow-subscription",
                    b.find("[id='flow-subscription-" + ok + "'] g").getAttribute("class"));
            assertEquals(
                    "/admin/catalog.xhtml?type=" + type,
                    b.find("[id='flow-type-" + type + "']").getDomAttribute("href"),
                    "the type's box links to its catalog entry");
            String failing = b.find("#failing").getText();
            assertTrue(failing.contains(bad + " — ") && failing.contains("1 dead letter"), failing);
            assertFalse(failing.contains(ok), "the healthy subscription is not listed");
            b.screenshot("flows");
        }

        try (Browser b = Browser.open()) {
            b.signIn(Stack.adminKey());
            b.awaitText("Signed in as");
            b.go("/admin/schemas.xhtml");
            b.type("input[id='schemas:eventType']", type);
            b.type("textarea[id='schemas:schemaJson']", SCHEMA_BREAKING);
            b.click("button[id='schemas:check']");
            b.awaitText("Not compatible (BACKWARD)");
            b.click("button[id='schemas:register']");
            b.confirm();
            b.awaitText("INCOMPATIBLE_SCHEMA");
            String outcome = b.find("#outcome").getText();
            assertTrue(outcome.contains("breaks BACKWARD compatibility"), outcome);
            assertTrue(outcome.contains("field data.customer became required"), outcome);
            b.screenshot("schemas");
        }
        HttpResponse<String> versions = Stack.get("/v1/schemas/" + type + "/versions");
        assertEquals(1, Stack.json(versions).getJsonArray("versions").size(), "the refused version is not stored");
    }

    @Test
    void anAdminIssuesAKeyShownOnceAndRevokesIt() {
        String name = WebhookIT.unique("catalog-keys-");
        AuthIT.service(name, "{\"roles\":[\"operator\"]}");
        String key;
        try (Browser b = Browser.open()) {
            b.signIn(Stack.adminKey());
            b.awaitText("Signed in as");
            b.go("/admin/services.xhtml");
            b.driver
                    .findElement(By.xpath("//tr[td[normalize-space(.)='" + name + "']]//a[contains(@id,':keys')]"))
                    .click();
            b.awaitText("Keys of " + name);
            assertEquals(
                    1,
                    b.driver
                            .findElements(By.cssSelector("[id='svc:keyTable'] tbody tr"))
                            .size());
            b.click("button[id='svc:issue']");
            b.confirm();
            key = b.find("#issuedKey").getText();
            assertEquals(
                    200,
                    AuthIT.call("POST", "/v1/auth/token", null, "{\"apiKey\":\"" + key + "\"}")
                            .statusCode(),
                    "the key shown works");
            String keyId = b.find("#issued").getText().replaceAll("(?s)New key (\\S+) .*", "$1");
            assertEquals(
                    2,
                    b.driver
                            .findElements(By.cssSelector("[id='svc:keyTable'] tbody tr"))
                            .size());
            b.driver
                    .findElement(
                            By.xpath("//tr[td[normalize-space(.)='" + keyId + "']]//button[contains(@id,':revoke')]"))
                    .click();
            b.confirm();
            b.awaitText("Revoked key " + keyId + " of " + name + ".");
            assertFalse(b.text().contains(key), "the key is shown once");
            b.screenshot("services-keys");
        }
        assertEquals(
                401,
                AuthIT.call("POST", "/v1/auth/token", null, "{\"apiKey\":\"" + key + "\"}")
                        .statusCode(),
                "the revoked key opens nothing");
    }

    /** @return each row's cells (by index), joined by spaces */
    private static List<String> rows(Browser b, String css, List<Integer> cells) {
        List<String> out = new ArrayList<>();
        b.find(css);
        for (var row : b.driver.findElements(By.cssSelector(css))) {
            var tds = row.findElements(By.tagName("td"));
            List<String> parts = new ArrayList<>();
            cells.forEach(i -> parts.add(tds.get(i).getText()));
            out.add(String.join(" ", parts));
        }
        return out;
    }

    private static List<String> rows(Browser b, String css, int cellCount) {
        List<Integer> cells = new ArrayList<>();
        for (int i = 0; i < cellCount; i++) {
            cells.add(i);
        }
        return rows(b, css, cells);
    }
}
