package com.idynic.eventbus.connector;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * The subscriber end of an {@code @Outgoing} channel: asks upstream for {@code max-pending} messages and for one more
 * each time one of them is settled by the bus (stored: acked; refused: nacked). Reactive Streams demand is the bound,
 * as a Kafka producer's {@code buffer.memory} is: a fast producer method is held back while the bus is slow or away,
 * and an emitter's own buffer fills and applies its {@code @OnOverflow} strategy instead of this channel's memory
 * growing.
 */
final class BoundedSubscriber implements Subscriber<Message<?>> {
    private static final System.Logger LOG = System.getLogger(BoundedSubscriber.class.getName());

    private final OutgoingChannel channel;
    private final AtomicReference<Subscription> upstream = new AtomicReference<>();

    BoundedSubscriber(OutgoingChannel channel) {
        this.channel = channel;
    }

    @Override
    public void onSubscribe(Subscription s) {
        if (!upstream.compareAndSet(null, s)) {
            s.cancel();
            return;
        }
        s.request(channel.pendingLimit());
    }

    @Override
    public void onNext(Message<?> message) {
        CompletionStage<Void> settled;
        try {
            settled = channel.send(message);
        } catch (RuntimeException e) {
            // never lose demand (and never throw from onNext): the message counts as settled
            LOG.log(System.Logger.Level.WARNING, "an idynic-eventbus outgoing message was not sent: " + e);
            settled = CompletableFuture.completedFuture(null);
        }
        settled.whenComplete((x, y) -> upstream.get().request(1));
    }

    @Override
    public void onError(Throwable failure) {
        LOG.log(System.Logger.Level.WARNING, "an idynic-eventbus outgoing channel's upstream failed: " + failure);
    }

    @Override
    public void onComplete() {
        // what was taken is settled as the bus answers; closing the connector sends what the SDK still holds
    }
}
