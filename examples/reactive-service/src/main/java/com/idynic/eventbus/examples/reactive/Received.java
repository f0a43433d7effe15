package com.idynic.eventbus.examples.reactive;

import com.idynic.eventbus.connector.IncomingEvent;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** What {@link OrderConsumer} was handed, in arrival order, for the demo endpoint. */
@ApplicationScoped
public class Received {
    /** One delivery: the event, its attempt and what the consumer answered. */
    public record Delivery(String id, String orderingKey, int attempt, String outcome) {}

    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();

    void add(IncomingEvent e, String outcome) {
        deliveries.add(new Delivery(e.id(), e.orderingKey(), e.attempt(), outcome));
    }

    /** @return every delivery so far, oldest first */
    public List<Delivery> all() {
        return List.copyOf(deliveries);
    }
}
