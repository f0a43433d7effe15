package com.idynic.eventbus.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.ErrorCode;
import com.idynic.eventbus.broker.spi.RetentionPolicy;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetentionServiceTest {
    final RetentionManagerTest.FakeStore store = new RetentionManagerTest.FakeStore();
    final RetentionManagerTest.FakeRuns runs = new RetentionManagerTest.FakeRuns();
    final RetentionManager manager = new RetentionManager(
            store,
            runs,
            new RetentionManager.Settings(Duration.ofDays(7), Duration.ofMinutes(5), 100, Duration.ofSeconds(20)),
            age -> {},
            Clock.fixed(RetentionManagerTest.NOW, ZoneOffset.UTC),
            r -> {});
    final List<String> audited = new java.util.ArrayList<>();
    final RetentionService retention = new RetentionService(
            manager, store, (actor, action, sub, detail) -> audited.add(actor + " " + action + " " + detail));

    static JsonObject body(String json) {
        return Json.createReader(new java.io.StringReader(json)).readObject();
    }

    BusException refused(String type, String json) {
        return assertThrows(BusException.class, () -> retention.savePolicy("ops", type, body(json)));
    }

    @Test
    void aPolicyForAnExactTypeIsStoredWithItsAgeAndCount() {
        RetentionPolicyView p =
                retention.savePolicy("ops", "order.placed", body("{\"maxAgeSeconds\":60,\"maxCount\":5}"));
        assertEquals(new RetentionPolicyView("order.placed", Duration.ofSeconds(60), 5L), p);
        assertEquals(List.of(new RetentionPolicy("order.placed", Duration.ofSeconds(60), 5L)), store.policies());
        assertEquals(List.of(p), retention.overview().policies());
        assertEquals(Duration.ofDays(7), retention.overview().defaultMaxAge());
    }

    @Test
    void aPolicyWithoutACountOrWithANullCountKeepsEveryEventUpToItsAge() {
        assertEquals(
                null,
                retention
                        .savePolicy("ops", "a.b", body("{\"maxAgeSeconds\":1}"))
                        .maxCount());
        assertEquals(
                null,
                retention
                        .savePolicy("ops", "a.b", body("{\"maxAgeSeconds\":1,\"maxCount\":null}"))
                        .maxCount());
    }

    @Test
    void aSelectorIsNoTypeToKeepEventsOf() {
        BusException e = refused("order.*", "{\"maxAgeSeconds\":60}");
        assertEquals(Map.of("field", "eventType", "error", "must be an exact event type"), e.details());
        assertEquals(List.of(), store.policies());
    }

    @Test
    void anAgeMustBeAWholeNumberOfSecondsFromOneToOneHundredYears() {
        for (String age : List.of("0", "1.5", "3153600001", "\"60\"")) {
            BusException e = refused("a.b", "{\"maxAgeSeconds\":" + age + "}");
            assertEquals("maxAgeSeconds", e.details().get("field"), age);
            assertEquals(
                    "must be a whole number of seconds from 1 to 3153600000 (100 years)",
                    e.details().get("error"));
        }
        refused("a.b", "{}");
        retention.savePolicy("ops", "a.b", body("{\"maxAgeSeconds\":3153600000}"));
    }

    @Test
    void aCountMustBeAPositiveInteger() {
        for (String count : List.of("0", "-1", "2.5", "\"5\"", "9223372036854775808")) {
            BusException e = refused("a.b", "{\"maxAgeSeconds\":60,\"maxCount\":" + count + "}");
            assertEquals(Map.of("field", "maxCount", "error", "must be a positive integer"), e.details(), count);
        }
        assertEquals(List.of(), store.policies());
    }

    @Test
    void theTypeIsCheckedBeforeTheAge() {
        assertEquals("eventType", refused("*", "{}").details().get("field"));
    }

    @Test
    void removingAPolicyThatDoesNotExistIsNotFound() {
        retention.savePolicy("ops", "a.b", body("{\"maxAgeSeconds\":60}"));
        retention.deletePolicy("ops", "a.b");
        assertEquals(List.of(), store.policies());
        BusException e = assertThrows(BusException.class, () -> retention.deletePolicy("ops", "a.b"));
        assertEquals(ErrorCode.NOT_FOUND, e.errorCode());
        assertEquals("No retention policy for 'a.b'", e.getMessage());
        assertEquals(Map.of("eventType", "a.b"), e.details());
    }

    @Test
    void policyChangesAndStartedRunsAreAuditedWithTheCaller() {
        retention.savePolicy("ops", "a.b", body("{\"maxAgeSeconds\":60,\"maxCount\":5}"));
        refused("a.b", "{\"maxAgeSeconds\":0}");
        retention.deletePolicy("root", "a.b");
        RetentionService.Start run = retention.start("ops");
        retention.start("ops");

        assertEquals(
                List.of(
                        "ops retention-policy-set a.b: maxAgeSeconds 60, maxCount 5",
                        "root retention-policy-delete a.b",
                        "ops retention-run " + run.run().id()),
                audited);
    }

    @Test
    void aSecondStartWhileARunIsRunningAnswersTheRunningOne() {
        RetentionService.Start first = retention.start("ops");
        RetentionService.Start second = retention.start("ops");
        assertTrue(first.started());
        assertFalse(second.started());
        assertEquals(first.run().id(), second.run().id());
        assertEquals(first.run().id(), retention.run(first.run().id()).id());
        assertEquals(
                first.run().id(), retention.overview().lastRun().orElseThrow().id());
    }

    @Test
    void anUnknownRunIsNotFound() {
        BusException e = assertThrows(BusException.class, () -> retention.run("ret-x"));
        assertEquals(ErrorCode.NOT_FOUND, e.errorCode());
        assertEquals(Map.of("runId", "ret-x"), e.details());
    }

    @Test
    void aRunIsShownByItsStateNameWithWhatItRemovedInAll() {
        RetentionRunView r = RetentionRunView.of(new com.idynic.eventbus.broker.spi.RetentionRun(
                "ret-1",
                com.idynic.eventbus.broker.spi.RetentionRun.State.DONE,
                "api",
                java.util.Map.of("order.placed", 2L, "*", 3L),
                4,
                null,
                RetentionManagerTest.NOW,
                RetentionManagerTest.NOW,
                RetentionManagerTest.NOW,
                null));

        assertEquals("DONE", r.state());
        assertEquals(5, r.total());
        assertFalse(r.running());
    }
}
