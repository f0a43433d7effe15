package com.idynic.eventbus.subscribers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.idynic.eventbus.api.Auditor;
import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.ErrorCode;
import com.idynic.eventbus.api.EventEnvelope;
import com.idynic.eventbus.api.EventTypes;
import com.idynic.eventbus.broker.RetryPolicy;
import com.idynic.eventbus.broker.Signal;
import com.idynic.eventbus.broker.spi.EventLog;
import com.idynic.eventbus.subscribers.spi.ReplayStore;
import com.idynic.eventbus.testing.SettableClock;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Replay jobs run one pass at a time on a history and a Kafka log in memory, in virtual time. */
class ReplaysTest {
    static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");
    static final long MS = 1_000_000;

    /** Monotonic time that moves only while the replay waits. */
    static final class VirtualPacing implements Replays.Pacing {
        long now;

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void sleep(long nanos) {
            now += nanos;
        }
    }

    /** What a job recorded as its progress. */
    record Progress(String state, long total, long done, long lastSeq) {}

    /**
     * Jobs to claim, the jobs stored (one running per subscription, as the database allows) and the stored
     * history (events 1..n of type {@code user.created}, then whatever {@link #add} appends).
     */
    static final class History implements ReplayStore {
        final List<Row> rows = new ArrayList<>();
        final List<Job> runnable = new ArrayList<>();
        final List<Progress> progress = new ArrayList<>();
        final List<String> readFrom = new ArrayList<>();
        final List<String> cancelled = new ArrayList<>();
        final Map<String, Job> stored = new LinkedHashMap<>();
        boolean relayed;
        long rowsRead;

        History(int events) {
            for (int i = 1; i <= events; i++) {
                add("user.created", "svc");
            }
        }

        /** @return the id of a new event, appended with the next sequence number */
        String add(String type, String source) {
            int seq = rows.size() + 1;
            rows.add(new Row(seq, EventEnvelope.of("evt-" + seq, type, source, JsonObject.EMPTY_JSON_OBJECT)));
            return "evt-" + seq;
        }

        String state(String id) {
            return stored.get(id).state();
        }

        private void setState(String id, String state) {
            Job j = stored.get(id);
            stored.put(id, withState(j, state));
        }

        @Override
        public List<Job> claimRunnable(String owner) {
            List<Job> claimed = List.copyOf(runnable);
            runnable.clear();
            claimed.forEach(j -> stored.put(j.id(), j));
            return claimed;
        }

        @Override
        public boolean progress(String id, String state, long total, long done, long lastSeq, String error) {
            if (!state(id).equals("running")) {
                return false;
            }
            progress.add(new Progress(state, total, done, lastSeq));
            setState(id, state);
            return true;
        }

        @Override
        public int cancel(String subscriptionId, String reason) {
            List<String> running = stored.values().stream()
                    .filter(j -> j.subscriptionId().equals(subscriptionId)
                            && j.state().equals("running"))
                    .map(Job::id)
                    .toList();
            running.forEach(id -> {
                setState(id, "cancelled");
                cancelled.add(subscriptionId + ": " + reason);
            });
            return running.size();
        }

        @Override
        public void readingFrom(String id, String readFrom) {
            this.readFrom.add(readFrom);
        }

        @Override
        public boolean relayedUpTo(long upToSeq) {
            return relayed;
        }

        @Override
        public Optional<Instant> acceptedAfter(long afterSeq) {
            return afterSeq < rows.size() ? Optional.of(CREATED) : Optional.empty();
        }

        @Override
        public long seqUpTo(Instant to) {
            return rows.size();
        }

        /** @return the log as Kafka holds it: every event, whatever its type */
        List<Row> rows(long afterSeq, long upToSeq, int limit) {
            return rows.stream()
                    .filter(r -> r.seq() > afterSeq && r.seq() <= upToSeq)
                    .limit(limit)
                    .toList();
        }

        @Override
        public List<Row> page(
                long afterSeq,
                long upToSeq,
                List<String> selectors,
                List<String> narrowedTo,
                Filter filter,
                int limit) {
            List<Row> page = rows.stream()
                    .filter(r -> r.seq() > afterSeq && r.seq() <= upToSeq)
                    .filter(r -> selected(r, selectors, narrowedTo, filter))
                    .limit(limit)
                    .toList();
            rowsRead += page.size();
            return page;
        }

