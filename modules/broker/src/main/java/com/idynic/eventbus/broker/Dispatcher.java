package com.idynic.eventbus.broker;

import com.idynic.eventbus.api.EventEnvelope;
import com.idynic.eventbus.broker.spi.DeliveryQueue;
import com.idynic.eventbus.broker.spi.SubscriptionDirectory;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * Fans one relayed event out to the subscriptions that want it by recording a delivery row for each.
 * The caller commits the Kafka offset only after this returns, so a crash replays the record and the
 * idempotent enqueue absorbs the repeat.
 *
 * @since 0.1.0
 */
public final class Dispatcher {
    private static final Logger LOG = Logger.getLogger(Dispatcher.class.getName());
    private final SubscriptionDirectory directory;
    private final DeliveryQueue deliveries;
    private final Signal enqueued;

    /**
     * @param directory subscriptions by type (paused and disabled ones too: they accumulate)
     * @param deliveries delivery rows
     * @param enqueued raised after rows were added (wakes long-polling pullers)
     */
    public Dispatcher(SubscriptionDirectory directory, DeliveryQueue deliveries, Signal enqueued) {
        this.directory = directory;
        this.deliveries = deliveries;
        this.enqueued = enqueued;
    }

    /**
     * @param event the relayed event
     * @return number of subscriptions the event was queued for
     */
    public int dispatch(EventEnvelope event) {
        return dispatchAll(List.of(event));
    }

    /**
     * Fans a batch of relayed events out with one write for the whole batch.
     *
     * @param events relayed events in Kafka order
     * @return delivery rows requested (events times matching subscriptions)
     * @since 0.5.0
     */
    public int dispatchAll(List<EventEnvelope> events) {
        List<RelayedEvent> relayed = new ArrayList<>(events.size());
        for (EventEnvelope e : events) {
            relayed.add(RelayedEvent.of(e));
        }
        return dispatchRelayed(relayed);
    }

    /**
     * Fans a batch of events read from the events topic out with one write for the whole batch, matching each by
     * its type (its record is parsed only for a subscription whose filter needs the body) and passing on the
     * sequence number its record carries.
     *
     * @param events events in Kafka order
     * @return delivery rows requested (events times matching subscriptions)
     * @since 0.22.0
     */
    public int dispatchRelayed(List<RelayedEvent> events) {
        List<DeliveryQueue.Enqueue> rows = new ArrayList<>(events.size());
        int n = 0;
        for (RelayedEvent event : events) {
            List<String> subs;
            try {
                subs = directory.matching(event);
            } catch (RelayedEvent.Unreadable bad) {
                LOG.warning("skipping a record that is not an event envelope: " + bad.getMessage());
                continue;
            }
            if (!subs.isEmpty()) {
                rows.add(new DeliveryQueue.Enqueue(event.id(), event.partitionKey(), subs, event.seq()));
                n += subs.size();
            }
        }
        if (rows.isEmpty()) {
            return 0;
        }
        deliveries.enqueueAll(rows);
        enqueued.raise();
        return n;
    }
}
