package com.idynic.eventbus.broker;

import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.ErrorCode;
import com.idynic.eventbus.api.EventEnvelope;
import com.idynic.eventbus.api.PublishReceipt;
import com.idynic.eventbus.broker.spi.EventBatchStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Group commit for publish. Request threads hand their event to a queue and wait; each writer thread takes
 * whatever has queued up (at most {@code maxBatch}) and stores it in one transaction, so concurrent
 * publishes share one commit and one fsync. Nothing waits on a timer: a lone publish is written at once,
 * and while one batch commits the next one gathers. Every caller is answered only after the transaction
 * holding its event committed.
 *
 * <p>Each writer is a {@link SupervisedLoop} ({@code publish-writer-0}, …): a writer that fails, an {@link
 * Error} included, answers its batch's callers with the failure and is restarted with backoff.
 *
 * <p>A repeated id inside one batch is written once (the first entry) and the repeat is answered "id
 * taken", exactly as if it had come later. When a batch fails, its entries are tried one by one, so one
 * entry the database refuses cannot fail the others.
 *
 * @since 0.5.0
 */
public final class GroupCommit implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(GroupCommit.class.getName());

    private record Pending(EventBatchStore.Entry entry, CompletableFuture<Boolean> done) {}

    private final EventBatchStore store;
    private final BlockingQueue<Pending> queue;
    private final int maxBatch;
    private final Duration maxWait;
    private final List<SupervisedLoop> writers = new ArrayList<>();
    private final List<Thread> writerThreads = new ArrayList<>();
    private volatile boolean running = true;

    /**
     * @param store where batches go
     * @param writers writer threads (2 lets one batch gather while another commits)
     * @param maxBatch most events per transaction
     * @param queueCapacity most events waiting; beyond it publish is refused as overloaded
     * @param maxWait longest a caller waits for its commit before it is told the store is unavailable
     * @param threads makes the writer threads (container-managed in the server)
     * @param loops supervises the writers
     */
    public GroupCommit(
            EventBatchStore store,
            int writers,
            int maxBatch,
            int queueCapacity,
            Duration maxWait,
            ThreadFactory threads,
            Loops loops) {
        this.store = store;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.maxBatch = maxBatch;
        this.maxWait = maxWait;
        for (int i = 0; i < writers; i++) {
            this.writers.add(loops.supervise("publish-writer-" + i, this::write, () -> running = false));
        }
        this.writers.forEach(w -> writerThreads.add(w.start(threads)));
    }

    /**
     * Stores the event with its outbox row, together with whatever else is being published.
     *
     * @return true when stored (committed), false when an event with its id exists already
     * @throws BusException {@code OVERLOADED} when too many events wait for the writers
     * @throws RuntimeException when the store failed (the event was not stored) or did not answer in time
     */
    public boolean append(EventEnvelope event, PublishReceipt receipt) {
        Pending p = new Pending(new EventBatchStore.Entry(event, receipt), new CompletableFuture<>());
        if (!running || !queue.offer(p)) {
            throw new BusException(
                    ErrorCode.OVERLOADED,
                    "The bus is behind: " + queue.size() + " publishes wait to be stored; retry later",
                    Map.of("retryAfterSeconds", 1));
        }
        try {
            return p.done.get(maxWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the event was being stored", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the event store did not commit within " + maxWait, e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    /**
     * Stores a batch that arrived as one request in one transaction of its own, at once (it is a group
     * already, and its events are answered together).
     *
     * @param batch entries with distinct ids
     * @return the ids stored (committed)
     */
    public Set<String> appendAll(List<EventBatchStore.Entry> batch) {
        return store.appendAll(batch);
    }

    private void write() {
        List<Pending> batch = new ArrayList<>(maxBatch);
        while (running) {
            try {
                Pending first = queue.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                commit(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException | Error e) {
                batch.forEach(p -> p.done.completeExceptionally(e));
                throw e;
            } finally {
                batch.clear();
            }
        }
        Pending p;
        while ((p = queue.poll()) != null) {
            p.done.completeExceptionally(new IllegalStateException("the bus is stopping"));
        }
    }

    /** Writes the first entry of each id; repeats are answered "taken" once the batch committed. */
    void commit(List<Pending> batch) {
        List<EventBatchStore.Entry> unique = new ArrayList<>(batch.size());
        Set<String> ids = new HashSet<>();
        for (Pending p : batch) {
            if (ids.add(p.entry.event().id())) {
                unique.add(p.entry);
            }
        }
        Set<String> stored;
        try {
            stored = store.appendAll(unique);
        } catch (RuntimeException failed) {
            if (unique.size() == 1) {
                batch.forEach(p -> p.done.completeExceptionally(failed));
                return;
            }
            // one entry the database refuses must not fail the others; a store that is down fails them all
            // within the callers' wait rather than once per entry
            LOG.log(Level.FINE, "a batch of " + unique.size() + " failed; storing its events one by one", failed);
            long giveUpAt = System.nanoTime() + maxWait.toNanos() / 2;
            for (Pending p : batch) {
                if (System.nanoTime() - giveUpAt > 0) {
                    p.done.completeExceptionally(failed);
                } else {
                    commit(List.of(p));
                }
            }
            return;
        }
        for (Pending p : batch) {
            // remove: only the first entry of an id was written by this batch
            p.done.complete(stored.remove(p.entry.event().id()));
        }
    }

    /** Stops the writers; events still queued are answered as not stored. */
    @Override
    public void close() {
        running = false;
        writers.forEach(SupervisedLoop::stop);
        writerThreads.forEach(Thread::interrupt);
    }
}
