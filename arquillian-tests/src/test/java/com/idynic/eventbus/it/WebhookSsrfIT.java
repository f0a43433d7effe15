package com.idynic.eventbus.it;

import static com.idynic.eventbus.it.Stack.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Webhook targets inside the bus's own network are refused, and a subscriber learns the same "connection failed"
 * whatever stopped the call. The test server allows loopback as {@code ./eventbus run} does ({@code 127.0.0.1},
 * {@code ::1}) plus the receiver's 127.0.0.5, and devstack's deny-list keeps the bus's and its dependencies' ports
 * on loopback refused all the same.
 */
class WebhookSsrfIT {
    @RegisterExtension
    static final WebhookReceiver receiver = new WebhookReceiver();

    static Stream<String> internalTargets() {
        return Stream.of(
                "http://127.0.0.2/",
                "http://0.0.0.0/",
                "http://2130706433/",
                "http://[::ffff:127.0.0.2]/",
                "http://169.254.169.254/latest/meta-data",
                "http://10.0.0.1/",
                "http://192.168.0.1/");
    }

    /** The bus's HTTP and HTTPS ports, PostgreSQL, Kafka, Redis and devstack's control, on allowed loopback. */
    static Stream<String> portsOfTheBusAndItsDependencies() {
        Map<String, String> env = Stack.env();
        String bus = env.get("EVENTBUS_HTTP_PORT");
        String kafka = Stack.kafkaBootstrap();
        int redis = URI.create(env.get("EVENTBUS_REDIS_URL")).getPort();
        String control = env.get("DEVSTACK_CONTROL");
        Stream<String> controlPort = control == null
                ? Stream.of()
                : Stream.of("http://127.0.0.1:" + URI.create(control).getPort() + "/shutdown");
        return Stream.concat(
                controlPort,
                Stream.of(
                        "http://127.0.0.1:" + bus + "/v1/services",
                        "http://[::1]:" + bus + "/v1/services",
                        "http://localhost:" + bus + "/v1/events",
                        "http://[::ffff:127.0.0.1]:" + bus + "/v1/services",
                        "http://" + WebhookReceiver.HOST + ":" + bus + "/v1/services",
                        "https://127.0.0.1:" + env.get("EVENTBUS_HTTPS_PORT") + "/v1/services",
                        "http://127.0.0.1:" + env.get("EVENTBUS_DB_PORT") + "/",
                        "http://127.0.0.1:" + kafka.substring(kafka.lastIndexOf(':') + 1) + "/",
                        "http://127.0.0.1:" + redis + "/",
                        "http://[::1]:" + redis + "/"));
    }

