package com.idynic.eventbus.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.InvalidFieldException;
import com.idynic.eventbus.subscribers.AddressGuard;
import com.idynic.eventbus.testing.SettableClock;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AlertRulesTest {
    final SettableClock clock = SettableClock.at("2026-12-10T12:00:00Z");
    final ScriptedFigures figures = new ScriptedFigures();
    final InMemoryAlertStore store = new InMemoryAlertStore();
    final List<String> audited = new ArrayList<>();
    final AddressGuard guard = new AddressGuard(
            List.of(), host -> new InetAddress[] {InetAddress.getByAddress(host, new byte[] {93, (byte) 184, 9, 34})});
    final AlertRules rules = new AlertRules(
            store,
            figures.monitoring(clock, figures.loops(clock), Duration.ZERO, new ArrayList<>()),
            guard,
            Set.of("billing")::contains,
            (actor, action, subscription, detail) ->
                    audited.add(actor + " " + action + " " + subscription + " " + detail),
            clock);

    static RuleSpec spec(String metric, String op, double threshold, String subscription, String url, String secret) {
        return new RuleSpec(
                "my rule",
                AlertMetric.of(metric),
                AlertRule.Comparison.of(op),
                threshold,
                subscription,
                Duration.ZERO,
                true,
                url,
                secret);
    }

    static String field(Runnable r) {
        return ((InvalidFieldException) assertThrows(InvalidFieldException.class, r::run))
                .details()
                .get("field")
                .toString();
    }

    @Test
    void theDefaultRulesAreTheSeedsThresholdsForTheWholeBusStoredOnce() {
        assertTrue(rules.seedDefaults());
        assertEquals(
                List.of(
                        "dead_letter_queue_size > 100",
                        "delivery_success_rate < 99.9%",
                        "processing_time_p99 > 500ms",
                        "queue_depth > 10000"),
                rules.rules().stream().map(AlertRule::condition).toList());
        assertTrue(rules.rules().stream().allMatch(r -> r.holdFor().equals(Duration.ofMinutes(1))));
        store.delete("queue-depth");
        assertFalse(rules.seedDefaults(), "a deleted default rule stays deleted");

        assertEquals(
                List.of("dead_letter_queue_size > 100", "delivery_success_rate < 99.9%", "processing_time_p99 > 500ms"),
                rules.rules().stream().map(AlertRule::condition).toList());
        assertTrue(rules.rules().stream().allMatch(r -> r.enabled() && r.notifyUrl() == null));
    }

    @Test
    void aRuleWithANotificationGetsASecretShownOnceAndKeptOnReplace() {
        AlertRules.Saved created = rules.create(
                "ops", spec("dead_letter_queue_size", ">", 0, "billing", "https://ops.example/alerts", null));

        assertTrue(created.created());
        assertTrue(
                created.rule().id().matches("alr-[0-9a-f]{12}"), created.rule().id());
        assertTrue(created.secret().startsWith("whsec_"), created.secret());
        assertEquals(created.secret(), store.secrets.get(created.rule().id()));
        assertEquals(AlertRule.State.OK, created.rule().state());

        clock.advance(Duration.ofMinutes(1));
        AlertRules.Saved replaced = rules.replace(
                "ops",
                created.rule().id(),
                spec("dead_letter_queue_size", ">", 10, "billing", "https://ops.example/alerts", null));

        assertNull(replaced.secret(), "the secret is not shown again");
        assertEquals(created.secret(), store.secrets.get(created.rule().id()), "and it is kept");
        assertEquals(10, rules.rule(created.rule().id()).threshold());
        assertEquals(clock.instant(), replaced.rule().updatedAt());
        assertEquals(created.rule().createdAt(), replaced.rule().createdAt());
        assertEquals(
                List.of(
                        "ops alert-rule-create billing " + created.rule().id()
                                + ": dead_letter_queue_size of subscription billing > 0",
                        "ops alert-rule-replace billing " + created.rule().id()
                                + ": dead_letter_queue_size of subscription billing > 10"),
                audited);
    }

    @Test
    void aReplaceKeepsTheStateSoAFiringRuleResolvesAtTheNextEvaluation() {
        AlertRule r = rules.create("ops", spec("queue_depth", ">", 0, null, null, null))
                .rule();
        store.rules.put(r.id(), r.withState(AlertRule.State.FIRING, clock.instant()));

        AlertRule replaced = rules.replace("ops", r.id(), spec("queue_depth", ">", 50, null, null, null))
                .rule();

        assertEquals(AlertRule.State.FIRING, replaced.state());
        assertEquals(AlertRule.State.FIRING, rules.rule(r.id()).state());
    }

    @Test
    void aNotificationUrlPassesTheAddressGuard() {
        assertEquals(
                "notify.url",
                field(() -> rules.create("ops", spec("queue_depth", ">", 0, null, "http://127.0.0.1:9080/x", null))));
        assertEquals(
                "notify.url",
                field(() -> rules.create("ops", spec("queue_depth", ">", 0, null, "ftp://x.example", null))));
        assertEquals(
                "notify.url", field(() -> rules.create("ops", spec("queue_depth", ">", 0, null, "http://a b", null))));
        assertEquals(List.of(), rules.rules());
    }

    @Test
    void invalidRulesAreRefusedNamingTheField() {
        assertEquals(
                "threshold",
                field(() -> rules.create("ops", spec("delivery_success_rate", "<", 100.1, null, null, null))));
        assertEquals("threshold", field(() -> rules.create("ops", spec("queue_depth", ">", -1, null, null, null))));
        assertEquals(
                "threshold", field(() -> rules.create("ops", spec("queue_depth", ">", Double.NaN, null, null, null))));
        assertEquals("subscription", field(() -> rules.create("ops", spec("queue_depth", ">", 1, "nope", null, null))));
        assertEquals(
                "subscription",
                field(() -> rules.create("ops", spec("outbox_backlog", ">", 1, "billing", null, null))));
        assertEquals("metric", field(() -> rules.create("ops", spec("nope", ">", 1, null, null, null))));
        assertEquals(
                "name",
                field(() -> rules.create(
                        "ops",
                        new RuleSpec(
                                "a\u0000b",
                                AlertMetric.QUEUE_DEPTH,
                                AlertRule.Comparison.ABOVE,
                                1,
                                null,
                                Duration.ZERO,
                                true,
                                null,
                                null))));
        assertEquals("operator", field(() -> rules.create("ops", spec("queue_depth", "=", 1, null, null, null))));
        assertEquals(
                "notify.secret",
                field(() ->
                        rules.create("ops", spec("queue_depth", ">", 1, null, "https://ops.example/a", "whsec_x"))));
        assertEquals(
                "notify.secret",
                field(() -> rules.create("ops", spec("queue_depth", ">", 1, null, null, "whsec_" + "A".repeat(24)))));
        assertEquals(List.of(), rules.rules());
        assertEquals(List.of(), audited);
    }

    @Test
    void anUnknownRuleIsNotFound() {
        BusException e = assertThrows(BusException.class, () -> rules.rule("alr-000000000000"));
        assertEquals("NOT_FOUND", e.errorCode());
        assertThrows(BusException.class, () -> rules.delete("ops", "alr-000000000000"));
        assertThrows(
                BusException.class,
                () -> rules.replace("ops", "alr-000000000000", spec("queue_depth", ">", 1, null, null, null)));
    }

    @Test
    void activeAlertsAreTheFiringRulesWithTheirValueNow() {
        AlertRule r = rules.create("ops", spec("queue_depth", ">", 0, "billing", null, null))
                .rule();
        rules.create("ops", spec("dead_letter_queue_size", ">", 0, "billing", null, null));
        store.rules.put(r.id(), r.withState(AlertRule.State.FIRING, clock.instant()));
        figures.only("billing", 17, 0, 0, 0);

        List<Alert> active = rules.active();

        assertEquals(List.of(new Alert(store.rules.get(r.id()), clock.instant(), 17.0)), active);
    }
}
