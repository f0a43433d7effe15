package com.idynic.eventbus.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.idynic.eventbus.testing.SettableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertLoopTest {
    final SettableClock clock = SettableClock.at("2026-12-10T12:00:00Z");
    final ScriptedFigures figures = new ScriptedFigures();
    final Monitoring monitoring = figures.monitoring(clock, figures.loops(clock), Duration.ZERO, new ArrayList<>());
    final InMemoryAlertStore store = new InMemoryAlertStore();
    final List<String> posted = new ArrayList<>();
    final AlertNotifier notifier = new AlertNotifier(
            store,
            (target, headers, body) -> {
                posted.add(headers.get("eventbus-alert") + " " + body);
                return 204;
            },
            new AlertNotifier.Settings(Duration.ofSeconds(10), 5),
            clock);
    final AlertLoop loop =
            new AlertLoop(store, monitoring, notifier, new AlertLoop.Settings(Duration.ofSeconds(15)), clock);

    AlertRule rule(String id, AlertMetric metric, String op, double threshold, String subscription, Duration hold) {
        AlertRule r = new AlertRule(
                id,
                "rule " + id,
                metric,
                AlertRule.Comparison.of(op),
                threshold,
                subscription,
                hold,
                true,
                "https://alerts.example/hook",
                AlertRule.State.OK,
                clock.instant(),
                clock.instant(),
                clock.instant());
        store.create(r, "whsec_" + "A".repeat(43) + "=");
        return r;
    }

    List<String> history() {
        List<AlertEvent> oldestFirst = new ArrayList<>(store.history(null, 0, 100));
        java.util.Collections.reverse(oldestFirst);
        return oldestFirst.stream()
                .map(e -> e.kind() + " " + e.ruleId() + " " + e.value() + ": " + e.message())
                .toList();
    }

    @Test
    void aRuleWhoseConditionHoldsFiresOnceAndResolvesOnceWhenItStops() {
        rule("dlq", AlertMetric.DEAD_LETTER_QUEUE_SIZE, ">", 0, "billing", Duration.ZERO);
        figures.only("billing", 0, 3, 0, 0);

        loop.pass();
        loop.pass();
        assertEquals(AlertRule.State.FIRING, store.rules.get("dlq").state());
        figures.only("billing", 0, 0, 0, 0);
        clock.advance(Duration.ofSeconds(15));
        loop.pass();
        loop.pass();

        assertEquals(
                List.of(
                        "FIRING dlq 3.0: dead_letter_queue_size of subscription billing is 3 (> 0)",
                        "RESOLVED dlq 0.0: resolved: dead_letter_queue_size of subscription billing is 0 (rule:"
                                + " dead_letter_queue_size of subscription billing > 0)"),
                history());
        assertEquals(2, posted.size(), posted.toString());
        assertEquals(AlertRule.State.OK, store.rules.get("dlq").state());
    }

    @Test
    void aRuleWithAHoldTimeFiresOnlyOnceItsConditionHasHeldThatLong() {
        rule("slow", AlertMetric.QUEUE_DEPTH, ">", 10_000, null, Duration.ofMinutes(1));
        figures.only("billing", 12_000, 0, 0, 0);

        loop.pass();
        assertEquals(AlertRule.State.PENDING, store.rules.get("slow").state());
        clock.advance(Duration.ofSeconds(59));
        loop.pass();
        assertEquals(AlertRule.State.PENDING, store.rules.get("slow").state());
        assertEquals(List.of(), history());

        clock.advance(Duration.ofSeconds(1));
        loop.pass();

        assertEquals(AlertRule.State.FIRING, store.rules.get("slow").state());
        assertEquals(List.of("FIRING slow 12000.0: queue_depth is 12000 (> 10000)"), history());
    }

    @Test
    void aConditionThatStopsWithinTheHoldTimeLeavesNoHistory() {
        rule("slow", AlertMetric.QUEUE_DEPTH, ">", 10_000, null, Duration.ofMinutes(1));
        figures.only("billing", 12_000, 0, 0, 0);
        loop.pass();
        figures.only("billing", 3, 0, 0, 0);
        clock.advance(Duration.ofSeconds(30));

        loop.pass();

        assertEquals(AlertRule.State.OK, store.rules.get("slow").state());
        assertEquals(List.of(), history());
        assertEquals(List.of(), posted);
    }

    @Test
    void aSuccessRateBelowItsThresholdFiresAndNoAttemptsInTheWindowIsNoValueWhichResolves() {
        rule("rate", AlertMetric.DELIVERY_SUCCESS_RATE, "<", 99.9, "billing", Duration.ZERO);
        figures.only("billing", 0, 0, 1000, 998);

        loop.pass();
        figures.only("billing", 0, 0, 0, 0);
        loop.pass();

        assertEquals(
                List.of(
                        "FIRING rate 99.8: delivery_success_rate of subscription billing is 99.8% (< 99.9%)",
                        "RESOLVED rate null: resolved: delivery_success_rate of subscription billing has no value now"
                                + " (rule: delivery_success_rate of subscription billing < 99.9%)"),
                history());
    }

    @Test
    void aRuleOnADeletedSubscriptionOrADisabledRuleDoesNotHold() {
        rule("gone", AlertMetric.QUEUE_DEPTH, ">", 0, "deleted", Duration.ZERO);
        AlertRule off = rule("off", AlertMetric.QUEUE_DEPTH, ">", 0, null, Duration.ZERO);
        figures.only("billing", 5, 0, 0, 0);
        loop.pass();
        assertEquals(List.of("FIRING off 5.0: queue_depth is 5 (> 0)"), history());

        store.replace(
                new AlertRule(
                        off.id(),
                        off.name(),
                        off.metric(),
                        off.operator(),
                        off.threshold(),
                        null,
                        off.holdFor(),
                        false,
                        off.notifyUrl(),
                        off.state(),
                        off.stateSince(),
                        off.createdAt(),
                        clock.instant()),
                null);
        loop.pass();

        assertEquals(AlertRule.State.OK, store.rules.get("gone").state());
        assertEquals(
                "RESOLVED off null: resolved: queue_depth is no longer watched (rule disabled) (rule: queue_depth > 0)",
                history().get(1));
    }

    @Test
    void whenAnotherServerMovedTheRuleFirstThisOneRecordsNothing() {
        rule("dlq", AlertMetric.DEAD_LETTER_QUEUE_SIZE, ">", 100, null, Duration.ZERO);
        figures.only("billing", 0, 101, 0, 0);
        store.movedElsewhere.add("dlq");

        assertEquals(0, loop.evaluate());

        assertEquals(List.of(), history());
        assertEquals(List.of(), posted);
    }
}