    static HttpResponse<String> put(String id, String type, String url) {
        return Stack.send(HttpRequest.newBuilder(URI.create(Stack.baseUrl() + "/v1/subscriptions/" + id))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"owner\":\"it\",\"eventTypes\":[\"" + type
                        + "\"],\"target\":{\"type\":\"webhook\",\"url\":\"" + url + "\",\"timeoutMillis\":3000}}")));
    }

    static void assertRefusedTargetUrl(HttpResponse<String> r) {
        assertEquals(400, r.statusCode(), r.body());
        JsonObject error = Stack.json(r);
        assertEquals("VALIDATION_ERROR", error.getString("errorCode"), r.body());
        assertEquals("target.url", error.getJsonObject("details").getString("field"), r.body());
    }

    static HttpResponse<String> delete(String id) {
        return Stack.send(HttpRequest.newBuilder(URI.create(Stack.baseUrl() + "/v1/subscriptions/" + id))
                .DELETE());
    }

    @ParameterizedTest
    @MethodSource("internalTargets")
    void aWebhookAtAnInternalAddressIsRefusedAndNotStored(String url) {
        String sub = WebhookIT.unique("ssrf-");
        assertRefusedTargetUrl(put(sub, "it.ssrf.t", url));
        assertEquals(404, Stack.get("/v1/subscriptions/" + sub).statusCode());
    }

    @ParameterizedTest
    @MethodSource("portsOfTheBusAndItsDependencies")
    void aWebhookAtAPortOfTheBusOrItsDependenciesIsRefusedThoughLoopbackIsAllowed(String url) {
        String sub = WebhookIT.unique("ssrf-own-");
        HttpResponse<String> r = put(sub, "it.ssrf.t", url);
        assertRefusedTargetUrl(r);
        assertEquals(
                "must not point at port " + URI.create(url).getPort()
                        + " of this address, which is reserved for the bus and its dependencies (EVENTBUS_WEBHOOK_DENY)",
                Stack.json(r).getJsonObject("details").getString("error"),
                url);
        assertEquals(404, Stack.get("/v1/subscriptions/" + sub).statusCode());
    }

    @Test
    void otherPortsOfAllowedLoopbackStayOpenToWebhooks() throws IOException {
        int free;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            free = s.getLocalPort();
        }
        for (String url : List.of(
                "http://127.0.0.1:" + free + "/hook",
                "http://[::1]:" + free + "/hook",
                "http://localhost:" + free + "/hook")) {
            String sub = WebhookIT.unique("ssrf-local-");
            HttpResponse<String> created = put(sub, WebhookIT.unique("it.ssrf.local"), url);
            try {
                assertEquals(201, created.statusCode(), url + ": " + created.body());
                JsonObject stored = Stack.json(Stack.get("/v1/subscriptions/" + sub));
                assertEquals(url, stored.getJsonObject("target").getString("url"));
            } finally {
                delete(sub);
            }
        }
    }

    @Test
    void replacingATargetWithAnInternalAddressIsRefusedAndKeepsTheOldTarget() {
        String sub = WebhookIT.unique("ssrf-replace-");
        String good = receiver.url("/" + sub);
        HttpResponse<String> created = put(sub, "it.ssrf.t", good);
        assertEquals(201, created.statusCode(), created.body());

        assertRefusedTargetUrl(put(sub, "it.ssrf.t", "http://169.254.169.254/latest/meta-data"));
        assertRefusedTargetUrl(
                put(sub, "it.ssrf.t", "http://localhost:" + Stack.env().get("EVENTBUS_HTTP_PORT")));

        JsonObject stored = Stack.json(Stack.get("/v1/subscriptions/" + sub));
        assertEquals(good, stored.getJsonObject("target").getString("url"));
    }

    @Test
    void theAllowedReceiverAddressGetsItsEvents() {
        String type = WebhookIT.unique("it.ssrf.ok");
        String sub = WebhookIT.unique("ssrf-ok-");
        Subscriptions.webhook(sub, type, receiver.url("/" + sub), "ordered", 3);
        String id = Subscriptions.publish(type, "k", "{\"n\":1}");
        await(Duration.ofSeconds(30), "delivered to the receiver on 127.0.0.5", () -> Subscriptions.state(id, sub)
                .equals("DELIVERED"));
        assertEquals(1, receiver.calls("/" + sub, id).size());
    }

    @Test
    void aClosedPortAndAConnectionClosedWithoutAReplyReadTheSame() throws IOException {
        InetAddress host = InetAddress.getByName(WebhookReceiver.HOST);
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, host)) {
            closedPort = s.getLocalPort();
        }
        try (ServerSocket hangUp = new ServerSocket(0, 50, host)) {
            Thread acceptor = new Thread(() -> {
                while (!hangUp.isClosed()) {
                    try {
                        hangUp.accept().close();
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            String type = WebhookIT.unique("it.ssrf.fail");
            String refused = WebhookIT.unique("ssrf-refused-");
            String empty = WebhookIT.unique("ssrf-empty-");
            String base = "http://" + WebhookReceiver.HOST + ":";
            Subscriptions.webhook(refused, type, base + closedPort + "/hook", "ordered", 1);
            Subscriptions.webhook(empty, type, base + hangUp.getLocalPort() + "/hook", "ordered", 1);

            String id = Subscriptions.publish(type, "k", "{\"n\":1}");

            await(
                    Duration.ofSeconds(30),
                    "both dead-lettered after one attempt",
                    () -> Subscriptions.state(id, refused).equals("DEAD")
                            && Subscriptions.state(id, empty).equals("DEAD"));
            for (String sub : List.of(refused, empty)) {
                JsonObject health =
                        Stack.json(Stack.get("/v1/subscriptions/" + sub)).getJsonObject("health");
                assertEquals("connection failed", health.getString("lastError"), sub);
                assertEquals(
                        List.of("connection failed"),
                        Subscriptions.attempts(id, sub).stream()
                                .map(a -> a.getString("error"))
                                .toList(),
                        sub);
                JsonObject dead = Stack.json(Stack.get("/v1/subscriptions/" + sub + "/dead-letters/" + id))
                        .getJsonObject("deadLetter");
                assertEquals("retries exhausted after 1 attempts: connection failed", dead.getString("lastError"), sub);
            }
        }
    }
}
