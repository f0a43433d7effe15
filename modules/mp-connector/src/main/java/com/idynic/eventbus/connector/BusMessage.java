package com.idynic.eventbus.connector;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * An incoming event as a message: {@code ack()} settles it as processed (the bus ack goes out with its pull's), and
 * {@code nack(reason)} as failed (the bus retries it by the subscription's policy, or dead-letters it at once when
 * the reason is a {@code RejectException}). The first call counts.
 */
final class BusMessage implements Message<Object> {
    private final Object payload;
    private final IncomingEvent event;
    private final CompletableFuture<Void> settled;

    BusMessage(Object payload, IncomingEvent event, CompletableFuture<Void> settled) {
        this.payload = payload;
        this.event = event;
        this.settled = settled;
    }

    @Override
    public Object getPayload() {
        return payload;
    }

    @Override
    public CompletionStage<Void> ack() {
        settled.complete(null);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> nack(Throwable reason) {
        settled.completeExceptionally(reason != null ? reason : new IllegalStateException("nacked"));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public Supplier<CompletionStage<Void>> getAck() {
        return this::ack;
    }

    @Override
    public Function<Throwable, CompletionStage<Void>> getNack() {
        return this::nack;
    }

    /** @return the {@link IncomingEvent} for {@code IncomingEvent.class}, this message for its own class */
    @Override
    public <C> C unwrap(Class<C> type) {
        if (type.isInstance(event)) {
            return type.cast(event);
        }
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new IllegalArgumentException("an idynic-eventbus message is no " + type.getName());
    }
}
