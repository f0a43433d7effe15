package com.idynic.eventbus.connector;

import com.idynic.eventbus.sdk.Event;
import com.idynic.eventbus.sdk.EventBus;
import com.idynic.eventbus.sdk.PublishOptions;
import com.idynic.eventbus.sdk.SubscribeOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/** The channels' bus over HTTP: one Java SDK connection per channel (its token, batching and pulls). */
final class SdkBus implements Bus {
    private final EventBus bus;

    private SdkBus(EventBus bus) {
        this.bus = bus;
    }

    /** Exchanges the key for a token now, so a bad key or URL fails the application's start. */
    static SdkBus incoming(IncomingSettings s) {
        return new SdkBus(EventBus.connect(s.url(), s.apiKey()));
    }

    static SdkBus outgoing(OutgoingSettings s) {
        EventBus.Builder b =
                EventBus.builder(s.url(), s.apiKey()).linger(s.linger()).maxInFlight(s.maxInFlight());
        if (s.source() != null) {
            b.source(s.source());
        }
        return new SdkBus(b.connect());
    }

    @Override
    public void declare(String subscription, List<String> types, boolean ordered, int maxAttempts) {
        bus.declarePullSubscription(subscription, types, ordered, maxAttempts);
    }

    @Override
    public void subscribe(
            String subscription,
            int batch,
            int workers,
            Duration ackDeadline,
            Function<IncomingEvent, CompletionStage<?>> handler) {
        SubscribeOptions o =
                SubscribeOptions.defaults().maxEvents(batch).workers(workers).ackDeadline(ackDeadline);
        bus.subscribeAsync(subscription, e -> handler.apply(incoming(e)), o);
    }

    static IncomingEvent incoming(Event e) {
        return new IncomingEvent(
                e.id(),
                e.type(),
                e.source(),
                e.orderingKey(),
                e.metadata("correlationId"),
                e.timestamp(),
                e.traceparent(),
                e.attempt(),
                e.replay(),
                e.data());
    }

    @Override
    public CompletionStage<?> publish(OutgoingEvent e) {
        PublishOptions o = PublishOptions.none();
        if (e.id() != null) {
            o = o.id(e.id());
        }
        if (e.orderingKey() != null) {
            o = o.orderingKey(e.orderingKey());
        }
        if (e.source() != null) {
            o = o.source(e.source());
        }
        if (e.correlationId() != null) {
            o = o.correlationId(e.correlationId());
        }
        return bus.publishAsync(e.type(), e.data(), o);
    }

    @Override
    public void close() {
        bus.close();
    }
}
