package com.idynic.eventbus.examples.profile;

import com.idynic.eventbus.api.PublishReceipt;
import com.idynic.eventbus.client.EventPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.transaction.Transactional;

/** Places an order and publishes {@code order.placed} in the same JTA transaction. */
@ApplicationScoped
public class OrderService {
    /** Thrown after publishing to roll the transaction back; carries the id the event would have had. */
    public static class OrderRejected extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String eventId;

        OrderRejected(String eventId) {
            super("order rejected after publishing " + eventId);
            this.eventId = eventId;
        }
    }

    @Inject
    EventPublisher publisher;

    /**
     * Refuses an order whose event the bus would refuse, before {@link #place} starts its transaction.
     *
     * @throws com.idynic.eventbus.api.BusException naming the invalid field
     */
    public void check(JsonObject order) {
        publisher.check("order.placed", order, metadata(order));
    }

    /**
     * @param order the order data
     * @param rejectAfterPublish roll back after the publish call, to show that no event survives
     */
    @Transactional
    public PublishReceipt place(JsonObject order, boolean rejectAfterPublish) {
        PublishReceipt r = publisher.publish("order.placed", order, metadata(order));
        if (rejectAfterPublish) {
            throw new OrderRejected(r.eventId());
        }
        return r;
    }

    private static JsonObject metadata(JsonObject order) {
        return Json.createObjectBuilder()
                .add("correlationId", "corr-" + order.getString("orderId", "none"))
                .add("partitionKey", order.getString("customerId", "none"))
                .build();
    }
}
