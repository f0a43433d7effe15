package com.idynic.eventbus.it;

import static com.idynic.eventbus.it.Stack.await;
import static com.idynic.eventbus.it.Stack.count;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A webhook subscriber that never answers holds as many calls as its subscription allows (the most a subscription
 * may have in flight, 256): a healthy subscription's events are still delivered while every one of those calls
 * is held. A budget of calls in flight shared between subscriptions would starve the healthy one.
 */
class WebhookBudgetIT {
    @RegisterExtension
    static final WebhookReceiver receiver = new WebhookReceiver();

    /** The largest {@code maxConcurrency} a subscription may have. */
    static final int HELD = 256;

    static final int HEALTHY_EVENTS = 20;

    /** Accepts connections and never reads or answers: every call to it is held until the caller gives up. */
    static final class SilentServer implements AutoCloseable {
        final ServerSocket socket;
        final List<Socket> held = new CopyOnWriteArrayList<>();

        SilentServer() throws IOException {
            socket = new ServerSocket(0, 2 * HELD, InetAddress.getByName(WebhookReceiver.HOST));
            Thread acceptor = new Thread(() -> {
                while (!socket.isClosed()) {
                    try {
                        held.add(socket.accept());
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
        }

        String url() {
            return "http://" + WebhookReceiver.HOST + ":" + socket.getLocalPort() + "/silent";
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket s : held) {
                s.close();
            }
        }
    }

    static void publish(String type, int n) {
        List<String> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            events.add(Stack.event(Stack.newId("evt-budget"), type, "{\"n\":" + i + "}", "{}"));
        }
        var r = Stack.postJsonPatiently("/v1/events/batch", "[" + String.join(",", events) + "]");
        assertEquals(202, r.statusCode(), r.body());
    }

    static long inState(String subscription, String state) {
        return count(
                "select count(*) from " + Stack.DELIVERIES + " where subscription_id = ? and state = '" + state + "'",
                subscription);
    }

    @Test
    void aSubscriberHoldingItsFullConcurrencyOfCallsDoesNotHoldUpAHealthyOne() throws Exception {
        String silentType = WebhookIT.unique("it.silent.t");
        String healthyType = WebhookIT.unique("it.healthy.t");
        String silent = WebhookIT.unique("silent-");
        String healthy = WebhookIT.unique("healthy-");
        try (SilentServer server = new SilentServer()) {
            Subscriptions.create(
                    silent,
                    "{\"eventTypes\":[\"" + silentType + "\"],\"target\":{\"type\":\"webhook\",\"url\":\""
                            + server.url()
                            + "\",\"timeoutMillis\":120000},\"ordering\":\"unordered\",\"maxConcurrency\":" + HELD
                            + ",\"retryPolicy\":{\"maxAttempts\":10}}");
            Subscriptions.webhook(healthy, healthyType, receiver.url("/" + healthy), "unordered", 5);
            try {
                publish(silentType, HELD + 10);
                await(
                        Duration.ofSeconds(60),
                        HELD + " calls to the silent subscriber held",
                        () -> server.held.size() == HELD && inState(silent, "LEASED") == HELD);

                publish(healthyType, HEALTHY_EVENTS);
                await(
                        Duration.ofSeconds(60),
                        "the healthy subscription's events delivered, or a held call released",
                        () -> inState(healthy, "DELIVERED") == HEALTHY_EVENTS || inState(silent, "LEASED") != HELD);
                assertAll(
                        () -> assertEquals(HEALTHY_EVENTS, inState(healthy, "DELIVERED"), "healthy ones delivered"),
                        () -> assertEquals(HELD, inState(silent, "LEASED"), "while every silent call is held"),
                        () -> assertEquals(HELD, server.held.size(), "and no further call was made to it"));
            } finally {
                Stack.send(HttpRequest.newBuilder(URI.create(Stack.baseUrl() + "/v1/subscriptions/" + silent))
                        .DELETE());
            }
        }
    }
}
