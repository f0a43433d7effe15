package com.idynic.eventbus.subscribers.delivery;

import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.ErrorCode;
import com.idynic.eventbus.broker.Signal;
import com.idynic.eventbus.broker.spi.Leased;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * Long polls that hold no thread while they wait. A pull leases once at once; when that finds nothing it
 * joins a waiting set and leases again, on a small shared executor, whenever the {@code enqueued} signal is
 * raised or every {@code recheck} (events made due elsewhere: retries, expired leases, other servers). It is
 * answered with the first events a lease hands out, or with none the moment its wait ends; a lease already
 * running then is let finish (its events are answered, not stranded), so the answer comes no later than the
 * wait plus one lease. Each service may hold {@code maxPerService} long polls at once: the slot is taken
 * before the first lease and given back exactly once, when the answer completes (events, none, failure or
 * cancellation).
 *
 * @since 0.7.0
 */
public final class LongPolls {
    /** How often a waiting pull leases again when no signal came: a signal covers only this server's enqueues. */
    public static final Duration RECHECK = Duration.ofMillis(200);

    /**
     * How long a waiting pull whose lease found nothing lets signals gather before it leases again. Every
     * enqueue on the server raises the signal; an ordered subscription whose keys are all held by its own
     * earlier leases finds nothing however often it looks, and without this pause would lease back to back
     * for as long as events keep arriving.
     */
    public static final Duration QUIET = Duration.ofMillis(20);

    private static final Runnable NOTHING = () -> {};

    /** Runs a task once after a delay. The server's is a scheduled executor; tests drive time by hand. */
    @FunctionalInterface
    public interface Timer {
        /**
         * @param delay how long from now; never negative
         * @param task what to run, on a thread of the timer's
         * @return cancels the task if it has not started
         */
        Runnable schedule(Duration delay, Runnable task);
    }

    private final int maxPerService;
    private final Executor leasing;
    private final Timer timer;
    private final Duration recheck;
    private final Duration quiet;
    private final Map<String, Semaphore> slots = new ConcurrentHashMap<>();
    private final Set<Waiter> waiting = ConcurrentHashMap.newKeySet();

    /**
     * @param maxPerService long polls one service may hold at the same time, at least 1
     * @param enqueued raised when new deliveries arrive on this server; wakes every waiting pull
     * @param leasing runs the leases of waiting pulls; a few threads serve any number of waiters
     * @param timer ends waits and schedules rechecks
     * @param recheck how often a waiting pull leases again without a signal ({@link #RECHECK})
     */
    public LongPolls(int maxPerService, Signal enqueued, Executor leasing, Timer timer, Duration recheck) {
        this(maxPerService, enqueued, leasing, timer, recheck, Duration.ZERO);
    }

    /**
     * @param maxPerService long polls one service may hold at the same time, at least 1
     * @param enqueued raised when new deliveries arrive on this server; wakes every waiting pull
     * @param leasing runs the leases of waiting pulls; a few threads serve any number of waiters
     * @param timer ends waits and schedules rechecks
     * @param recheck how often a waiting pull leases again without a signal ({@link #RECHECK})
     * @param quiet how long after a lease that a signal woke and that found nothing the pull waits before it
     *     leases again on a signal ({@link #QUIET}); zero leases again at once
     */
    public LongPolls(
            int maxPerService, Signal enqueued, Executor leasing, Timer timer, Duration recheck, Duration quiet) {
        if (maxPerService < 1) {
            throw new IllegalArgumentException("eventbus.pull.max-long-polls-per-service must be at least 1");
        }
        this.maxPerService = maxPerService;
        this.leasing = leasing;
        this.timer = timer;
        this.recheck = recheck;
        this.quiet = quiet;
        enqueued.onRaise(this::wakeAll);
    }

    /**
     * Leases on the calling thread; when that finds nothing and {@code wait} is positive, waits for events
     * without holding the thread. A pull that does not wait takes no slot.
     *
     * @param service the calling service, whose long-poll slots are counted
     * @param wait how long to wait for the first event; zero answers at once
     * @param lease leases once without waiting; may be called on another thread
     * @return the answer: the leased events (none when the wait ended first), or what {@code lease} threw
     *     on a later attempt; cancel it when the caller is gone, which ends the wait and frees the slot
     * @throws BusException {@code RATE_LIMITED} (429, {@code Retry-After: 1}) when the service holds all its
     *     slots; nothing was leased
     * @throws RuntimeException what the first {@code lease} threw (the slot is given back)
     */
    public CompletableFuture<List<Leased>> pull(String service, Duration wait, Supplier<List<Leased>> lease) {
        if (wait.isZero() || wait.isNegative()) {
            return CompletableFuture.completedFuture(lease.get());
        }
        Semaphore s = slots.computeIfAbsent(service, k -> new Semaphore(maxPerService));
        if (!s.tryAcquire()) {
            throw refused(service, s);
        }
        CompletableFuture<List<Leased>> answer = new CompletableFuture<>();
        answer.whenComplete((events, failure) -> s.release());
        List<Leased> first;
        try {
            first = lease.get();
        } catch (RuntimeException | Error e) {
            answer.cancel(false);
            throw e;
        }
        if (!first.isEmpty()) {
            answer.complete(first);
            return answer;
        }
        new Waiter(lease, answer).start(wait);
        return answer;
    }

