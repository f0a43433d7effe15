package com.idynic.eventbus.connector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.idynic.eventbus.sdk.EventBusException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

/** An outgoing channel on a fake bus: what is published for each payload, and ack once stored, nack when refused. */
class OutgoingChannelTest {
    final FakeBus bus = new FakeBus();

    /** A message that records how it was settled: "ack" or the nack's reason. */
    static final class Recorded {
        final AtomicReference<Object> outcome = new AtomicReference<>();

        Message<Object> of(Object payload) {
            return Message.of(
                    payload,
                    () -> {
                        outcome.set("ack");
                        return CompletableFuture.completedFuture(null);
                    },
                    reason -> {
                        outcome.set(reason);
                        return CompletableFuture.completedFuture(null);
                    });
        }
    }

    OutgoingChannel channel(String... attributes) {
        return new OutgoingChannel(OutgoingSettings.from(SettingsTest.attributes(attributes)), bus);
    }

    @Test
    void anOutgoingEventIsPublishedAsItIsAndItsMessageAckedOnceTheBusStoredIt() {
        Recorded r = new Recorded();
        OutgoingEvent e = OutgoingEvent.of("shipment.sent", Map.of("orderId", "ord-1"))
                .withId("shp-1")
                .withOrderingKey("ord-1");
        channel("type", "other.type").send(r.of(e));
        assertEquals(List.of(e), bus.published);
        assertNull(r.outcome.get(), "not settled before the bus answers");
        bus.publishes.get(0).complete("receipt");
        assertEquals("ack", r.outcome.get());
    }

    @Test
    void anyOtherPayloadIsTheDataOfTheChannelsTypeAndJsonTextIsParsed() throws Exception {
        Recorded r = new Recorded();
        OutgoingChannel channel = channel("type", "shipment.sent");
        channel.send(r.of(Map.of("orderId", "ord-1")));
        channel.send(r.of("{\"orderId\":\"ord-2\"}"));
        assertEquals(
                List.of(
                        OutgoingEvent.of("shipment.sent", Map.of("orderId", "ord-1")),
                        OutgoingEvent.of("shipment.sent", new ObjectMapper().readTree("{\"orderId\":\"ord-2\"}"))),
                bus.published);
    }

    @Test
    void aRefusalByTheBusNacksTheMessageWithTheBusError() {
        Recorded r = new Recorded();
        channel("type", "shipment.sent").send(r.of(Map.of("orderId", "ord-1")));
        EventBusException forbidden = new EventBusException(403, "FORBIDDEN", "may not publish", null, null);
        bus.publishes.get(0).completeExceptionally(new CompletionException(forbidden));
        assertSame(forbidden, r.outcome.get());
    }

    @Test
    void aPayloadWithoutATypeOrNotAJsonObjectIsNackedAndNotPublished() {
        Recorded untyped = new Recorded();
        channel().send(untyped.of(Map.of("orderId", "ord-1")));
        assertEquals(
                "channel orders-in has no type attribute and the payload is no OutgoingEvent",
                ((IllegalArgumentException) untyped.outcome.get()).getMessage());
        Recorded notJson = new Recorded();
        channel("type", "shipment.sent").send(notJson.of("ord-1"));
        assertEquals(IllegalArgumentException.class, notJson.outcome.get().getClass());
        assertEquals(List.of(), bus.published);
    }
}
