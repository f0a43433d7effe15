package com.idynic.eventbus.examples.reactive;

import com.idynic.eventbus.connector.IncomingEvent;
import com.idynic.eventbus.connector.OutgoingEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Outgoing;

/**
 * A processor: each {@code order.placed} from its own subscription becomes an {@code order.confirmed} on the bus. The
 * outgoing message keeps the incoming one's ack, so the order is acked on the bus only once the confirmation is
 * stored there; were the service to stop in between, the order comes again and the confirmation's id, derived from
 * the order's, makes the second publish a duplicate the bus answers with the first receipt.
 */
@ApplicationScoped
public class OrderConfirmer {
    @Inject
    @ConfigProperty(name = "mp.messaging.outgoing.confirmations-out.type")
    String type;

    @Incoming("orders-confirm")
    @Outgoing("confirmations-out")
    public Message<OutgoingEvent> confirm(Message<IncomingEvent> message) {
        IncomingEvent order = message.getPayload();
        return message.withPayload(OutgoingEvent.of(
                        type, Map.of("orderId", order.data().path("orderId").asText(order.id())))
                .withId("conf-" + order.id())
                .withOrderingKey(order.orderingKey())
                .withCorrelationId(order.id()));
    }
}
