package com.idynic.eventbus.examples.profile;

import com.idynic.eventbus.client.BusEvent;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the observers saw, in order, so the demo (and the tests) can show it: the last {@link #KEPT} calls, so that a
 * long run (the soak test) does not grow the app's heap with its own bookkeeping.
 */
@ApplicationScoped
public class Received {
    /**
     * One observer call.
     *
     * @param receivedAt when the observer was called (microseconds where the clock has them), so
     *     publish-to-observer latency can be measured
     * @param traceparent the delivery's W3C trace context as the observer saw it ({@code BusEvent.traceparent()})
     */
    public record Call(
            String eventId, String type, int attempt, boolean failed, Instant receivedAt, String traceparent) {
        Call(BusEvent e, boolean failed) {
            this(e.id(), e.type(), e.attempt(), failed, Instant.now(), e.traceparent());
        }
    }

    /** How many calls are kept (the oldest go first). */
    static final int KEPT = 10_000;

    private final ArrayDeque<Call> calls = new ArrayDeque<>();
    private long total;
    private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();

    @Resource
    TransactionSynchronizationRegistry transaction;

    /**
     * Records a successful call once its transaction commits (an observer runs in the transaction that
     * acknowledges its event; one rolled back, e.g. with another event of the same transaction, is not a
     * delivery and the event comes again), or at once outside a transaction.
     */
    void recordWhenCommitted(Call c) {
        if (transaction.getTransactionStatus() != Status.STATUS_ACTIVE) {
            record(c);
            return;
        }
        transaction.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {}

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    record(c);
                }
            }
        });
    }

    synchronized void record(Call c) {
        if (calls.size() == KEPT) {
            calls.removeFirst();
        }
        calls.addLast(c);
        total++;
    }

    /** @return how many calls were recorded since the app started, those dropped from {@link #calls()} included */
    synchronized long total() {
        return total;
    }

    synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    /**
     * @return how often the event with this id failed so far, after counting one more attempt; only events asked to
     *     fail are counted, so the map does not grow with every event
     */
    int attempts(String eventId) {
        return failures.computeIfAbsent(eventId, k -> new AtomicInteger()).incrementAndGet();
    }
}
