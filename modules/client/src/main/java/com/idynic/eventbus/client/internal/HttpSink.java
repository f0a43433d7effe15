package com.idynic.eventbus.client.internal;

import com.idynic.eventbus.client.BusEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Delivers at least once over the bus's API, for an app whose writes do not share the bus's database: fires each
 * event (one per call) and collects the delivered ones, acknowledged together in one request per batch ({@link
 * #ackCollected}); a failure is negatively acknowledged at once. Observers deduplicate with {@code
 * ProcessedEvents}.
 */
final class HttpSink implements BatchDelivery.Sink {
    private final PullClient client;
    private final String subscription;
    private final Consumer<BusEvent> fire;
    private final List<String> delivered = new ArrayList<>();

    HttpSink(PullClient client, String subscription, Consumer<BusEvent> fire) {
        this.client = client;
        this.subscription = subscription;
        this.fire = fire;
    }

    @Override
    public void deliver(List<BusEvent> events) {
        for (BusEvent e : events) {
            try {
                fire.accept(e);
            } catch (RuntimeException failure) {
                throw new BatchDelivery.ObserverFailure(e, failure);
            }
            synchronized (delivered) {
                delivered.add(e.id());
            }
        }
    }

    /** Acknowledges every event delivered since the last call, in one request. */
    void ackCollected() throws IOException {
        List<String> ids;
        synchronized (delivered) {
            ids = List.copyOf(delivered);
            delivered.clear();
        }
        if (!ids.isEmpty()) {
            client.ack(subscription, ids);
        }
    }

    @Override
    public void nack(BusEvent event, String reason, boolean reject) {
        try {
            client.nack(subscription, event.id(), reason, reject);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
