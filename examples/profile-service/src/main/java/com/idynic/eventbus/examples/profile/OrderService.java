package com.idynic.eventbus.examples.profile;

import com.idynic.eventbus.api.PublishReceipt;
import com.idynic.eventbus.client.EventPublisher;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;

/** Places an order and publishes {@code order.placed} in the same JTA transaction. */
@ApplicationScoped
public class OrderService {
    /**
     * What became of an order.
     *
     * @param receipt the publish receipt (the event exists only if {@code committed})
     * @param committed false when the transaction was rolled back after publishing
     */
    public record Placed(PublishReceipt receipt, boolean committed) {}

    @Inject
    EventPublisher publisher;

    @Resource
    TransactionSynchronizationRegistry transaction;

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
    public Placed place(JsonObject order, boolean rejectAfterPublish) {
        PublishReceipt r = publisher.publish("order.placed", order, metadata(order));
        if (rejectAfterPublish) {
            // marked rather than thrown: an exception through @Transactional makes the server write an FFDC
            // incident with a stack trace, for what is here an expected outcome
            transaction.setRollbackOnly();
        }
        return new Placed(r, !rejectAfterPublish);
    }

    private static JsonObject metadata(JsonObject order) {
        return Json.createObjectBuilder()
                .add("correlationId", "corr-" + order.getString("orderId", "none"))
                .add("partitionKey", order.getString("customerId", "none"))
                .build();
    }
}
