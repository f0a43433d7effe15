package com.idynic.eventbus.broker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Supplier;

/**
 * The server's background loops by name, each one a {@link SupervisedLoop}, and the rule liveness applies
 * to them: a loop is down when its thread ended without a stop request, when it has been failing (backing
 * off between restarts, with no run since that lasted {@code healthyRun}) for longer than {@code
 * downAfter}, or, for a loop that can say how much work waits for it, when work waits and it has made no
 * progress for longer than {@code stallAfter}. A loop not started yet, or stopped on request, is not down.
 *
 * @since 0.6.0
 */
public final class Loops {
    /**
     * How loops are restarted and judged.
     *
     * @param minBackoff the wait before the first restart, e.g. 1 s
     * @param maxBackoff the longest wait between restarts (the wait doubles up to it), e.g. 30 s
     * @param healthyRun a run that lasted this long resets the backoff and ends a failing streak, e.g. 60 s
     * @param downAfter a loop failing for longer than this makes liveness DOWN, e.g. 60 s
     * @param stallAfter a loop with work waiting and no progress for longer than this makes liveness DOWN,
     *     e.g. 120 s (keep it above the longest single pass, such as a relay batch waiting for Kafka)
     */
    public record Settings(
            Duration minBackoff, Duration maxBackoff, Duration healthyRun, Duration downAfter, Duration stallAfter) {
        public Settings {
            if (minBackoff.isNegative() || minBackoff.isZero() || maxBackoff.compareTo(minBackoff) < 0) {
                throw new IllegalArgumentException("backoff must be positive and its maximum at least its minimum");
            }
            if (healthyRun.isNegative() || downAfter.isNegative() || stallAfter.isNegative()) {
                throw new IllegalArgumentException("supervision times must not be negative");
            }
        }

        /** @return the wait between restarts: {@code minBackoff}, doubling up to {@code maxBackoff} */
        public Backoff backoff() {
            return Backoff.doubling(minBackoff, maxBackoff);
        }
    }

    /**
     * One loop as liveness sees it.
     *
     * @param loop the loop's state
     * @param down whether it makes liveness DOWN
     * @param summary one line for the health data, e.g. {@code RUNNING} or {@code BACKING_OFF, failing
     *     for 75 s, restarts: 6, last error: java.lang.OutOfMemoryError: Java heap space}
     */
    public record Check(SupervisedLoop.Status loop, boolean down, String summary) {}

    private final Settings settings;
    private final Clock clock;
    private final SupervisedLoop.Sleeper sleeper;
    private final Map<String, SupervisedLoop> loops = new ConcurrentSkipListMap<>();

    /**
     * @param sleeper waits between restarts ({@link SupervisedLoop.Sleeper#THREAD} in the server)
     */
    public Loops(Settings settings, Clock clock, SupervisedLoop.Sleeper sleeper) {
        this.settings = settings;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /**
     * Registers a loop that cannot say whether work waits for it.
     *
     * @param name unique among loops (a new loop of the same name replaces the old one in health)
     * @param body the loop; it returns only when {@code stop} was called (or its thread was interrupted)
     * @param stop asks the body to return
     * @return the loop, not started
     */
    public SupervisedLoop supervise(String name, Runnable body, Runnable stop) {
        return supervise(name, body, stop, OptionalLong::empty);
    }

    /**
     * Registers a loop that can say how much work waits for it.
     *
     * @param work work waiting, e.g. the outbox backlog; empty (or throwing) when it cannot say
     * @return the loop, not started
     */
    public SupervisedLoop supervise(String name, Runnable body, Runnable stop, Supplier<OptionalLong> work) {
        SupervisedLoop loop = new SupervisedLoop(name, body, stop, work, settings, clock, sleeper);
        loops.put(name, loop);
        return loop;
    }

    /** @return the loop with this name */
    public Optional<SupervisedLoop> find(String name) {
        return Optional.ofNullable(loops.get(name));
    }

    /** @return every loop, by name, with the verdict */
    public List<Check> check() {
        Instant now = clock.instant();
        List<Check> checks = new ArrayList<>(loops.size());
        for (SupervisedLoop l : loops.values()) {
            checks.add(judge(l, now));
        }
        return checks;
    }

    private Check judge(SupervisedLoop loop, Instant now) {
        SupervisedLoop.Status s = loop.status();
        String history = s.restarts() == 0 ? "" : ", restarts: " + s.restarts() + ", last error: " + s.lastError();
        return switch (s.state()) {
            case ENDED -> new Check(s, true, "ENDED: its thread ended without a stop request" + history);
            case BACKING_OFF -> {
                Duration failing = Duration.between(s.failingSince(), now);
                yield new Check(
                        s,
                        failing.compareTo(settings.downAfter()) > 0,
                        "BACKING_OFF, failing for " + failing.toSeconds() + " s" + history
                                + (s.restarts() == 0 ? ", error: " + s.lastError() : ""));
            }
            case RUNNING -> running(loop, now, history);
            case NEW, STOPPED -> new Check(s, false, s.state() + history);
        };
    }

    private Check running(SupervisedLoop loop, Instant now, String history) {
        OptionalLong waiting = loop.work();
        if (waiting.isPresent() && waiting.getAsLong() == 0) {
            loop.progressed();
        }
        SupervisedLoop.Status s = loop.status();
        Duration idle = Duration.between(s.lastProgress(), now);
        if (waiting.isPresent() && waiting.getAsLong() > 0 && idle.compareTo(settings.stallAfter()) > 0) {
            return new Check(
                    s,
                    true,
                    "RUNNING, no progress for " + idle.toSeconds() + " s while " + waiting.getAsLong() + " wait"
                            + history);
        }
        return new Check(s, false, "RUNNING" + history);
    }
}
