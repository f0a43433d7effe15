package com.idynic.eventbus.connector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;

/** The outgoing channel's demand: max-pending messages at first, then one more for each the bus settled. */
class BoundedSubscriberTest {
    final FakeBus bus = new FakeBus();
    final AtomicLong requested = new AtomicLong();
    final Subscription upstream = new Subscription() {
        @Override
        public void request(long n) {
            requested.addAndGet(n);
        }

        @Override
        public void cancel() {}
    };

    BoundedSubscriber subscriber(String maxPending) {
        return new BoundedSubscriber(new OutgoingChannel(
                OutgoingSettings.from(SettingsTest.attributes("type", "shipment.sent", "max-pending", maxPending)),
                bus));
    }

    @Test
    void upstreamIsAskedForMaxPendingAndForOneMoreOnlyAsEachMessageIsStoredOrRefused() {
        BoundedSubscriber s = subscriber("3");
        s.onSubscribe(upstream);
        assertEquals(3, requested.get());
        OutgoingChannelTest.Recorded r = new OutgoingChannelTest.Recorded();
        for (int i = 0; i < 3; i++) {
            s.onNext(r.of(Map.of("orderId", "ord-" + i)));
        }
        assertEquals(3, bus.published.size());
        assertEquals(3, requested.get(), "nothing more asked while three wait for the bus");
        bus.publishes.get(1).complete("receipt");
        assertEquals(4, requested.get());
        bus.publishes.get(0).completeExceptionally(new IllegalStateException("refused"));
        assertEquals(5, requested.get(), "a refusal settles its message too");
        s.onNext(r.of("not json"));
        assertEquals(6, requested.get(), "a payload the channel cannot publish is nacked at once");
    }

    @Test
    void aPublishThatThrowsOrAnAckThatThrowsStillGivesItsDemandBack() {
        BoundedSubscriber s = subscriber("2");
        s.onSubscribe(upstream);
        bus.publishThrows = new IllegalStateException("the SDK is closed");
        OutgoingChannelTest.Recorded r = new OutgoingChannelTest.Recorded();
        s.onNext(r.of(Map.of("orderId", "ord-1")));
        assertEquals(3, requested.get(), "a publish that throws is nacked and its demand returned");
        assertTrue(r.outcome.get() instanceof IllegalStateException);

        bus.publishThrows = null;
        s.onNext(org.eclipse.microprofile.reactive.messaging.Message.of(Map.of("orderId", "ord-2"), () -> {
            throw new IllegalStateException("ack failed");
        }));
        bus.publishes.get(0).complete("receipt");
        assertEquals(4, requested.get(), "an ack function that throws still settles its message");
    }

    @Test
    void theDefaultBoundIsOneThousandMessages() {
        BoundedSubscriber s = new BoundedSubscriber(
                new OutgoingChannel(OutgoingSettings.from(SettingsTest.attributes("type", "shipment.sent")), bus));
        s.onSubscribe(upstream);
        assertEquals(1000, requested.get());
    }
}
