package com.idynic.eventbus.connector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.idynic.eventbus.sdk.RejectException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

/** An incoming channel on a fake bus: pulling starts on the first request, ack and nack settle the bus delivery. */
class IncomingChannelTest {
    static final ObjectMapper JSON = new ObjectMapper();

    final FakeBus bus = new FakeBus();

    static IncomingEvent event(String id, String key) throws Exception {
        return new IncomingEvent(
                id,
                "order.placed",
                "shop",
                key,
                "corr-1",
                Instant.parse("2026-12-07T05:00:00Z"),
                "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                1,
                false,
                JSON.readTree("{\"orderId\":\"" + id + "\"}"));
    }

    IncomingChannel channel(String... attributes) {
        return IncomingChannel.open(IncomingSettings.from(SettingsTest.attributes(attributes)), bus);
    }

    static Message<?> now(java.util.concurrent.CompletionStage<Message<?>> next) throws Exception {
        CompletableFuture<Message<?>> f = next.toCompletableFuture();
        assertTrue(f.isDone(), "a message is ready");
        return f.get();
    }

    /** @return why the settlement failed; fails the test (never blocks) when it is open or succeeded */
    static Throwable failure(CompletableFuture<?> settled) {
        assertTrue(settled.isDone(), "settled");
        try {
            settled.getNow(null);
        } catch (CompletionException e) {
            return e.getCause();
        }
        return fail("settled as processed");
    }

    @Test
    void theFirstRequestStartsThePullAndEachEventBecomesAMessageWithItsDataAsJsonText() throws Exception {
        IncomingChannel channel = channel("batch", "20", "ack-deadline-ms", "2000");
        assertEquals(List.of(), bus.pulls, "nothing pulled before the stream asks");
        var first = channel.next();
        assertEquals(List.of(new FakeBus.Pull("orders-in", 20, 1, Duration.ofSeconds(2))), bus.pulls);
        assertFalse(first.toCompletableFuture().isDone());
        bus.pulled(event("ord-1", "k1"));
        bus.pulled(event("ord-2", "k1"));
        Message<?> m1 = now(first);
        Message<?> m2 = now(channel.next());
        assertEquals("{\"orderId\":\"ord-1\"}", m1.getPayload());
        assertEquals("{\"orderId\":\"ord-2\"}", m2.getPayload());
        assertEquals(event("ord-1", "k1"), m1.unwrap(IncomingEvent.class));
        assertEquals(1, bus.pulls.size(), "one pull for the channel's life");
    }

    @Test
    void thePayloadIsAJsonTreeOrTheWholeEventWhenConfigured() throws Exception {
        IncomingChannel json = channel("payload", "json");
        var next = json.next();
        bus.pulled(event("ord-1", null));
        assertEquals(JSON.readTree("{\"orderId\":\"ord-1\"}"), now(next).getPayload());

        IncomingChannel whole = channel("payload", "event");
        next = whole.next();
        bus.pulled(event("ord-2", "k2"));
        assertEquals(event("ord-2", "k2"), now(next).getPayload());
    }

    @Test
    void ackSettlesTheDeliveryAsProcessed() throws Exception {
        IncomingChannel channel = channel();
        var next = channel.next();
        CompletableFuture<?> settled = bus.pulled(event("ord-1", null));
        assertFalse(settled.isDone(), "unsettled until the message is acked");
        now(next).ack();
        assertTrue(settled.isDone());
        assertFalse(settled.isCompletedExceptionally(), "a bus ack");
    }

    @Test
    void nackSettlesTheDeliveryAsFailedWithItsReasonAndARejectExceptionStaysOne() throws Exception {
        IncomingChannel channel = channel();
        var next = channel.next();
        CompletableFuture<?> retried = bus.pulled(event("ord-1", null));
        IllegalStateException busy = new IllegalStateException("db busy");
        now(next).nack(busy);
        assertSame(busy, failure(retried), "a bus nack, retried");

        next = channel.next();
        CompletableFuture<?> dead = bus.pulled(event("ord-2", null));
        RejectException invalid = new RejectException("invalid order");
        Message<?> m = now(next);
        m.nack(invalid);
        m.ack();
        assertSame(invalid, failure(dead), "a dead letter");
    }

    @Test
    void theSubscriptionIsDeclaredAtOpenOnlyWhenTheChannelNamesItsTypes() {
        channel();
        assertEquals(List.of(), bus.declared);
        channel(
                "subscription",
                "reactive-orders",
                "types",
                "order.placed",
                "ordering",
                "unordered",
                "max-attempts",
                "2");
        assertEquals(List.of(new FakeBus.Declared("reactive-orders", List.of("order.placed"), false, 2)), bus.declared);
    }

    @Test
    void aRefusedDeclarationFailsTheOpenAndClosesTheConnection() {
        RuntimeException forbidden = new IllegalStateException("403 FORBIDDEN");
        bus.declareRefusal = forbidden;
        RuntimeException thrown = assertThrows(RuntimeException.class, () -> channel("types", "order.placed"));
        assertSame(forbidden, thrown);
        assertTrue(bus.closed);
    }

    @Test
    void closeNacksWhatWasPulledButNotSettledAndClosesTheBus() throws Exception {
        IncomingChannel channel = channel();
        var next = channel.next();
        CompletableFuture<?> handedOut = bus.pulled(event("ord-1", null));
        CompletableFuture<?> waiting = bus.pulled(event("ord-2", null));
        now(next);
        channel.close();
        assertEquals("channel orders-in closed", failure(handedOut).getMessage());
        assertEquals("channel orders-in closed", failure(waiting).getMessage());
        assertTrue(bus.closed);
        CompletableFuture<?> late = bus.pulled(event("ord-3", null));
        assertEquals("channel orders-in closed", failure(late).getMessage(), "a late event is nacked at once");
    }
}
