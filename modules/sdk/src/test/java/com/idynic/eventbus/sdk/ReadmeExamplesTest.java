package com.idynic.eventbus.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.idynic.eventbus.sdk.examples.OrderPlaced;
import com.idynic.eventbus.sdk.examples.PublishExamples;
import com.idynic.eventbus.sdk.examples.SubscribeExamples;
import com.idynic.eventbus.sdk.examples.WebhookExamples;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every Java example of the README's "Java SDK" section is a marked region of a compiled class in {@code
 * examples/}: each is run here against the fake bus, and the README must quote each region exactly.
 */
class ReadmeExamplesTest {
    static final Path README = Path.of("../../README.md");
    static final Path EXAMPLES = Path.of("src/test/java/com/idynic/eventbus/sdk/examples");
    static final Pattern MARKER =
            Pattern.compile("<!-- java-sdk-example: ([a-z-]+) -->\\s*\\n```java\\n(.*?)```", Pattern.DOTALL);

    FakeBus fake;

    @BeforeEach
    void start() throws IOException {
        fake = new FakeBus();
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    @Test
    void publishStoresTheOrder() {
        Receipt r = PublishExamples.publish(fake.url(), FakeBus.KEY);
        JsonNode stored = fake.stored.get(r.eventId());
        assertEquals("order.placed", stored.path("eventType").asText());
        assertEquals("test-service", stored.path("source").asText());
        assertEquals(4200, stored.path("data").path("totalAmount").asInt());
    }

    @Test
    void publishAsyncStoresThreeOrdersOfOneKeyInOneRequest() {
        try (EventBus bus = EventBus.builder(fake.url(), FakeBus.KEY)
                .linger(java.time.Duration.ofSeconds(1))
                .connect()) {
            List<Receipt> receipts = PublishExamples.publishAsync(bus);
            assertEquals(
                    List.of("ord-3001", "ord-3002", "ord-3003"),
                    receipts.stream().map(Receipt::eventId).toList());
        }
        assertEquals(1, fake.batchBodies.size());
        assertEquals(
                "cus-7",
                fake.stored
                        .get("ord-3002")
                        .path("metadata")
                        .path("partitionKey")
                        .asText());
        assertEquals(
                "checkout-42",
                fake.stored
                        .get("ord-3002")
                        .path("metadata")
                        .path("correlationId")
                        .asText());
    }

    @Test
    void aReusedIdIsRefusedWithTheBusErrorCode() {
        try (EventBus bus = EventBus.connect(fake.url(), FakeBus.KEY)) {
            assertEquals("DUPLICATE_EVENT_ID", PublishExamples.refused(bus));
        }
    }

    @Test
    void theTunedConnectionPublishesAsItsSource() {
        try (EventBus bus = PublishExamples.tuned(fake.url(), FakeBus.KEY)) {
            Receipt r = bus.publish("order.placed", new OrderPlaced("ord-5001", "cus-1", 1, "EUR"));
            assertEquals(
                    "order-service", fake.stored.get(r.eventId()).path("source").asText());
        }
    }

    @Test
    void subscribeBooksGoodOrdersAndDeadLettersBadOnes() throws Exception {
        fake.toPull.add(FakeBus.event(
                "ord-1", null, "{\"orderId\":\"ord-1\",\"customerId\":\"c\",\"totalAmount\":5,\"currency\":\"EUR\"}"));
        fake.toPull.add(FakeBus.event(
                "ord-2", null, "{\"orderId\":\"ord-2\",\"customerId\":\"c\",\"totalAmount\":-1,\"currency\":\"EUR\"}"));
        List<OrderPlaced> booked = new CopyOnWriteArrayList<>();
        try (EventBus bus = EventBus.connect(fake.url(), FakeBus.KEY)) {
            SubscribeExamples.subscribe(bus, booked::add, () -> {
                try {
                    SubscriberTest.await(() -> !fake.acks.isEmpty() && !fake.nacks.isEmpty());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        assertEquals(List.of(new OrderPlaced("ord-1", "c", 5, "EUR")), booked);
        assertEquals("ord-2", fake.nacks.get(0).path("eventIds").get(0).asText());
        assertTrue(fake.nacks.get(0).path("reject").asBoolean());
    }

    @Test
    void theWebhookReceiverTakesSignedDeliveriesAndRefusesOthers() throws Exception {
        String secret = "whsec_" + Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        List<String> handled = new CopyOnWriteArrayList<>();
        WebhookExamples.receiver(server, secret, b -> handled.add(new String(b, StandardCharsets.UTF_8)));
        server.start();
        try {
            String body = "{\"id\":\"ord-1\", \"data\":{\"n\":1}}";
            String ts = Long.toString(Instant.now().getEpochSecond());
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring(6)), "HmacSHA256"));
            String sig = "v1,"
                    + Base64.getEncoder()
                            .encodeToString(mac.doFinal(("ord-1." + ts + "." + body).getBytes(StandardCharsets.UTF_8)));
            URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/orders");
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<Void> ok = http.send(signed(uri, ts, sig, body), HttpResponse.BodyHandlers.discarding());
            assertEquals(204, ok.statusCode());
            HttpResponse<Void> reserialised = http.send(
                    signed(uri, ts, sig, "{\"id\":\"ord-1\",\"data\":{\"n\":1}}"),
                    HttpResponse.BodyHandlers.discarding());
            assertEquals(401, reserialised.statusCode());
            assertEquals(List.of(body), handled);
        } finally {
            server.stop(0);
        }
    }

    private static HttpRequest signed(URI uri, String ts, String sig, String body) {
        return HttpRequest.newBuilder(uri)
                .header("webhook-id", "ord-1")
                .header("webhook-timestamp", ts)
                .header("webhook-signature", sig)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    @Test
    void theReadmeQuotesEveryExampleExactlyAsCompiled() throws IOException {
        Map<String, String> regions = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            for (Path f : files.sorted().toList()) {
                regions.putAll(regions(Files.readString(f)));
            }
        }
        String readme = Files.readString(README);
        int start = readme.indexOf("\n## Java SDK\n");
        assertTrue(start >= 0, "the README has a Java SDK section");
        int end = readme.indexOf("\n## ", start + 1);
        String section = readme.substring(start, end < 0 ? readme.length() : end);
        Matcher m = MARKER.matcher(section);
        List<String> quoted = new ArrayList<>();
        while (m.find()) {
            String name = m.group(1);
            quoted.add(name);
            assertTrue(regions.containsKey(name), "the README quotes an example no class has: " + name);
            assertEquals(regions.get(name), m.group(2), "README example '" + name + "' differs from the compiled one");
        }
        assertEquals(
                List.copyOf(regions.keySet()).stream().sorted().toList(),
                quoted.stream().sorted().toList(),
                "each compiled example is quoted once");
        long fences = section.lines().filter(l -> l.equals("```java")).count();
        assertEquals(quoted.size(), fences, "every java block of the section is a compiled example");
        assertFalse(section.contains("```java\n\n"));
    }

    /** @return each {@code // readme:begin NAME} … {@code // readme:end} region, de-indented, with a final newline */
    static Map<String, String> regions(String source) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = Pattern.compile("\\n( *)// readme:begin ([a-z-]+)\\n(.*?)\\n *// readme:end", Pattern.DOTALL)
                .matcher(source);
        while (m.find()) {
            int indent = m.group(1).length();
            StringBuilder b = new StringBuilder();
            for (String line : m.group(3).split("\n", -1)) {
                b.append(line.length() >= indent ? line.substring(indent) : line.strip())
                        .append('\n');
            }
            out.put(m.group(2), b.toString());
        }
        return out;
    }
}