        @Override
        public long countUpTo(
                long afterSeq, long upToSeq, List<String> selectors, List<String> narrowedTo, Filter filter, long cap) {
            long n = rows.stream()
                    .filter(r -> r.seq() > afterSeq && r.seq() <= upToSeq)
                    .filter(r -> selected(r, selectors, narrowedTo, filter))
                    .count();
            return Math.min(n, cap + 1);
        }

        private static boolean selected(Row r, List<String> selectors, List<String> narrowedTo, Filter filter) {
            String type = r.event().eventType();
            return selectors.stream().anyMatch(s -> EventTypes.matches(s, type))
                    && (narrowedTo.isEmpty() || narrowedTo.stream().anyMatch(s -> EventTypes.matches(s, type)))
                    && filter.matches(r.event());
        }

        @Override
        public Optional<Job> create(Job job) {
            Optional<Job> running = stored.values().stream()
                    .filter(j -> j.subscriptionId().equals(job.subscriptionId())
                            && j.state().equals("running"))
                    .findFirst();
            if (running.isEmpty()) {
                stored.put(job.id(), job);
            }
            return running;
        }

        @Override
        public Optional<Job> find(String id) {
            return Optional.ofNullable(stored.get(id));
        }

        @Override
        public long seqBefore(String from) {
            if (from.equals("earliest")) {
                return 0;
            }
            return rows.stream()
                    .filter(r -> r.event().id().equals(from))
                    .mapToLong(r -> r.seq() - 1)
                    .findFirst()
                    .orElse(-1);
        }
    }

    /** The Kafka topic: hands out the history in pages and stops answering after {@code pagesBeforeFailure}. */
    static final class KafkaLog implements EventLog {
        final History history;
        final int pagesBeforeFailure;
        final List<String> opened = new ArrayList<>();
        int closed;

        KafkaLog(History history, int pagesBeforeFailure) {
            this.history = history;
            this.pagesBeforeFailure = pagesBeforeFailure;
        }

        @Override
        public Optional<Reader> open(Instant since, long afterSeq, long upToSeq) {
            opened.add(since + " (" + afterSeq + ", " + upToSeq + "]");
            return Optional.of(new Reader() {
                long seq = afterSeq;
                int pages;

                @Override
                public List<Logged> next(int max) {
                    if (pages++ == pagesBeforeFailure) {
                        throw new IllegalStateException("broker unreachable");
                    }
                    List<Logged> page = history.rows(seq, upToSeq, 3).stream()
                            .map(r -> new Logged(r.seq(), r.event()))
                            .toList();
                    seq += page.size();
                    return page;
                }

                @Override
                public void close() {
                    closed++;
                }
            });
        }
    }

    final SettableClock clock = new SettableClock(CREATED);
    final VirtualPacing pacing = new VirtualPacing();
    final RecordingDeliveryStore deliveries = new RecordingDeliveryStore();
    final InMemorySubscriptions subscriptions = new InMemorySubscriptions();
    final SubscriptionRegistry registry =
            new SubscriptionRegistry(subscriptions.store, subscriptions.cache, clock, Duration.ofSeconds(1));

    ReplaysTest() {
        subscriptions.rows.put("replayer", Subscription.pull("replayer", "svc", List.of("user.*")));
        subscriptions.rows.put("everything", Subscription.pull("everything", "svc", List.of("*")));
        subscriptions.rows.put("rare", Subscription.pull("rare", "svc", List.of("user.rare")));
        subscriptions.rows.put(
                "billing",
                new Subscription(
                        "billing",
                        "svc",
                        List.of("*"),
                        new Filter("billing", Map.of()),
                        Target.pull(),
                        "ordered",
                        RetryPolicy.DEFAULT,
                        "latest",
                        16,
                        0,
                        "active",
                        null,
                        Map.of()));
    }

    Replays replays(History history, EventLog log) {
        return new Replays(history, log, deliveries, registry, new Signal(), pacing);
    }

    ReplayService service(History history) {
        return new ReplayService(history, registry, clock, 100, Auditor.NONE);
    }

    static ReplayStore.Job job(String source, double rate, long total, long done, long lastSeq) {
        return job("replayer", source, rate, total, done, lastSeq);
    }

