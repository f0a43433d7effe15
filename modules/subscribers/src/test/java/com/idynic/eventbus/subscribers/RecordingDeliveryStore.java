package com.idynic.eventbus.subscribers;

import com.idynic.eventbus.api.EventEnvelope;
import com.idynic.eventbus.api.PublishReceipt;
import com.idynic.eventbus.broker.AttemptResult;
import com.idynic.eventbus.broker.Decision;
import com.idynic.eventbus.broker.spi.AuditLog;
import com.idynic.eventbus.broker.spi.DeliveryQueue;
import com.idynic.eventbus.broker.spi.Leased;
import com.idynic.eventbus.broker.spi.StoredEvent;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;

/**
 * A delivery queue and audit log in memory for the delivery loop and replays: queues events, records what was
 * done to them.
 */
public final class RecordingDeliveryStore implements DeliveryQueue, AuditLog {
    /** One settled attempt. */
    public record Settled(Leased leased, AttemptResult attempt, Decision decision) {}

    /** One audit record. */
    public record Audit(String actor, String action, String subscriptionId, String detail) {}

    private final Deque<Leased> due = new ArrayDeque<>();
    private final List<Leased> handedOut = new ArrayList<>();
    private long nextId = 1;

    /** The {@code max} of every lease call, in order. */
    public final List<Integer> leaseRequests = new ArrayList<>();

    public final List<String> withheld = new ArrayList<>();

    /** Every event id released back to pending unattempted, in order. */
    public final List<String> released = new ArrayList<>();

    public final List<Settled> settled = new ArrayList<>();
    public final List<Audit> audits = new ArrayList<>();

    /** Every event id queued again by a replay, in order. */
    public final List<String> requeued = new ArrayList<>();

    /** Runs before each requeue (e.g. to note the time or to fail). */
    public Runnable beforeRequeue = () -> {};

    /** Runs before each settlement is recorded, outside the store's lock (e.g. to hold settlements back). */
    public volatile Runnable beforeSettle = () -> {};

    /** Queues an event of this type for the subscription; it is due at once. */
    public synchronized String queue(String subscriptionId, String eventType) {
        long id = nextId++;
        String eventId = "evt-" + id;
        EventEnvelope e = EventEnvelope.of(eventId, eventType, "svc", JsonObject.EMPTY_JSON_OBJECT);
        PublishReceipt receipt =
                new PublishReceipt(eventId, OffsetDateTime.of(2026, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC), "rcpt-" + id);
        due.add(new Leased(id, subscriptionId, new StoredEvent(e, receipt, true), 1, null, Instant.EPOCH, false));
        return eventId;
    }

    /** @return the event ids of the settled deliveries, in settling order */
    public synchronized List<String> settledIds() {
        return settled.stream().map(s -> s.leased().event().envelope().id()).toList();
    }

    @Override
    public synchronized List<Leased> lease(String subscriptionId, int max, Duration leaseFor) {
        leaseRequests.add(max);
        List<Leased> out = new ArrayList<>();
        for (var it = due.iterator(); it.hasNext() && out.size() < max; ) {
            Leased l = it.next();
            if (l.subscriptionId().equals(subscriptionId)) {
                it.remove();
                out.add(l);
                handedOut.add(l);
            }
        }
        return out;
    }

    @Override
    public synchronized void release(List<Leased> deliveries) {
        deliveries.forEach(l -> released.add(l.event().envelope().id()));
    }

    @Override
    public synchronized boolean withhold(Leased delivery, String reason) {
        withheld.add(delivery.event().envelope().id() + ": " + reason);
        return true;
    }

    @Override
    public boolean settle(Leased delivery, AttemptResult attempt, Decision decision) {
        beforeSettle.run();
        synchronized (this) {
            settled.add(new Settled(delivery, attempt, decision));
        }
        return true;
    }

    @Override
    public synchronized void audit(String actor, String action, String subscriptionId, String detail) {
        audits.add(new Audit(actor, action, subscriptionId, detail));
    }

    @Override
    public synchronized int requeue(String subscriptionId, Collection<String> eventIds) {
        beforeRequeue.run();
        requeued.addAll(eventIds);
        return eventIds.size();
    }

    @Override
    public void enqueue(String eventId, String orderingKey, Collection<String> subscriptionIds) {
        throw new UnsupportedOperationException();
    }

    @Override
    public synchronized List<Leased> leased(String subscriptionId, Collection<String> eventIds) {
        return handedOut.stream()
                .filter(l -> l.subscriptionId().equals(subscriptionId)
                        && eventIds.contains(l.event().envelope().id()))
                .toList();
    }
}
