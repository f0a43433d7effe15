package com.idynic.eventbus.subscribers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.idynic.eventbus.api.EventEnvelope;
import com.idynic.eventbus.broker.Signal;
import com.idynic.eventbus.broker.spi.EventLog;
import com.idynic.eventbus.subscribers.spi.ReplayStore;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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

    /** Jobs to claim and the stored history (events 1..n of type {@code user.created}). */
    static final class History implements ReplayStore {
        final List<Row> rows = new ArrayList<>();
        final List<Job> runnable = new ArrayList<>();
        final List<Progress> progress = new ArrayList<>();
        final List<String> readFrom = new ArrayList<>();
        boolean relayed;

        History(int events) {
            for (int i = 1; i <= events; i++) {
                rows.add(new Row(i, EventEnvelope.of("evt-" + i, "user.created", "svc", JsonObject.EMPTY_JSON_OBJECT)));
            }
        }

        @Override
        public List<Job> claimRunnable(String owner) {
            List<Job> claimed = List.copyOf(runnable);
            runnable.clear();
            return claimed;
        }

        @Override
        public void progress(String id, String state, long total, long done, long lastSeq, String error) {
            progress.add(new Progress(state, total, done, lastSeq));
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

        @Override
        public List<Row> page(long afterSeq, long upToSeq, int limit) {
            return rows.stream()
                    .filter(r -> r.seq() > afterSeq && r.seq() <= upToSeq)
                    .limit(limit)
                    .toList();
        }

        @Override
        public void create(Job job) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<Job> find(String id) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long seqBefore(String from) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long countUpTo(
                long afterSeq, long upToSeq, List<String> selectors, List<String> narrowedTo, Filter filter, long cap) {
            throw new UnsupportedOperationException();
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
                    List<Logged> page = history.page(seq, upToSeq, 3).stream()
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
    }

    Replays replays(History history, EventLog log) {
        return new Replays(history, log, deliveries, registry, new Signal(), clock, pacing);
    }

    static ReplayStore.Job job(String source, double rate, long total, long done, long lastSeq) {
        return new ReplayStore.Job(
                "rpl-1",
                "replayer",
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
        history.runnable.add(job("auto", 100, 0, 0, 0));
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
                        new Progress("running", 5, 3, 0),
                        new Progress("running", 5, 8, 5),
                        new Progress("done", 5, 8, 5)),
                history.progress);
    }
}