    static ReplayStore.Job job(String subscriptionId, String source, double rate, long total, long done, long lastSeq) {
        return new ReplayStore.Job(
                "rpl-1",
                subscriptionId,
                "earliest",
                null,
                List.of(),
                rate,
                "running",
                total,
                done,
                lastSeq,
                null,
                CREATED,
                CREATED,
                source,
                null);
    }

    static ReplayStore.Job withState(ReplayStore.Job j, String state) {
        return new ReplayStore.Job(
                j.id(),
                j.subscriptionId(),
                j.from(),
                j.to(),
                j.eventTypes(),
                j.ratePerSecond(),
                state,
                j.total(),
                j.done(),
                j.lastSeq(),
                j.error(),
                j.createdAt(),
                j.updatedAt(),
                j.source(),
                j.readFrom());
    }

    static List<String> events(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> "evt-" + i).toList();
    }

    static final EventLog NO_KAFKA = (since, afterSeq, upToSeq) -> {
        throw new AssertionError("the job reads PostgreSQL only");
    };

    @Test
    void queuesEventsOneIntervalApartAtTheJobsRate() throws Exception {
        History history = new History(5);
        history.runnable.add(job("postgresql", 4, 0, 0, 0));
        List<Long> queuedAt = new ArrayList<>();
        deliveries.beforeRequeue = () -> queuedAt.add(pacing.now);

        replays(history, NO_KAFKA).pass();

        assertEquals(events(1, 5), deliveries.requeued);
        assertEquals(List.of(0L, 250 * MS, 500 * MS, 750 * MS, 1000 * MS), queuedAt);
        assertEquals(List.of("postgresql"), history.readFrom);
        assertEquals(new Progress("done", 5, 5, 5), history.progress.get(history.progress.size() - 1));
    }

    @Test
    void aClaimedJobResumesAfterItsSavedPosition() throws Exception {
        History history = new History(5);
        history.runnable.add(job("postgresql", 100, 5, 3, 3));

        replays(history, NO_KAFKA).pass();

        assertEquals(events(4, 5), deliveries.requeued);
        assertEquals(new Progress("done", 5, 5, 5), history.progress.get(history.progress.size() - 1));
    }

    @Test
    void aJobStoppedInsideAPageResumesAfterTheLastEventItQueued() throws Exception {
        History history = new History(60);
        history.runnable.add(job("postgresql", 100, 60, 0, 0));
        deliveries.beforeRequeue = () -> {
            if (deliveries.requeued.size() == 50) {
                throw new IllegalStateException("server stopped");
            }
        };
        assertThrows(
                IllegalStateException.class, () -> replays(history, NO_KAFKA).pass());
        Progress saved = history.progress.get(history.progress.size() - 1);
        assertEquals(new Progress("running", 60, 50, 50), saved);

        deliveries.beforeRequeue = () -> {};
        history.runnable.add(job("postgresql", 100, saved.total(), saved.done(), saved.lastSeq()));
        replays(history, NO_KAFKA).pass();

        assertEquals(events(1, 60), deliveries.requeued, "each event once, none skipped");
    }

    @Test
    void readsKafkaWhereItHoldsTheRangeAndTheStoreFromTheRunsStartWhenKafkaFails() throws Exception {
        History history = new History(5);
        history.relayed = true;
        history.runnable.add(job("everything", "auto", 100, 0, 0, 0));
        KafkaLog kafka = new KafkaLog(history, 1);

        replays(history, kafka).pass();

        assertEquals(List.of(CREATED + " (0, 5]"), kafka.opened);
        assertEquals(List.of("kafka", "postgresql"), history.readFrom);
        List<String> expected = new ArrayList<>(events(1, 3));
        expected.addAll(events(1, 5));
        assertEquals(expected, deliveries.requeued, "queued again from the run's start, never skipped");
        assertEquals(1, kafka.closed);
        assertEquals(
                List.of(
                        new Progress("running", 5, 0, 0),
                        new Progress("running", 5, 3, 0),
                        new Progress("running", 5, 8, 5),
                        new Progress("done", 5, 8, 5)),
                history.progress);
    }

    /**
     * {@code others} events of {@code user.created} from {@code svc} and two of {@code user.rare} from
     * {@code billing} among them (events 300 and 800).
     */
    static History twoRareEventsAmong(int others) {
        History history = new History(0);
        for (int i = 1; i <= others + 2; i++) {
            boolean rare = i == 300 || i == 800;
            history.add(rare ? "user.rare" : "user.created", rare ? "billing" : "svc");
        }
        return history;
    }

    @Test
    void aReplayOfSomeEventTypesReadsOnlyTheirEventsFromPostgresqlEvenWhereKafkaHoldsTheRange() throws Exception {
        History history = twoRareEventsAmong(1000);
        history.relayed = true;
        history.runnable.add(job("rare", "auto", 100, 0, 0, 0));

        replays(history, NO_KAFKA).pass();

        assertEquals(List.of("evt-300", "evt-800"), deliveries.requeued);
        assertEquals(2, history.rowsRead, "only the selected events were read");
        assertEquals(List.of("postgresql"), history.readFrom);
        assertEquals(new Progress("running", 2, 0, 0), history.progress.get(0), "the total is known before reading");
        assertEquals(new Progress("done", 2, 2, 800), history.progress.get(history.progress.size() - 1));
    }

    @Test
    void aDryRunOfSomeEventTypesPromisesTheirTimeAtTheRateOnPostgresql() {
        History history = twoRareEventsAmong(20_000);
        history.relayed = true;

        ReplayService.DryRun d =
                service(history).dryRun(subscriptions.rows.get("rare"), "earliest", null, List.of(), 100, "auto");

        assertEquals(2, d.job().total());
        assertFalse(d.countCapped());
        assertEquals("postgresql", d.job().readFrom());
        assertEquals(1, d.etaSeconds(), "2 events at 100/s");
    }

    @Test
    void aDryRunOfEveryTypeThroughAFilterCountsTheTimeToReadPastTheEventsItDrops() {
        History history = twoRareEventsAmong(20_000);
        history.relayed = true;

        ReplayService.DryRun d =
                service(history).dryRun(subscriptions.rows.get("billing"), "earliest", null, List.of(), 100, "auto");

        assertEquals(2, d.job().total());
        assertEquals("kafka", d.job().readFrom());
        assertEquals(
                (long) Math.ceil(2 / 100.0 + 20_000.0 / ReplayPlan.EXAMINED_PER_SECOND),
                d.etaSeconds(),
                "2 events at 100/s, after reading past the 20,000 others");
    }

    @Test
    void aSecondStartWhileAReplayOfTheSubscriptionRunsIsRefusedNamingTheRunningOne() {
        History history = new History(5);
        ReplayService replays = service(history);
        Subscription s = subscriptions.rows.get("replayer");
        ReplayStore.Job first = replays.start(s, "earliest", null, List.of(), 100, "postgresql");

        BusException refused = assertThrows(
                BusException.class, () -> replays.start(s, "earliest", null, List.of(), 100, "postgresql"));

        assertEquals(ErrorCode.ALREADY_RUNNING, refused.errorCode());
        assertEquals(first.id(), refused.details().get("runningId"));
        assertEquals(List.of(first.id()), List.copyOf(history.stored.keySet()), "one job stored");
    }

    @Test
    void aReplayWhoseSubscriptionIsDeletedUnderItEndsCancelledWithTheReason() throws Exception {
        History history = new History(10);
        history.runnable.add(job("postgresql", 100, 0, 0, 0));
        deliveries.beforeRequeue = () -> {
            if (deliveries.requeued.size() == 3) {
                subscriptions.rows.remove("replayer");
                throw new IllegalStateException("ERROR: insert or update on table \"eb_delivery\" violates foreign key"
                        + " constraint \"eb_delivery_subscription_id_fk\" (SQLState 23503)");
            }
        };

        replays(history, NO_KAFKA).pass();

        assertEquals(events(1, 3), deliveries.requeued);
        assertEquals(List.of("replayer: " + Replays.SUBSCRIPTION_DELETED), history.cancelled);
        assertEquals("cancelled", history.state("rpl-1"));
    }

    @Test
    void aReplayCancelledMeanwhileStopsAtItsNextProgressRecord() throws Exception {
        History history = new History(120);
        history.runnable.add(job("postgresql", 100, 0, 0, 0));
        deliveries.beforeRequeue = () -> {
            if (deliveries.requeued.size() == 10) {
                history.cancel("replayer", Replays.SUBSCRIPTION_DELETED);
            }
        };

        replays(history, NO_KAFKA).pass();

        assertEquals(events(1, 50), deliveries.requeued, "stopped when recording progress after 50 events");
        assertEquals("cancelled", history.state("rpl-1"));
    }
}
