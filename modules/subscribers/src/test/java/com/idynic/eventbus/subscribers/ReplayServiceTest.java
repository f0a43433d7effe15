package com.idynic.eventbus.subscribers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.ErrorCode;
import com.idynic.eventbus.api.InvalidFieldException;
import com.idynic.eventbus.security.Role;
import com.idynic.eventbus.security.ServiceAccount;
import com.idynic.eventbus.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Starting replays and reading their progress, on a replay store in memory. */
class ReplayServiceTest {
    final SettableClock clock = new SettableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final InMemorySubscriptions subscriptions = new InMemorySubscriptions();
    final SubscriptionRegistry registry =
            new SubscriptionRegistry(subscriptions.store, subscriptions.cache, clock, Duration.ofSeconds(1));
    final ReplaysTest.History history = new ReplaysTest.History(5);
    final List<String> audited = new java.util.ArrayList<>();
    final ReplayService replays = new ReplayService(
            history,
            registry,
            clock,
            250,
            (actor, action, sub, detail) -> audited.add(actor + " " + action + " " + sub));

    ReplayServiceTest() {
        subscriptions.rows.put("orders", Subscription.pull("orders", "billing", List.of("*")));
    }

    static ReplayService.Request request(String to, Double rate, String source, boolean dryRun) {
        return new ReplayService.Request("earliest", to, List.of(), rate, source, dryRun);
    }

    static ServiceAccount account(String name, Role... roles) {
        return new ServiceAccount(name, Set.of(roles), List.of(), List.of("*"), List.of(), null, null);
    }

    @Test
    void aStartIsAuditedWithTheCallerAndADryRunOrARefusalIsNot() {
        replays.start("ops", "orders", request(null, null, "auto", true));
        assertThrows(
                InvalidFieldException.class, () -> replays.start("ops", "orders", request(null, 0.0, "auto", false)));
        replays.start("ops", "orders", request(null, null, "auto", false));

        assertEquals(List.of("ops replay-start orders"), audited);
    }

    @Test
    void aReplayWithoutARateRunsAtTheDefaultRate() {
        ReplayService.Started started = replays.start("ops", "orders", request(null, null, "auto", false));

        assertEquals(250.0, started.job().ratePerSecond());
        assertEquals("running", history.state(started.job().id()));
        assertTrue(started.dryRun().isEmpty());
    }

    @Test
    void aRateOutsideZeroTo10000IsRefusedNamingTheRate() {
        for (double rate : new double[] {0, -1, 10_000.5}) {
            InvalidFieldException e = assertThrows(
                    InvalidFieldException.class,
                    () -> replays.start("ops", "orders", request(null, rate, "auto", false)));
            assertEquals("ratePerSecond", e.details().get("field"));
        }
        assertTrue(history.stored.isEmpty());
    }

    @Test
    void aRateOf10000IsAllowed() {
        assertEquals(
                10_000.0,
                replays.start("ops", "orders", request(null, 10_000.0, "auto", false))
                        .job()
                        .ratePerSecond());
    }

    @Test
    void anEndTimeThatIsNotAnIsoTimeIsRefusedNamingTo() {
        InvalidFieldException e = assertThrows(
                InvalidFieldException.class,
                () -> replays.start("ops", "orders", request("yesterday", null, "auto", false)));

        assertEquals("to", e.details().get("field"));
    }

    @Test
    void anEndTimeIsKeptWithTheJob() {
        ReplayService.Started started =
                replays.start("ops", "orders", request("2026-01-01T10:00:00+01:00", null, "auto", false));

        assertEquals(Instant.parse("2026-01-01T09:00:00Z"), started.job().to());
    }

    @Test
    void anUnknownSourceIsRefusedNamingTheSource() {
        InvalidFieldException e = assertThrows(
                InvalidFieldException.class, () -> replays.start("ops", "orders", request(null, null, "kafka", false)));

        assertEquals("source", e.details().get("field"));
    }

    @Test
    void aReplayToAnUnknownSubscriptionIsNotFound() {
        BusException e = assertThrows(
                BusException.class, () -> replays.start("ops", "nothing", request(null, null, "auto", false)));

        assertEquals(ErrorCode.NOT_FOUND, e.errorCode());
    }

