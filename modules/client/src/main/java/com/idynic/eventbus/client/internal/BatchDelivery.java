package com.idynic.eventbus.client.internal;

import com.idynic.eventbus.api.LaneSplit;
import com.idynic.eventbus.api.TraceContext;
import com.idynic.eventbus.client.BusEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Delivers one pulled batch to the app's observers: events are split into lanes by ordering key (events without
 * a key by id), lanes run in parallel and each lane hands its events to a {@link Sink} in order, several per
 * call ({@code perCall}) where the sink commits them together. When an observer throws for an event, that event
 * alone is negatively acknowledged, the later events of its key are left alone (the bus releases them and
 * delivers them again after it: per-key order holds), and the other events of the failed call are handed over
 * again (their transaction rolled back with it). A call that fails for another reason (a lost lease, a failed
 * commit) is retried one event per call, so one event's trouble cannot hold back its neighbours.
 */
final class BatchDelivery {
    private static final Logger LOG = Logger.getLogger(BatchDelivery.class.getName());

    /** Where the events go. */
    interface Sink {
        /**
         * Fires the events to the observers and settles them, all or nothing.
         *
         * @throws ObserverFailure when an observer threw for one of them (nothing of the call took effect)
         * @throws LeaseLost when the bus no longer leases one of them to this app (nothing took effect)
         */
        void deliver(List<BusEvent> events);

        /** Negatively acknowledges one event: a retry by the subscription's policy, or the dead-letter queue. */
        void nack(BusEvent event, String reason, boolean reject);
    }

    /** An observer threw for {@link #event}. */
    static final class ObserverFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient BusEvent event;

