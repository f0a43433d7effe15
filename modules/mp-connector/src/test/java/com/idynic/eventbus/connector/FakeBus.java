package com.idynic.eventbus.connector;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/** The bus as the channels see it, in memory: what was declared, the running pull's handler, what was published. */
final class FakeBus implements Bus {
    record Declared(String subscription, List<String> types, boolean ordered, int maxAttempts) {}

    record Pull(String subscription, int batch, int workers, Duration ackDeadline) {}

    final List<Declared> declared = new ArrayList<>();
    final List<Pull> pulls = new ArrayList<>();
    final List<OutgoingEvent> published = new ArrayList<>();
    final List<CompletableFuture<Object>> publishes = new ArrayList<>();
    Function<IncomingEvent, CompletionStage<?>> handler;
    RuntimeException declareRefusal;
    RuntimeException publishThrows;
    boolean closed;

    @Override
    public void declare(String subscription, List<String> types, boolean ordered, int maxAttempts) {
        if (declareRefusal != null) {
            throw declareRefusal;
        }
        declared.add(new Declared(subscription, types, ordered, maxAttempts));
    }

    @Override
    public void subscribe(
            String subscription,
            int batch,
            int workers,
            Duration ackDeadline,
            Function<IncomingEvent, CompletionStage<?>> handler) {
        pulls.add(new Pull(subscription, batch, workers, ackDeadline));
        this.handler = handler;
    }

    /** Hands an event to the running pull as the SDK does; @return its settlement */
    CompletableFuture<?> pulled(IncomingEvent e) {
        return handler.apply(e).toCompletableFuture();
    }

    @Override
    public CompletionStage<?> publish(OutgoingEvent event) {
        if (publishThrows != null) {
            throw publishThrows;
        }
        published.add(event);
        CompletableFuture<Object> stored = new CompletableFuture<>();
        publishes.add(stored);
        return stored;
    }

    @Override
    public void close() {
        closed = true;
    }
}
