package com.idynic.eventbus.admin;

import com.idynic.eventbus.admin.spi.MonitoringStore;
import com.idynic.eventbus.broker.Backpressure;
import com.idynic.eventbus.broker.DispatchWatch;
import com.idynic.eventbus.broker.Loops;
import com.idynic.eventbus.broker.SupervisedLoop;
import com.idynic.eventbus.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

/** A monitoring store answering what the test set, counting its reads; and a Monitoring over it. */
final class ScriptedFigures implements MonitoringStore {
    volatile List<QueueCounts> queues = List.of();
    volatile List<AttemptStats> attempts = List.of();
    final List<Instant> attemptWindows = new ArrayList<>();
    int queueReads;
    final AtomicLong backlog = new AtomicLong();
    final AtomicLong lagMillis = new AtomicLong();
    volatile OptionalLong dispatchLag = OptionalLong.of(0);
    int kafkaAsked;

    /** Thrown by every read while set (PostgreSQL away). */
    volatile RuntimeException down;

    @Override
    public synchronized List<QueueCounts> queues() {
        queueReads++;
        if (down != null) {
            throw down;
        }
        return queues;
    }

    @Override
    public synchronized List<AttemptStats> attempts(Instant since) {
        attemptWindows.add(since);
        return attempts;
    }

    /** Sets one subscription's figures (replacing all others). */
    void only(String subscription, long open, long dead, long finished, long succeeded) {
        queues = List.of(new QueueCounts(subscription, open, dead));
        attempts = finished == 0
                ? List.of()
                : List.of(
                        new AttemptStats(subscription, finished, succeeded, succeeded, null, null, null),
                        new AttemptStats(null, finished, succeeded, succeeded, null, null, null));
    }

    Loops loops(SettableClock clock) {
        return new Loops(
                new Loops.Settings(
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(60),
                        Duration.ofSeconds(60),
                        Duration.ofSeconds(120)),
                clock,
                SupervisedLoop.Sleeper.THREAD);
    }

    Monitoring monitoring(SettableClock clock, Loops loops, Duration cacheFor, List<Overview> told) {
        return new Monitoring(
                this,
                new Backpressure(
                        backlog::get, lagMillis::get, 10_000, Duration.ofSeconds(60), Duration.ofSeconds(5), clock),
                loops,
                new DispatchWatch(
                        () -> {
                            kafkaAsked++;
                            return dispatchLag;
                        },
                        clock,
                        Duration.ofSeconds(60)),
                id -> id.startsWith("hook") ? "closed" : null,
                told::add,
                new Monitoring.Settings(Duration.ofMinutes(5), cacheFor),
                clock);
    }
}
