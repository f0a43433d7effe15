package com.idynic.eventbus.subscribers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.idynic.eventbus.api.EventEnvelope;
import com.idynic.eventbus.api.PublishReceipt;
import com.idynic.eventbus.broker.AttemptResult;
import com.idynic.eventbus.broker.spi.Leased;
import com.idynic.eventbus.broker.spi.StoredEvent;
import jakarta.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WebhookSenderTest {
    static final InetAddress LOOPBACK = AddressLiterals.literal("127.0.0.1");
    static final InetAddress PUBLIC = AddressLiterals.literal("93.184.216.34");

    final ExecutorService executor = Executors.newCachedThreadPool();
    final List<AutoCloseable> open = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        executor.shutdownNow();
    }

    /** How the test receiver on 127.0.0.1 treats a connection. */
    enum Behaviour {
        ANSWER_200,
        ANSWER_503,
        CLOSE_AT_ONCE,
        NEVER_ANSWER
    }

    /** A receiver on 127.0.0.1 that counts the connections it accepts. */
    final class Receiver {
        final ServerSocket socket = new ServerSocket(0, 50, LOOPBACK);
        final AtomicInteger connections = new AtomicInteger();

        Receiver(Behaviour behaviour) throws IOException {
            open.add(socket);
            Thread t = new Thread(() -> {
                while (!socket.isClosed()) {
                    try {
                        Socket c = socket.accept();
                        open.add(c);
                        connections.incrementAndGet();
                        handle(c, behaviour);
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return socket.getLocalPort();
        }
    }

    static void handle(Socket c, Behaviour behaviour) throws IOException {
        if (behaviour == Behaviour.CLOSE_AT_ONCE) {
            c.close();
            return;
        }
        if (behaviour == Behaviour.NEVER_ANSWER) {
            return;
        }
        InputStream in = c.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                c.close();
                return;
            }
            head.append((char) b);
        }
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(
                        line.substring("content-length:".length()).trim());
            }
        }
        in.readNBytes(length);
        String status = behaviour == Behaviour.ANSWER_200 ? "200 OK" : "503 Service Unavailable";
        OutputStream out = c.getOutputStream();
        out.write(("HTTP/1.1 " + status + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        c.close();
    }

    static Subscription webhook(String url, int timeoutMillis) {
        return SubscriptionJson.read(
                "hook",
                Json.createObjectBuilder()
                        .add("eventTypes", Json.createArrayBuilder().add("user.created"))
                        .add(
                                "target",
                                Json.createObjectBuilder()
                                        .add("type", "webhook")
                                        .add("url", url)
                                        .add("timeoutMillis", timeoutMillis))
                        .build());
    }

    static Leased leased() {
        EventEnvelope e = EventEnvelope.of(
                "evt-1",
                "user.created",
                "svc",
                Json.createObjectBuilder().add("n", 1).build());
        PublishReceipt receipt = new PublishReceipt("evt-1", OffsetDateTime.now(), "rcpt-1");
        return new Leased(1L, "hook", new StoredEvent(e, receipt, true), 1, null, Instant.now(), false);
    }

    AttemptResult send(AddressGuard guard, String url, int timeoutMillis) throws Exception {
        return new WebhookSender(executor, Clock.systemUTC(), guard)
                .send(webhook(url, timeoutMillis), leased())
                .get(30, TimeUnit.SECONDS);
    }

    static AddressGuard allowingLoopback(AddressGuard.Resolver resolver) {
        return new AddressGuard(AddressGuard.parse("127.0.0.1/32"), resolver);
    }

    @Test
    void callsAPermittedTargetThroughTheNameItWasRegisteredWith() throws Exception {
        Receiver r = new Receiver(Behaviour.ANSWER_200);
        AddressGuard guard = allowingLoopback(host -> new InetAddress[] {LOOPBACK});

        AttemptResult result = send(guard, "http://localhost:" + r.port() + "/hook", 5000);

        assertEquals(AttemptResult.Outcome.SUCCESS, result.outcome());
        assertEquals(200, result.httpStatus());
        assertEquals(1, r.connections.get());
    }

    @Test
    void aHostThatTurnsToLoopbackAfterRegistrationIsRefusedAtSendTimeWithoutAConnection() throws Exception {
        Receiver r = new Receiver(Behaviour.ANSWER_200);
        AtomicInteger lookups = new AtomicInteger();
        AddressGuard guard = new AddressGuard(
                List.of(), host -> new InetAddress[] {lookups.incrementAndGet() == 1 ? PUBLIC : LOOPBACK});
        String url = "http://localhost:" + r.port() + "/hook";
        assertEquals(List.of(PUBLIC), guard.check(url));

        AttemptResult result = send(guard, url, 5000);

        assertEquals(AttemptResult.Outcome.FAILURE, result.outcome());
        assertEquals("connection failed", result.error());
        assertNull(result.httpStatus());
        assertEquals(2, lookups.get());
        assertEquals(0, r.connections.get());
    }

    @Test
    void aDeniedPortIsRefusedAtSendTimeWithoutAConnectionWhileAnotherPortOfTheSameAddressIsCalled() throws Exception {
        Receiver denied = new Receiver(Behaviour.ANSWER_200);
        Receiver open = new Receiver(Behaviour.ANSWER_200);
        AddressGuard guard = new AddressGuard(
                AddressGuard.parse("127.0.0.1/32,::1/128"),
                AddressGuard.parse("127.0.0.0/8:" + denied.port() + ",::1/128:" + denied.port()),
                host -> new InetAddress[] {LOOPBACK});

        AttemptResult refused = send(guard, "http://127.0.0.1:" + denied.port() + "/hook", 5000);
        AttemptResult called = send(guard, "http://127.0.0.1:" + open.port() + "/hook", 5000);

        assertEquals(AttemptResult.Outcome.FAILURE, refused.outcome());
        assertEquals(WebhookSender.CONNECTION_FAILED, refused.error());
        assertNull(refused.httpStatus());
        assertEquals(0, denied.connections.get());
        assertEquals(AttemptResult.Outcome.SUCCESS, called.outcome());
        assertEquals(1, open.connections.get());
    }

    @Test
    void everyTransportFailureReadsTheSameWhateverItsCause() throws Exception {
        ServerSocket closed = new ServerSocket(0, 1, LOOPBACK);
        int closedPort = closed.getLocalPort();
        closed.close();
        Receiver hangUp = new Receiver(Behaviour.CLOSE_AT_ONCE);
        AddressGuard guard = allowingLoopback(host -> {
            throw new UnknownHostException(host);
        });

        List<AttemptResult> results = List.of(
                send(guard, "http://127.0.0.1:" + closedPort + "/hook", 5000),
                send(guard, "http://127.0.0.1:" + hangUp.port() + "/hook", 5000),
                send(guard, "http://hooks.example.com/hook", 5000),
                send(guard, "http://10.0.0.1/hook", 5000));

        for (AttemptResult result : results) {
            assertEquals(AttemptResult.Outcome.FAILURE, result.outcome());
            assertEquals(WebhookSender.CONNECTION_FAILED, result.error());
            assertNull(result.httpStatus());
        }
        assertEquals(1, hangUp.connections.get());
    }

    @Test
    void aCallThatOutlivesTheSubscriptionsTimeoutSaysSoAndAnHttpErrorKeepsItsStatus() throws Exception {
        Receiver silent = new Receiver(Behaviour.NEVER_ANSWER);
        Receiver busy = new Receiver(Behaviour.ANSWER_503);
        AddressGuard guard = allowingLoopback(host -> new InetAddress[] {LOOPBACK});

        AttemptResult late = send(guard, "http://127.0.0.1:" + silent.port() + "/hook", 200);
        AttemptResult refused = send(guard, "http://127.0.0.1:" + busy.port() + "/hook", 5000);

        assertEquals("timed out after 200 ms", late.error());
        assertEquals(AttemptResult.Outcome.FAILURE, refused.outcome());
        assertEquals(503, refused.httpStatus());
        assertNull(refused.error());
    }
}
