package com.idynic.eventbus.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * N clients, each sending its next operation as soon as the previous one answered. Operations that complete
 * during the warm-up are not counted; the window's rate is what completed inside it divided by its length.
 */
final class ClosedLoop {
    /** One client's connection (HTTP, JDBC, a channel): {@link #call()} does one operation. */
    interface Client extends AutoCloseable {
        /** @return the outcome: the HTTP status, or 0 for an anchor's success */
        int call() throws Exception;

        @Override
        default void close() throws Exception {}
    }

    /** Opens client {@code index} before the clock starts (connections are not measured). */
    interface Factory {
        Client open(int index) throws Exception;
    }

    /** Runs at the start and at the end of the measured window, on the coordinating thread. */
    interface Hooks {
        default void windowStart() {}

        default void windowEnd() {}
    }

    private static final Hooks NO_HOOKS = new Hooks() {};

    /** Longest a client may still be busy after the window before it is left behind (HTTP timeouts are 30 s). */
    private static final long STRAGGLER_NANOS = TimeUnit.SECONDS.toNanos(65);

    private final ProcessSampler sampler;

    ClosedLoop(ProcessSampler sampler) {
        this.sampler = sampler;
    }

    /** A timed run: warm-up, then the measured window. */
    LoadResult run(int clients, Factory factory, int okStatus, int unitsPerOp, Plan plan) throws Exception {
        return run(clients, factory, okStatus, unitsPerOp, plan.warmupNanos(), plan.measureNanos(), -1, NO_HOOKS);
    }

    LoadResult run(int clients, Factory factory, int okStatus, int unitsPerOp, Plan plan, Hooks hooks)
            throws Exception {
        return run(clients, factory, okStatus, unitsPerOp, plan.warmupNanos(), plan.measureNanos(), -1, hooks);
    }

    /**
     * A counted run: no warm-up, ends when {@code operations} were sent (or at {@code deadlineNanos}); the window
     * is from the start to the last success.
     */
    LoadResult count(int clients, Factory factory, int okStatus, int unitsPerOp, long operations, long deadlineNanos)
            throws Exception {
        return run(clients, factory, okStatus, unitsPerOp, 0, deadlineNanos, operations, NO_HOOKS);
    }

    private LoadResult run(
            int clients,
            Factory factory,
            int okStatus,
            int unitsPerOp,
            long warmupNanos,
            long measureNanos,
            long operations,
            Hooks hooks)
            throws Exception {
        List<Client> opened = new ArrayList<>();
        try {
            for (int i = 0; i < clients; i++) {
                opened.add(factory.open(i));
            }
            long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
            long windowStart = start + warmupNanos;
            long windowEnd = windowStart + measureNanos;
            AtomicLong tickets = new AtomicLong(operations);
            AtomicLong lastOk = new AtomicLong(start);
            CountDownLatch go = new CountDownLatch(1);
            CountDownLatch done = new CountDownLatch(clients);
            List<Worker> workers = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                Worker w = new Worker(
                        opened.get(i), okStatus, windowStart, windowEnd, operations >= 0, tickets, lastOk, go, done);
                workers.add(w);
                Thread t = new Thread(w, "client-" + i);
                t.setDaemon(true);
                t.start();
            }
            go.countDown();
            sleepUntil(windowStart);
            ProcessSampler.Window usage = sampler.start();
            hooks.windowStart();
            if (operations < 0) {
                sleepUntil(windowEnd);
            } else {
                done.await(measureNanos, TimeUnit.NANOSECONDS);
            }
            hooks.windowEnd();
            Usage used = usage.stop();
            boolean finished = done.await(STRAGGLER_NANOS, TimeUnit.NANOSECONDS);
            double seconds = operations < 0
                    ? measureNanos / 1e9
                    : Math.max(1e-3, (Math.min(lastOk.get(), windowEnd) - windowStart) / 1e9);
            return merge(workers, clients, seconds, unitsPerOp, used, finished);
        } finally {
            for (Client c : opened) {
                try {
                    c.close();
                } catch (Exception e) {
                    // closing a client that failed is best effort
                }
            }
        }
    }

    private static LoadResult merge(
            List<Worker> workers, int clients, double seconds, int unitsPerOp, Usage usage, boolean finished) {
        Histogram h = LoadResult.histogram();
        Map<Integer, Long> statuses = new HashMap<>();
        long ok = 0;
        long errors = 0;
        String firstError = finished ? null : "some clients were still busy 65 s after the window (left behind)";
        for (Worker w : workers) {
            synchronized (w) {
                h.add(w.latency);
                ok += w.ok;
                errors += w.errors;
                w.statuses.forEach((k, v) -> statuses.merge(k, v, Long::sum));
                if (firstError == null && w.firstError != null) {
                    firstError = w.firstError;
                }
            }
        }
        return new LoadResult(clients, seconds, ok, unitsPerOp, h, statuses, errors, firstError, usage);
    }

    static void sleepUntil(long nanoTime) {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
        }
    }

    private static final class Worker implements Runnable {
        private final Client client;
        private final int okStatus;
        private final long windowStart;
        private final long windowEnd;
        private final boolean counted;
        private final AtomicLong tickets;
        private final AtomicLong lastOk;
        private final CountDownLatch go;
        private final CountDownLatch done;
        private final Histogram latency = LoadResult.histogram();
        private final Map<Integer, Long> statuses = new HashMap<>();
        private long ok;
        private long errors;
        private String firstError;

        Worker(
                Client client,
                int okStatus,
                long windowStart,
                long windowEnd,
                boolean counted,
                AtomicLong tickets,
                AtomicLong lastOk,
                CountDownLatch go,
                CountDownLatch done) {
            this.client = client;
            this.okStatus = okStatus;
            this.windowStart = windowStart;
            this.windowEnd = windowEnd;
            this.counted = counted;
            this.tickets = tickets;
            this.lastOk = lastOk;
            this.go = go;
            this.done = done;
        }

        @Override
        public void run() {
            try {
                go.await();
                while (true) {
                    long s = System.nanoTime();
                    if (s >= windowEnd || (counted && tickets.getAndDecrement() <= 0)) {
                        return;
                    }
                    int status;
                    String error = null;
                    try {
                        status = client.call();
                    } catch (Exception e) {
                        status = -1;
                        error = e.toString();
                    }
                    long f = System.nanoTime();
                    boolean inWindow = f >= windowStart && f < windowEnd;
                    boolean success = status == okStatus;
                    synchronized (this) {
                        if (inWindow) {
                            if (success) {
                                ok++;
                                latency.recordValue(Math.min((f - s) / 1000, latency.getHighestTrackableValue()));
                            } else if (error != null) {
                                errors++;
                            } else {
                                statuses.merge(status, 1L, Long::sum);
                            }
                        }
                        if (error != null && firstError == null) {
                            firstError = error;
                        }
                    }
                    if (success) {
                        lastOk.accumulateAndGet(f, Math::max);
                    } else if (error != null) {
                        Thread.sleep(10);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                done.countDown();
            }
        }
    }
}
