package com.idynic.eventbus.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.idynic.eventbus.broker.spi.RetentionPolicy;
import com.idynic.eventbus.broker.spi.RetentionRun;
import com.idynic.eventbus.broker.spi.RetentionRunStore;
import com.idynic.eventbus.broker.spi.RetentionStore;
import com.idynic.eventbus.broker.spi.RetentionStore.Position;
import com.idynic.eventbus.broker.spi.StatementTimeoutException;
import com.idynic.eventbus.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class RetentionManagerTest {
    static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
    static final Duration TIMEOUT = Duration.ofSeconds(20);

    /**
     * Events per type in position order (true: owed to someone); whole days worth the given counts. Honours every
     * argument as the database does: policies by type, the cutoff of whole days, and records each statement's
     * timeout.
     */
    static final class FakeStore implements RetentionStore {
        final List<RetentionPolicy> policies = new ArrayList<>();
        final Map<String, TreeMap<Position, Boolean>> events = new TreeMap<>();
        final Map<LocalDate, Map<String, Long>> wholeDays = new TreeMap<>();
        final List<Integer> limits = new ArrayList<>();
        final Set<Duration> timeouts = new HashSet<>();
        Instant cutoff;
        int ensured;
        int purges;
        int timeoutAtPurge = -1;

        void add(String type, Instant acceptedAt, int n, boolean owed) {
            TreeMap<Position, Boolean> t = events.computeIfAbsent(type, k -> new TreeMap<>());
            for (int i = 0; i < n; i++) {
                t.put(new Position(acceptedAt.plusMillis(i), t.size() + 1), owed);
            }
        }

        int stored(String type) {
            return events.getOrDefault(type, new TreeMap<>()).size();
        }

        @Override
        public List<RetentionPolicy> policies() {
            return policies;
        }

        @Override
        public void save(RetentionPolicy policy) {
            delete(policy.eventType());
            policies.add(policy);
        }

        @Override
        public boolean delete(String eventType) {
            return policies.removeIf(p -> p.eventType().equals(eventType));
        }

        @Override
        public Batch purge(String eventType, Position after, Position before, int limit, Duration statementTimeout) {
            timeouts.add(statementTimeout);
            if (++purges == timeoutAtPurge) {
                throw new StatementTimeoutException(statementTimeout, null);
            }
            limits.add(limit);
            TreeMap<Position, Boolean> t = events.getOrDefault(eventType, new TreeMap<>());
            var range = after == null ? t.headMap(before, false) : t.subMap(after, false, before, false);
            List<Position> page = range.keySet().stream().limit(limit).toList();
            int removed = 0;
            for (Position p : page) {
                if (!t.get(p)) {
                    t.remove(p);
                    removed++;
                }
            }
            return new Batch(page.size(), removed, page.isEmpty() ? null : page.get(page.size() - 1));
        }

        @Override
        public Optional<Position> nthNewest(String eventType, Position before, long n, Duration statementTimeout) {
            timeouts.add(statementTimeout);
            TreeMap<Position, Boolean> t = events.getOrDefault(eventType, new TreeMap<>());
            var older = before == null
                    ? t.descendingKeySet()
                    : t.headMap(before, false).descendingKeySet();
            return older.stream().skip(n - 1).findFirst();
        }

        @Override
        public Optional<String> eventTypeAfter(String after, Duration statementTimeout) {
            timeouts.add(statementTimeout);
            return events.keySet().stream()
                    .filter(t -> after == null || t.compareTo(after) > 0)
                    .findFirst();
        }

        @Override
        public int ensurePartitions(int daysAhead) {
            ensured = daysAhead;
            return 0;
        }

        @Override
        public List<LocalDate> daysBefore(Instant cutoff) {
            this.cutoff = cutoff;
            return wholeDays.keySet().stream()
                    .filter(day -> !day.plusDays(1)
                            .atStartOfDay(ZoneOffset.UTC)
                            .toInstant()
                            .isAfter(cutoff))
                    .toList();
        }

        @Override
        public Optional<Map<String, Long>> dropDay(LocalDate day, Duration statementTimeout) {
            timeouts.add(statementTimeout);
            return Optional.ofNullable(wholeDays.remove(day));
        }
    }

    /** Runs in memory, with the same one-running rule and claims as the database. */
    static final class FakeRuns implements RetentionRunStore {
        final Map<String, RetentionRun> runs = new LinkedHashMap<>();
        final Map<String, String> owners = new HashMap<>();
        boolean stale;

        @Override
        public Optional<RetentionRun> start(RetentionRun run, String owner) {
            Optional<RetentionRun> other = running();
            if (other.isEmpty()) {
                runs.put(run.id(), run);
                owners.put(run.id(), owner);
            }
            return other;
        }

        @Override
        public Optional<RetentionRun> claim(String owner, Duration staleAfter) {
            Optional<RetentionRun> r = running();
            r.ifPresent(run -> {
                String current = owners.get(run.id());
                if (current == null || current.equals(owner) || stale) {
                    owners.put(run.id(), owner);
                }
            });
            return r.filter(run -> owner.equals(owners.get(run.id())));
        }

        @Override
        public boolean record(RetentionRun run, String owner) {
            if (!owner.equals(owners.get(run.id()))) {
                return false;
            }
            runs.put(run.id(), run);
            return true;
        }

        @Override
        public void release(String id, String owner) {
            owners.remove(id, owner);
        }

        @Override
        public Optional<RetentionRun> find(String id) {
            return Optional.ofNullable(runs.get(id));
        }

        @Override
        public Optional<RetentionRun> running() {
            return runs.values().stream()
                    .filter(r -> r.state() == RetentionRun.State.RUNNING)
                    .findFirst();
        }

        @Override
        public Optional<RetentionRun> latest() {
            return runs.values().stream().reduce((a, b) -> b);
        }

        @Override
        public int forgetFinishedBefore(Instant before) {
            return 0;
        }
    }

    /** A clock the test moves. */
    final FakeStore store = new FakeStore();

    final FakeRuns runs = new FakeRuns();
    final SettableClock clock = new SettableClock(NOW);
    final List<RetentionManager.Report> reports = new ArrayList<>();

    RetentionManager manager(int batchSize, Consumer<Duration> kafka) {
        return new RetentionManager(
                store,
                runs,
                new RetentionManager.Settings(Duration.ofDays(7), Duration.ofMinutes(5), batchSize, TIMEOUT),
                kafka,
                clock,
                reports::add);
    }

    RetentionManager manager() {
        return manager(1000, age -> {});
    }

    RetentionRun runToEnd(RetentionManager m) {
        RetentionManager.Start s = m.start();
        assertTrue(s.started());
        assertTrue(m.runClaimed());
        return m.find(s.run().id()).orElseThrow();
    }

    @Test
    void startingAnswersAtOnceAndASecondStartNamesTheRunningRun() {
        store.policies.add(new RetentionPolicy("order.placed", Duration.ofDays(1), null));
        store.add("order.placed", NOW.minus(Duration.ofDays(2)), 10, false);
        RetentionManager m = manager();

        RetentionManager.Start first = m.start();
        RetentionManager.Start second = m.start();

        assertTrue(first.started());
        assertEquals(RetentionRun.State.RUNNING, first.run().state());
        assertTrue(first.run().id().startsWith("ret-"));
        assertEquals(0, store.purges, "the request does no removal work");
        assertFalse(second.started());
        assertEquals(first.run().id(), second.run().id(), "the answer names the running run");

        assertTrue(m.runClaimed());
        RetentionRun done = m.find(first.run().id()).orElseThrow();
        assertEquals(RetentionRun.State.DONE, done.state());
        assertEquals(10L, done.removed().get("order.placed"));
        assertEquals(NOW, done.finishedAt());
        assertTrue(m.start().started(), "once it ended, another may start");
    }

    @Test
    void expiredEventsGoInBoundedBatchesAndOwedOnesStay() {
        store.policies.add(new RetentionPolicy("order.placed", Duration.ofDays(1), null));
        store.add("order.placed", NOW.minus(Duration.ofDays(3)), 1, true);
        store.add("order.placed", NOW.minus(Duration.ofDays(2)), 2500, false);
        store.add("order.placed", NOW.minus(Duration.ofHours(1)), 10, false);

        RetentionRun r = runToEnd(manager());

        assertEquals(RetentionRun.State.DONE, r.state());
        assertEquals(2500L, r.removed().get("order.placed"));
        assertEquals(0L, r.removed().get("*"));
        assertEquals(3, r.batches(), "1000 + 1000 + 501 looked at, the owed one passed once");
        assertEquals(11, store.stored("order.placed"), "the owed event and the recent ones stay");
        assertTrue(store.limits.stream().allMatch(l -> l == 1000));
        assertNull(r.error());
    }

    @Test
    void aCountLimitKeepsOnlyTheNewestEvenWhenTheyAreYoung() {
        store.policies.add(new RetentionPolicy("ping.sent", Duration.ofDays(30), 5L));
        store.add("ping.sent", NOW.minus(Duration.ofHours(2)), 12, false);
        store.policies.add(new RetentionPolicy("audit.logged", Duration.ofDays(30), 100L));
        store.add("audit.logged", NOW.minus(Duration.ofHours(2)), 12, false);

        RetentionRun r = runToEnd(manager());

        assertEquals(7L, r.removed().get("ping.sent"));
        assertEquals(5, store.stored("ping.sent"));
        assertEquals(
                NOW.minus(Duration.ofHours(2)).plusMillis(7),
                store.events.get("ping.sent").firstKey().acceptedAt(),
                "the newest five stay");
        assertEquals(0L, r.removed().get("audit.logged"), "fewer than maxCount: nothing goes by count");
    }

    @Test
    void typesWithoutAPolicyFollowTheDefaultAndCountUnderStar() {
        store.policies.add(new RetentionPolicy("audit.logged", Duration.ofDays(30), null));
        store.add("audit.logged", NOW.minus(Duration.ofDays(8)), 4, false);
        store.add("user.created", NOW.minus(Duration.ofDays(8)), 3, false);
        store.add("user.deleted", NOW.minus(Duration.ofDays(8)), 2, false);
        store.add("user.deleted", NOW.minus(Duration.ofDays(1)), 1, false);

        RetentionRun r = runToEnd(manager());

        assertEquals(0L, r.removed().get("audit.logged"), "its policy keeps 30 days");
        assertEquals(5L, r.removed().get("*"));
        assertEquals(1, store.stored("user.deleted"));
        assertEquals(4, store.stored("audit.logged"));
    }

    @Test
    void wholeDaysGoOnlyPastTheLongestPolicyAndAreCountedUnderTheirPolicy() {
        store.policies.add(new RetentionPolicy("audit.logged", Duration.ofDays(30), null));
        store.policies.add(new RetentionPolicy("ping.sent", Duration.ofHours(1), 10L));
        store.wholeDays.put(LocalDate.parse("2026-10-01"), Map.of("audit.logged", 5L, "user.created", 7L));
        store.wholeDays.put(LocalDate.parse("2026-10-02"), Map.of("order.placed", 1L));
        store.wholeDays.put(LocalDate.parse("2026-10-27"), Map.of("user.created", 2L));
        store.wholeDays.put(LocalDate.parse("2026-10-28"), Map.of("audit.logged", 4L));
        store.add("ping.sent", NOW.minus(Duration.ofDays(2)), 2, false);

        RetentionRun r = runToEnd(manager());

        assertEquals(NOW.minus(Duration.ofDays(30)), store.cutoff, "no day goes before every policy is past it");
        assertEquals(
                List.of(LocalDate.parse("2026-10-28")),
                List.copyOf(store.wholeDays.keySet()),
                "the day the cutoff falls in stays (its last hours are younger than 30 days)");
        assertEquals(5L, r.removed().get("audit.logged"));
        assertEquals(2L, r.removed().get("ping.sent"));
        assertEquals(10L, r.removed().get("*"), "types without a policy count under the default");
        assertEquals(17L, r.total());
        assertEquals(3, store.ensured, "partitions prepared ahead");
        assertEquals(Set.of(TIMEOUT), store.timeouts, "every statement of the run gets the configured timeout");
    }

    @Test
    void aStatementTimeoutFailsTheRunAndSaysWhere() {
        store.policies.add(new RetentionPolicy("order.placed", Duration.ofDays(1), null));
        store.add("order.placed", NOW.minus(Duration.ofDays(2)), 2500, false);
        store.timeoutAtPurge = 2;

        RetentionRun r = runToEnd(manager());

        assertEquals(RetentionRun.State.FAILED, r.state());
        assertEquals("statement timeout after 20 s in batch 2 of order.placed", r.error());
        assertEquals(1, r.batches());
        assertEquals(1000L, r.removed().get("order.placed"), "what went before the timeout is counted");
        assertNotNull(r.finishedAt());
        assertEquals(1000L, reports.get(0).removed().get("order.placed"), "metrics count it too");
        assertTrue(manager().start().started(), "a failed run does not block the next");
    }

    @Test
    void theScheduleStartsARunWhenAnIntervalHasPassedSinceTheLastOne() {
        RetentionManager m = manager();
        m.startIfDue();
        String first = runs.latest().orElseThrow().id();
        assertEquals("schedule", runs.latest().orElseThrow().trigger());
        m.runClaimed();

        clock.set(NOW.plus(Duration.ofMinutes(4)));
        m.startIfDue();
        assertEquals(first, runs.latest().orElseThrow().id(), "within the interval: no new run");

        clock.set(NOW.plus(Duration.ofMinutes(5)));
        m.startIfDue();
        assertNotEquals(first, runs.latest().orElseThrow().id());
    }

    @Test
    void aRunAnotherLiveServerWorksOnIsLeftAloneUntilItGoesQuiet() {
        store.policies.add(new RetentionPolicy("order.placed", Duration.ofDays(1), null));
        store.add("order.placed", NOW.minus(Duration.ofDays(2)), 3, false);
        RetentionRun theirs = new RetentionRun(
                "ret-theirs", RetentionRun.State.RUNNING, "api", Map.of(), 0, null, NOW, NOW, null, null);
        runs.start(theirs, "srv-other");
        RetentionManager m = manager();

        assertFalse(m.runClaimed());
        assertFalse(m.start().started(), "the scheduler and the API see the same guard");
        assertEquals(3, store.stored("order.placed"));

        runs.stale = true;
        assertTrue(m.runClaimed());
        assertEquals(
                RetentionRun.State.DONE, runs.find("ret-theirs").orElseThrow().state());
        assertEquals(0, store.stored("order.placed"));
    }

    @Test
    void aStoppingServerLeavesItsRunForAnotherToResume() {
        store.policies.add(new RetentionPolicy("order.placed", Duration.ofDays(1), null));
        store.add("order.placed", NOW.minus(Duration.ofDays(2)), 3, false);
        RetentionManager m = manager();
        String id = m.start().run().id();
        m.stop();

        m.runClaimed();

        assertEquals(RetentionRun.State.RUNNING, runs.find(id).orElseThrow().state());
        assertNull(runs.owners.get(id), "released, so another server claims it at once");
    }

    @Test
    void kafkaKeepsTheLongestAgeAndItsFailureDoesNotFailTheRun() {
        store.policies.add(new RetentionPolicy("audit.logged", Duration.ofDays(30), null));
        List<Duration> applied = new ArrayList<>();
        RetentionManager m = manager(1000, age -> {
            applied.add(age);
            throw new IllegalStateException("Kafka down");
        });

        RetentionRun r = runToEnd(m);

        assertEquals(List.of(Duration.ofDays(30)), applied);
        assertEquals(RetentionRun.State.DONE, r.state());
    }
}
