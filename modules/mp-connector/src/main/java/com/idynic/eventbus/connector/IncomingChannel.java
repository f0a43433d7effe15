package com.idynic.eventbus.connector;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * One {@code @Incoming} channel: pulls from its subscription once the stream first asks, and turns each event into a
 * message whose settlement is the bus ack or nack. Closing nacks what is still unsettled, so it comes again.
 */
final class IncomingChannel implements AutoCloseable {
    private final IncomingSettings settings;
    private final Bus bus;
    private final Handoff<BusMessage> handoff = new Handoff<>();
    private final Set<CompletableFuture<Void>> unsettled = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean started = new AtomicBoolean();

    private IncomingChannel(IncomingSettings settings, Bus bus) {
        this.settings = settings;
        this.bus = bus;
    }

    /**
     * Declares the subscription when the channel names its {@code types}, so a refusal fails the start (and closes
     * the connection).
     */
    static IncomingChannel open(IncomingSettings settings, Bus bus) {
        if (!settings.types().isEmpty()) {
            try {
                bus.declare(
                        settings.subscription(),
                        settings.types(),
                        settings.ordering() == IncomingSettings.Ordering.ORDERED,
                        settings.maxAttempts());
            } catch (RuntimeException refused) {
                bus.close();
                throw refused;
            }
        }
        return new IncomingChannel(settings, bus);
    }

    /** @return the next message, once pulled */
    CompletionStage<Message<?>> next() {
        if (started.compareAndSet(false, true)) {
            bus.subscribe(
                    settings.subscription(),
                    settings.batch(),
                    settings.workers(),
                    settings.ackDeadline(),
                    this::deliver);
        }
        return handoff.next().thenApply(m -> m);
    }

    private CompletionStage<?> deliver(IncomingEvent e) {
        CompletableFuture<Void> settled = new CompletableFuture<>();
        unsettled.add(settled);
        settled.whenComplete((ok, failed) -> unsettled.remove(settled));
        if (!handoff.offer(new BusMessage(payload(e), e, settled))) {
            settled.completeExceptionally(closing());
        }
        return settled;
    }

    private Object payload(IncomingEvent e) {
        return switch (settings.payload()) {
            case STRING -> e.data().toString();
            case JSON -> e.data();
            case EVENT -> e;
        };
    }

    private IllegalStateException closing() {
        return new IllegalStateException("channel " + settings.channel() + " closed");
    }

    @Override
    public void close() {
        List<BusMessage> left = handoff.close();
        left.forEach(m -> m.nack(closing()));
        List.copyOf(unsettled).forEach(s -> s.completeExceptionally(closing()));
        bus.close();
    }
}