    @Test
    void aDryRunCountsAndStoresNothing() {
        ReplayService.Started started = replays.start("ops", "orders", request(null, null, "postgresql", true));

        assertEquals("dry-run", started.job().state());
        assertEquals(5, started.dryRun().orElseThrow().job().total());
        assertTrue(history.stored.isEmpty());
    }

    @Test
    void aNewSubscriptionsHistoryStartsAtItsStartPositionAtTheDefaultRate() {
        Subscription s = Subscription.pull("fresh", "billing", List.of("*"));
        subscriptions.rows.put("fresh", s);

        var job = replays.history(new Subscription(
                s.id(),
                s.owner(),
                s.eventTypes(),
                s.filter(),
                s.target(),
                s.ordering(),
                s.retryPolicy(),
                "evt-3",
                s.maxConcurrency(),
                s.maxRatePerSecond(),
                s.state(),
                null,
                s.schemaVersions()));

        assertEquals("evt-3", job.from());
        assertEquals(2, history.stored.get(job.id()).lastSeq());
        assertEquals(250.0, job.ratePerSecond());
        assertEquals("auto", job.source());
    }

    @Test
    void theOwnerAndAnOperatorReadAReplaysProgressAndAnotherServiceMayNot() {
        String id = replays.start("ops", "orders", request(null, null, "auto", false))
                .job()
                .id();

        assertEquals(
                id,
                replays.progress(account("billing", Role.SUBSCRIBER), "orders", id)
                        .id());
        assertEquals(
                id,
                replays.progress(account("ops", Role.OPERATOR), "orders", id).id());
        assertEquals(
                ErrorCode.FORBIDDEN,
                assertThrows(BusException.class, () -> replays.progress(account("shop", Role.SUBSCRIBER), "orders", id))
                        .errorCode());
    }

    @Test
    void aReplayOfAnotherSubscriptionIsNotFoundUnderThisOne() {
        subscriptions.rows.put("audit", Subscription.pull("audit", "billing", List.of("*")));
        String id = replays.start("ops", "audit", request(null, null, "auto", false))
                .job()
                .id();

        BusException e =
                assertThrows(BusException.class, () -> replays.progress(account("ops", Role.OPERATOR), "orders", id));

        assertEquals(ErrorCode.NOT_FOUND, e.errorCode());
        assertEquals(id, e.details().get("replayId"));
    }

    @Test
    void aCancelEndsTheRunningReplayOnceAuditedAndAnEndedOneIsAnsweredAsItStands() {
        String id = replays.start("ops", "orders", request(null, null, "auto", false))
                .job()
                .id();

        assertEquals("cancelled", replays.cancel("ops", "orders", id).state());
        assertEquals("cancelled", replays.cancel("ops", "orders", id).state(), "idempotent");

        assertEquals(List.of("ops replay-start orders", "ops replay-cancel orders"), audited);
        BusException unknown = assertThrows(BusException.class, () -> replays.cancel("ops", "orders", "rpl-none"));
        assertEquals(ErrorCode.NOT_FOUND, unknown.errorCode());
    }

    @Test
    void aReplaysProgressViewCountsTheSecondsLeftAtItsRateAndSaysWhetherItRuns() {
        history.stored.put("rpl-1", ReplaysTest.job("orders", "postgresql", 4, 10, 3, 7));

        ReplayView running = replays.progress(account("ops", Role.OPERATOR), "orders", "rpl-1");

        assertEquals(2, running.etaSeconds(), "7 events left at 4/s");
        assertEquals(true, running.running());
        assertEquals(false, running.dryRun());
        history.stored.put(
                "rpl-1", ReplaysTest.withState(ReplaysTest.job("orders", "postgresql", 4, 10, 10, 10), "done"));
        ReplayView done = replays.progress(account("ops", Role.OPERATOR), "orders", "rpl-1");
        assertEquals(0, done.etaSeconds());
        assertEquals(false, done.running());
    }

    @Test
    void aDryRunsJobIsADryRunThatDoesNotRunWithTheSecondsItsCountTakesAtItsRate() {
        ReplayView job = replays.start(
                        "ops",
                        "orders",
                        new ReplayService.Request("earliest", null, List.of(), 2.0, "postgresql", true))
                .job();

        assertEquals(5, job.total());
        assertEquals(3, job.etaSeconds(), "5 events at 2/s");
        assertEquals(true, job.dryRun());
        assertEquals(false, job.running());
        assertEquals("postgresql", job.readFrom());
    }
}
