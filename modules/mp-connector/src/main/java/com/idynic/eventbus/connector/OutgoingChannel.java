package com.idynic.eventbus.connector;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
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

    /** @return completes once the message is settled: acked (stored) or nacked (refused), never exceptionally */
    CompletionStage<Void> send(Message<?> message) {
        OutgoingEvent event;
        try {
            event = event(message.getPayload());
        } catch (RuntimeException refused) {
            try {
                return settled(message.nack(refused));
            } catch (RuntimeException nackFailed) {
                return CompletableFuture.completedFuture(null);
            }
        }
        CompletableFuture<Void> settled = new CompletableFuture<>();
        CompletionStage<?> published;
        try {
            published = bus.publish(event);
        } catch (RuntimeException failed) {
            published = CompletableFuture.failedFuture(failed);
        }
        published.whenComplete((stored, failed) -> {
            try {
                CompletionStage<Void> s = failed == null
                        ? message.ack()
                        : message.nack(
                                failed instanceof CompletionException && failed.getCause() != null
                                        ? failed.getCause()
                                        : failed);
                settled(s).whenComplete((x, y) -> settled.complete(null));
            } catch (RuntimeException ackFailed) {
                // an ack or nack function that throws still settles the message for the channel's bound
                settled.complete(null);
            }
        });
        return settled;
    }

    /** @return the settlement's stage, completed normally whatever the ack or nack function did */
    private static CompletionStage<Void> settled(CompletionStage<Void> ackOrNack) {
        return ackOrNack == null ? CompletableFuture.completedFuture(null) : ackOrNack.handle((x, y) -> (Void) null);
    }

    /** @return messages taken from upstream and not yet settled, at most {@link OutgoingSettings#maxPending()} */
    int pendingLimit() {
        return settings.maxPending();
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