        ObserverFailure(BusEvent event, RuntimeException cause) {
            super(cause.toString(), cause);
            this.event = event;
        }
    }

    /** The bus no longer leases one of the events to this app (its lease lapsed and another holder took it). */
    static final class LeaseLost extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LeaseLost(String message) {
            super(message);
        }
    }

    /**
     * What happened to a batch.
     *
     * @param delivered events delivered (settled by the sink)
     * @param failed events negatively acknowledged
     * @param skipped events left for the bus to deliver again (behind a failed event of their key, or lost leases)
     */
    record Outcome(List<BusEvent> delivered, List<BusEvent> failed, List<BusEvent> skipped) {}

    private final String subscription;
    private final Sink sink;
    private final int lanes;
    private final int perCall;

    BatchDelivery(Sink sink, int lanes, int perCall) {
        this("?", sink, lanes, perCall);
    }

    /**
     * @param subscription the subscription the events come from (for log lines)
     * @param lanes most lanes (threads) per batch
     * @param perCall most events per {@link Sink#deliver} call
     */
    BatchDelivery(String subscription, Sink sink, int lanes, int perCall) {
        this.subscription = subscription;
        this.sink = sink;
        this.lanes = Math.max(1, lanes);
        this.perCall = Math.max(1, perCall);
    }

    /** Splits the batch into lanes and runs them on the executor; returns when every lane is done. */
    Outcome deliver(List<BusEvent> batch, Executor executor) {
        List<List<BusEvent>> byLane = lanes(batch, lanes);
        List<CompletableFuture<Outcome>> running = new ArrayList<>();
        for (List<BusEvent> lane : byLane) {
            if (!lane.isEmpty()) {
                running.add(CompletableFuture.supplyAsync(() -> lane(lane), executor));
            }
        }
        List<BusEvent> delivered = new ArrayList<>();
        List<BusEvent> failed = new ArrayList<>();
        List<BusEvent> skipped = new ArrayList<>();
        RuntimeException first = null;
        for (CompletableFuture<Outcome> f : running) {
            try {
                Outcome o = f.join();
                delivered.addAll(o.delivered());
                failed.addAll(o.failed());
                skipped.addAll(o.skipped());
            } catch (CompletionException e) {
                RuntimeException cause =
                        e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                if (first == null) {
                    first = cause;
                }
            }
        }
        if (first != null) {
            throw first;
        }
        return new Outcome(delivered, failed, skipped);
    }

    /** @return the fixed fields of a delivery log line, as the bus writes them */
    private String fields(BusEvent e) {
        return "eventId=" + e.id() + " eventType=" + e.type() + " subscription=" + subscription + " traceId="
                + TraceContext.traceIdOf(e.traceparent()) + " attempt=" + e.attempt();
    }

    private static String oneLine(String s) {
        String cut = s.length() > 200 ? s.substring(0, 200) + "…" : s;
        return cut.replace("\\", "\\\\")
                .replace("\"", "\\\"")
                .replace("\n", "\\n")
                .replace("\r", "\\r");
    }

    /**
     * @return the batch on at most {@code lanes} lanes, each in batch order: each key's events on one lane, the keys
     *     (largest first) each on the lane that holds the fewest events so far, so the lanes finish together (a batch
     *     is done when its slowest lane is; spreading keys by hash left some lanes with three keys and some with none)
     */
    static List<List<BusEvent>> lanes(List<BusEvent> batch, int lanes) {
        return LaneSplit.balanced(batch, lanes, e -> e.envelope().partitionKey());
    }

    /** One lane, in order. */
    Outcome lane(List<BusEvent> events) {
        Deque<BusEvent> pending = new ArrayDeque<>(events);
        List<BusEvent> delivered = new ArrayList<>();
        List<BusEvent> failed = new ArrayList<>();
        List<BusEvent> skipped = new ArrayList<>();
        int size = perCall;
        while (!pending.isEmpty()) {
            List<BusEvent> call = new ArrayList<>(size);
            for (BusEvent e : pending) {
                if (call.size() == size) {
                    break;
                }
                call.add(e);
            }
            try {
                sink.deliver(call);
                pending.removeAll(call);
                delivered.addAll(call);
            } catch (ObserverFailure f) {
                failed.add(f.event);
                boolean reject = rejected(f.getCause());
                LOG.log(
                        Level.WARNING,
                        "observer failed, "
                                + (reject ? "rejected, it goes to the dead-letter queue" : "it will be redelivered")
                                + ": " + fields(f.event) + " reason=\"" + oneLine(String.valueOf(f.getCause())) + "\"");
                sink.nack(f.event, String.valueOf(f.getCause()), reject);
                holdBack(f.event, pending, skipped);
            } catch (RuntimeException other) {
                if (call.size() > 1) {
                    size = 1;
                    continue;
                }
                BusEvent e = call.get(0);
                if (other instanceof LeaseLost) {
                    LOG.warning(
                            "event no longer leased to this app (its lease lapsed, see eventbus.client.ack-deadline);"
                                    + " its transaction was rolled back and the bus delivers it again: " + fields(e));
                    skipped.add(e);
                } else {
                    failed.add(e);
                    sink.nack(e, String.valueOf(other), false);
                }
                holdBack(e, pending, skipped);
            }
        }
        return new Outcome(delivered, failed, skipped);
    }

    /**
     * Takes the event and the later events of its key out of the lane (the bus delivers them again after it);
     * earlier events of its key stay.
     */
    private static void holdBack(BusEvent e, Deque<BusEvent> pending, List<BusEvent> skipped) {
        String key = e.envelope().partitionKey();
        boolean after = false;
        for (var it = pending.iterator(); it.hasNext(); ) {
            BusEvent p = it.next();
            if (p.equals(e)) {
                it.remove();
                after = true;
            } else if (after && key != null && key.equals(p.envelope().partitionKey())) {
                it.remove();
                skipped.add(p);
            }
        }
    }

    static boolean rejected(Throwable t) {
        for (; t != null; t = t.getCause()) {
            if (t instanceof com.idynic.eventbus.client.RejectEvent) {
                return true;
            }
        }
        return false;
    }
}