    /** @return the long polls waiting now, on all services */
    public int waiting() {
        return waiting.size();
    }

    private void wakeAll() {
        waiting.forEach(Waiter::wake);
    }

    private BusException refused(String service, Semaphore s) {
        return new BusException(
                ErrorCode.RATE_LIMITED,
                "Service '" + service + "' already has " + maxPerService + " long polls waiting; pull without"
                        + " waitMillis or retry when one returns",
                Map.of(
                        "limit",
                        maxPerService,
                        "inFlight",
                        maxPerService - s.availablePermits(),
                        "retryAfterSeconds",
                        1));
    }

    private enum State {
        IDLE,
        /** After an empty lease: signals are noted, and acted on when the quiet time ends. */
        QUIET,
        QUEUED,
        LEASING,
        DONE
    }

    /** One waiting pull. Its state changes under its own lock; leases and answers happen outside it. */
    private final class Waiter {
        private final Supplier<List<Leased>> lease;
        private final CompletableFuture<List<Leased>> answer;
        private State state = State.IDLE;
        private boolean wokenWhileLeasing;
        private boolean expired;
        private Runnable cancelRecheck = NOTHING;
        private Runnable cancelDeadline = NOTHING;

        Waiter(Supplier<List<Leased>> lease, CompletableFuture<List<Leased>> answer) {
            this.lease = lease;
            this.answer = answer;
        }

        /** Schedules the end of the wait and the first recheck, then lets signals in. */
        void start(Duration wait) {
            answer.whenComplete((events, failure) -> done());
            synchronized (this) {
                cancelDeadline = timer.schedule(wait, this::expire);
                cancelRecheck = timer.schedule(recheck, this::wake);
            }
            waiting.add(this);
            if (answer.isDone()) {
                waiting.remove(this);
            }
        }

        /** A signal or a recheck: lease again soon, or once more after the lease that is running. */
        void wake() {
            synchronized (this) {
                if (state == State.LEASING || state == State.QUIET) {
                    wokenWhileLeasing = true;
                    return;
                }
                if (state != State.IDLE) {
                    return;
                }
                state = State.QUEUED;
                cancelRecheck.run();
                cancelRecheck = NOTHING;
            }
            submit();
        }

        private void submit() {
            try {
                leasing.execute(this::leaseOnce);
            } catch (RejectedExecutionException shuttingDown) {
                synchronized (this) {
                    state = State.DONE;
                }
                answer.complete(List.of());
            }
        }

        private void leaseOnce() {
            synchronized (this) {
                if (state != State.QUEUED) {
                    return;
                }
                state = State.LEASING;
                wokenWhileLeasing = false;
            }
            List<Leased> got;
            try {
                got = lease.get();
            } catch (Throwable t) {
                synchronized (this) {
                    state = State.DONE;
                }
                answer.completeExceptionally(t);
                return;
            }
            boolean answerNow = false;
            boolean again = false;
            synchronized (this) {
                if (state != State.LEASING) {
                    return;
                }
                if (!got.isEmpty() || expired) {
                    state = State.DONE;
                    answerNow = true;
                } else if (!quiet.isZero()) {
                    state = State.QUIET;
                    cancelRecheck = timer.schedule(quiet, this::quietEnded);
                } else if (wokenWhileLeasing) {
                    state = State.QUEUED;
                    again = true;
                } else {
                    state = State.IDLE;
                    cancelRecheck = timer.schedule(recheck, this::wake);
                }
            }
            if (answerNow) {
                answer.complete(got);
            } else if (again) {
                submit();
            }
        }

        /** After an empty lease's quiet time: lease again if a signal came meanwhile, else wait for one. */
        private void quietEnded() {
            synchronized (this) {
                if (state != State.QUIET) {
                    return;
                }
                if (!wokenWhileLeasing) {
                    state = State.IDLE;
                    cancelRecheck = timer.schedule(recheck, this::wake);
                    return;
                }
                state = State.QUEUED;
            }
            submit();
        }

        /** The wait is over: answer none now, or let the running lease answer what it finds. */
        private void expire() {
            synchronized (this) {
                if (state == State.LEASING) {
                    expired = true;
                    return;
                }
                if (state == State.DONE) {
                    return;
                }
                state = State.DONE;
            }
            answer.complete(List.of());
        }

        /** However the answer completed (events, none, failure, cancelled by the caller): clean up, once. */
        private void done() {
            Runnable recheckTask;
            Runnable deadlineTask;
            synchronized (this) {
                state = State.DONE;
                recheckTask = cancelRecheck;
                deadlineTask = cancelDeadline;
                cancelRecheck = NOTHING;
                cancelDeadline = NOTHING;
            }
            recheckTask.run();
            deadlineTask.run();
            waiting.remove(this);
        }
    }
}
