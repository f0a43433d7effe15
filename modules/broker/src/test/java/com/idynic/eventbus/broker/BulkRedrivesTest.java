package com.idynic.eventbus.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.ErrorCode;
import com.idynic.eventbus.broker.spi.BulkRedriveStore;
import com.idynic.eventbus.broker.spi.DeadLetterStore;
import com.idynic.eventbus.broker.spi.DeliveryHistory;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BulkRedrivesTest {
    static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    final List<Object> counted = new ArrayList<>();
    final Object deadLetterStore = Proxy.newProxyInstance(
            DeadLetterStore.class.getClassLoader(),
            new Class<?>[] {DeadLetterStore.class, DeliveryHistory.class},
            (proxy, method, args) -> {
                if (method.getName().equals("deadLetterCount")) {
                    counted.add(args[1]);
                    return 25L;
                }
                throw new UnsupportedOperationException(method.getName());
            });
    final DeadLetters deadLetters =
            new DeadLetters((DeadLetterStore) deadLetterStore, (DeliveryHistory) deadLetterStore, null, new Signal());
    final BulkRedriveRunnerTest.FakeStore store = new BulkRedriveRunnerTest.FakeStore(null) {
        @Override
        public Optional<Job> create(Job job) {
            Optional<Job> running = jobs.values().stream()
                    .filter(j -> j.running() && j.subscriptionId().equals(job.subscriptionId()))
                    .findFirst();
            if (running.isEmpty()) {
                jobs.put(job.id(), with(job, "running", 0));
            }
            return running;
        }
    };
    final BulkRedrives bulk = new BulkRedrives(store, deadLetters, Clock.fixed(T, ZoneOffset.UTC), 50);

    @Test
    void aDryRunCountsWithTheFilterAndEstimatesTheTimeAtTheRate() {
        DeadLetterFilter f = DeadLetterFilter.of("order.placed", "503");

        BulkRedrives.DryRun d = bulk.dryRun("billing", f, 10.0);

        assertEquals(List.of(f), counted);
        assertEquals(25, d.count());
        assertEquals(3, d.etaSeconds());
        assertEquals(50, bulk.dryRun("billing", f, null).ratePerSecond());
        assertEquals(List.of(), store.jobs.values().stream().toList(), "a dry run stores nothing");
    }

    @Test
    void aRateOutsideOneToTenThousandIsRefusedNamingIt() {
        for (double rate : new double[] {0, 0.5, -1, 10_001, Double.NaN}) {
            BusException e =
                    assertThrows(BusException.class, () -> bulk.start("billing", DeadLetterFilter.ALL, rate, "ops"));
            assertEquals(ErrorCode.VALIDATION_ERROR, e.errorCode());
            assertEquals("ratePerSecond", e.details().get("field"));
        }
        assertEquals(0, store.jobs.size());
    }

    @Test
    void anEmptyTimeRangeIsRefusedNamingDeadTo() {
        BusException e = assertThrows(
                BusException.class, () -> bulk.start("billing", new DeadLetterFilter(null, null, T, T), 10.0, "ops"));
        assertEquals("deadTo", e.details().get("field"));
        e = assertThrows(BusException.class, () -> DeadLetters.filter(null, null, "yesterday", null));
        assertEquals("deadFrom", e.details().get("field"));
    }

    @Test
    void aSecondStartWhileOneRunsIsRefusedNamingTheRunningOne() {
        BulkRedriveView first = bulk.start("billing", DeadLetterFilter.ALL, 10.0, "ops");
        assertEquals("running", first.state());
        assertEquals("ops", first.startedBy());

        BusException e = assertThrows(
                BusException.class, () -> bulk.start("billing", DeadLetterFilter.of("x", null), 10.0, "ops"));

        assertEquals(ErrorCode.ALREADY_RUNNING, e.errorCode());
        assertEquals(first.id(), e.details().get("runningId"));
        // another subscription's may start
        bulk.start("shipping", DeadLetterFilter.ALL, 10.0, "ops");
        assertEquals(2, store.jobs.size());
    }

    @Test
    void aJobIsReadAndCancelledOnlyThroughItsOwnSubscription() {
        BulkRedriveView j = bulk.start("billing", DeadLetterFilter.ALL, 10.0, "ops");

        BusException e = assertThrows(BusException.class, () -> bulk.progress("shipping", j.id()));
        assertEquals(ErrorCode.NOT_FOUND, e.errorCode());
        assertThrows(BusException.class, () -> bulk.cancel("shipping", j.id(), "ops"));
        assertEquals("running", bulk.progress("billing", j.id()).state());

        assertEquals("cancelled", bulk.cancel("billing", j.id(), "ops").state());
        assertEquals("cancelled", bulk.cancel("billing", j.id(), "ops").state(), "idempotent");
    }

    @Test
    void theEtaIsWhatIsLeftAtTheRateAndZeroOnceEnded() {
        BulkRedriveStore.Job j =
                new BulkRedriveStore.Job("r", "s", DeadLetterFilter.ALL, 4, "running", 10, 1, 0, 0, null, "ops", T, T);
        assertEquals(3, BulkRedrives.etaSeconds(j));
        assertEquals(0, BulkRedrives.etaSeconds(BulkRedriveRunnerTest.FakeStore.with(j, "done", 10)));
    }

    @Test
    void aJobsProgressIsShownWithWhoStartedItItsEtaAtItsRateAndItsPercent() {
        store.add("rdr-1", 4, 10);
        store.jobs.put("rdr-1", BulkRedriveRunnerTest.FakeStore.with(store.jobs.get("rdr-1"), "running", 3));

        assertEquals(
                new BulkRedriveView(
                        "rdr-1",
                        "sub-rdr-1",
                        DeadLetterFilter.ALL,
                        4,
                        "running",
                        10,
                        3,
                        2,
                        "ops",
                        Instant.EPOCH,
                        Instant.EPOCH,
                        null),
                bulk.progress("sub-rdr-1", "rdr-1"));
        assertEquals(30, bulk.progress("sub-rdr-1", "rdr-1").percent());
    }

    @Test
    void aJobWithNothingToRedriveIsAllDoneAndAFinishedJobHasNoEta() {
        BulkRedriveView empty =
                new BulkRedriveView("r", "s", DeadLetterFilter.ALL, 4, "done", 0, 0, 0, "ops", T, T, null);
        assertEquals(100, empty.percent());
        assertEquals(
                0,
                BulkRedriveView.of(BulkRedriveRunnerTest.FakeStore.with(
                                new BulkRedriveStore.Job(
                                        "r", "s", DeadLetterFilter.ALL, 4, "running", 10, 1, 0, 0, null, "ops", T, T),
                                "done",
                                10))
                        .etaSeconds());
    }
}
