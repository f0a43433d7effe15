package com.idynic.eventbus.connector;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.concurrent.CompletionException;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * One {@code @Outgoing} channel: publishes each message's payload and acks the message once the bus stored the event
 * (so an emitter's {@code send} completes then), or nacks it with the bus's refusal.
 */
final class OutgoingChannel implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final OutgoingSettings settings;
    private final Bus bus;

    OutgoingChannel(OutgoingSettings settings, Bus bus) {
        this.settings = settings;
        this.bus = bus;
    }

    void send(Message<?> message) {
        OutgoingEvent event;
        try {
            event = event(message.getPayload());
        } catch (RuntimeException refused) {
            message.nack(refused);
            return;
        }
        bus.publish(event).whenComplete((stored, failed) -> {
            if (failed == null) {
                message.ack();
            } else {
                message.nack(
                        failed instanceof CompletionException && failed.getCause() != null
                                ? failed.getCause()
                                : failed);
            }
        });
    }

    /** @return the payload as an event: an {@link OutgoingEvent} as it is, anything else as data of the channel's type */
    OutgoingEvent event(Object payload) {
        OutgoingEvent e;
        if (payload instanceof OutgoingEvent given) {
            e = given;
        } else if (settings.type() != null) {
            e = OutgoingEvent.of(settings.type(), payload);
        } else {
            throw new IllegalArgumentException(
                    "channel " + settings.channel() + " has no type attribute and the payload is no OutgoingEvent");
        }
        if (e.data() instanceof String text) {
            try {
                return new OutgoingEvent(
                        e.type(), JSON.readTree(text), e.id(), e.orderingKey(), e.source(), e.correlationId());
            } catch (JsonProcessingException notJson) {
                throw new IllegalArgumentException("channel " + settings.channel() + ": a text payload must be a JSON"
                        + " object: " + notJson.getOriginalMessage());
            }
        }
        return e;
    }

    @Override
    public void close() {
        bus.close();
    }
}
