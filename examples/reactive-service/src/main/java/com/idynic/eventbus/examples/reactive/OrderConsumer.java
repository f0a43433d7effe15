package com.idynic.eventbus.examples.reactive;

import com.idynic.eventbus.connector.IncomingEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Consumes {@code order.placed} from the bus: acks each order (a bus ack) and nacks the ones marked
 * {@code "fail": true} (a bus nack: retried by the subscription's policy, then dead-lettered).
 */
@ApplicationScoped
public class OrderConsumer {
    @Inject
    Received received;

    @Incoming("orders-in")
    public CompletionStage<Void> consume(Message<IncomingEvent> message) {
        IncomingEvent order = message.getPayload();
        boolean fail = order.data().path("fail").asBoolean(false);
        received.add(order, fail ? "nack" : "ack");
        return fail ? message.nack(new IllegalStateException("refused by the example")) : message.ack();
    }
}
