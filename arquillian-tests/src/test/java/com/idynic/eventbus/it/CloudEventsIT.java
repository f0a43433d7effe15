package com.idynic.eventbus.it;

import static com.idynic.eventbus.it.AuthIT.assertError;
import static com.idynic.eventbus.it.Stack.await;
import static com.idynic.eventbus.it.Stack.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cloudevents.CloudEvent;
import io.cloudevents.SpecVersion;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.http.HttpMessageFactory;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.kafka.CloudEventDeserializer;
import jakarta.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * CloudEvents 1.0 with the official SDKs as external clients: the Java SDK's HTTP binding publishes in binary,
 * structured and batched mode; a Kafka consumer with the SDK's deserializer reads the bus's topic; webhooks go out
 * in binary and structured mode; the npm {@code cloudevents} package publishes and receives a webhook.
 */
class CloudEventsIT {
    @RegisterExtension
    static final WebhookReceiver receiver = new WebhookReceiver();

    private static final JsonFormat FORMAT = new JsonFormat();
    private static final OffsetDateTime TIME = OffsetDateTime.parse("2024-05-20T13:45:30.250+02:00");

    @BeforeAll
    static void ready() {
        Stack.awaitReady();
    }

    static CloudEvent userCreated(String id, String key) {
        return CloudEventBuilder.v1()
                .withId(id)
                .withType("user.created")
                .withSource(URI.create("user-service"))
                .withTime(TIME)
                .withData(
                        "application/json",
                        "{\"userId\":\"usr-ce\",\"email\":\"ce@example.com\",\"name\":\"Cloud Events\"}"
                                .getBytes(StandardCharsets.UTF_8))
                .withExtension("correlationid", "corr-" + id)
                .withExtension("partitionkey", key)
                .withExtension("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
                .build();
    }

    /** @return the Java SDK's binary-mode HTTP message for {@code e}, sent with the admin's token */
    static HttpResponse<String> binary(CloudEvent e) {
        return send(e, false);
    }

    static HttpResponse<String> structured(CloudEvent e) {
        return send(e, true);
    }

    private static HttpResponse<String> send(CloudEvent e, boolean structured) {
        Map<String, String> headers = new LinkedHashMap<>();
        byte[][] body = new byte[1][];
        var writer = HttpMessageFactory.createWriter(headers::put, b -> body[0] = b);
        if (structured) {
            writer.writeStructured(e, FORMAT);
        } else {
            writer.writeBinary(e);
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(Stack.baseUrl() + "/v1/events"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body[0] == null ? new byte[0] : body[0]));
        headers.forEach(b::header);
        return Stack.send(b);
    }

    static HttpResponse<String> batch(CloudEvent... events) {
        List<String> parts = new ArrayList<>();
        for (CloudEvent e : events) {
            parts.add(new String(FORMAT.serialize(e), StandardCharsets.UTF_8));
        }
        return Stack.post("/v1/events", "application/cloudevents-batch+json", "[" + String.join(",", parts) + "]");
    }

    /** Asserts that the stored event carries every mapped attribute of {@link #userCreated}. */
    static void assertStoredAsSeed(String id, String key) {
        HttpResponse<String> r = Stack.get("/v1/events/" + id);
        assertEquals(200, r.statusCode(), r.body());
        JsonObject e = json(r).getJsonObject("event");
        assertEquals(id, e.getString("id"));
        assertEquals("user.created", e.getString("eventType"));
        assertEquals("user-service", e.getString("source"));
        assertEquals(
                TIME.toInstant(), OffsetDateTime.parse(e.getString("timestamp")).toInstant());
        assertEquals("usr-ce", e.getJsonObject("data").getString("userId"));
        JsonObject m = e.getJsonObject("metadata");
        assertEquals("corr-" + id, m.getString("correlationId"));
        assertEquals(key, m.getString("partitionKey"));
        assertEquals(
                key,
                Stack.strings("select partition_key from eb_event where id = ?", id)
                        .get(0));
    }

    @Test
    void theJavaSdkPublishesInBinaryStructuredAndBatchedModeAndEachEventReadsBackWithItsMappedFields() {
        String binaryId = Stack.newId("evt-ce-bin");
        HttpResponse<String> r = binary(userCreated(binaryId, "key-bin"));
        assertEquals(202, r.statusCode(), r.body());
        assertEquals(binaryId, json(r).getString("eventId"));
        assertStoredAsSeed(binaryId, "key-bin");

        String structuredId = Stack.newId("evt-ce-str");
        r = structured(userCreated(structuredId, "key-str"));
        assertEquals(202, r.statusCode(), r.body());
        assertStoredAsSeed(structuredId, "key-str");

        String first = Stack.newId("evt-ce-batch");
        String second = Stack.newId("evt-ce-batch");
        r = batch(userCreated(first, "key-batch"), userCreated(second, "key-batch"));
        assertEquals(202, r.statusCode(), r.body());
        JsonObject results = json(r);
        assertEquals(2, results.getInt("accepted"), r.body());
        assertEquals(first, results.getJsonArray("receipts").getJsonObject(0).getString("eventId"));
        assertEquals(second, results.getJsonArray("receipts").getJsonObject(1).getString("eventId"));
        assertStoredAsSeed(first, "key-batch");
        assertStoredAsSeed(second, "key-batch");
        assertEquals(
                List.of(first, second),
                Stack.strings("select id from eb_event where partition_key = ? order by seq", "key-batch").stream()
                        .filter(id -> id.equals(first) || id.equals(second))
                        .toList());

        HttpResponse<String> again = batch(userCreated(first, "key-batch"), userCreated(second, "key-batch"));
        assertEquals(202, again.statusCode(), again.body());
        assertEquals(2, json(again).getInt("duplicates"), "a repeated batch is all duplicates: " + again.body());
    }

    @Test
    void aRepeatedCloudEventIsIdempotentAndAChangedOneWithTheSameIdIsRefused() {
        String id = Stack.newId("evt-ce-idem");
        HttpResponse<String> first = binary(userCreated(id, "k-idem"));
        assertEquals(202, first.statusCode(), first.body());
        HttpResponse<String> repeat = binary(userCreated(id, "k-idem"));
        assertEquals(202, repeat.statusCode(), repeat.body());
        assertEquals(json(first).getString("receipt"), json(repeat).getString("receipt"));
        assertError(409, "DUPLICATE_EVENT_ID", binary(userCreated(id, "another-key")));
        assertEquals(1, Stack.count("select count(*) from eb_event where id = ?", id));
    }

    @Test
    void clientMistakesInEveryModeGetTheErrorJsonNamingTheAttribute() {
        String id = Stack.newId("evt-ce-bad");
        HttpRequest.Builder noVersion = HttpRequest.newBuilder(URI.create(Stack.baseUrl() + "/v1/events"))
                .header("Content-Type", "application/json")
                .header("ce-id", id)
                .header("ce-type", "user.created")
                .header("ce-source", "user-service")
                .POST(HttpRequest.BodyPublishers.ofString("{\"userId\":\"u\",\"email\":\"a@b.co\",\"name\":\"n\"}"));
        HttpResponse<String> r = Stack.send(noVersion);
        assertError(400, "VALIDATION_ERROR", r);
        assertEquals("ce-specversion", json(r).getJsonObject("details").getString("field"));

        r = Stack.send(HttpRequest.newBuilder(noVersion.build(), (n, v) -> true).header("ce-specversion", "2.0"));
        assertError(400, "VALIDATION_ERROR", r);
        assertEquals("ce-specversion", json(r).getJsonObject("details").getString("field"));

        r = Stack.send(HttpRequest.newBuilder(noVersion.build(), (n, v) -> true)
                .header("ce-specversion", "1.0")
                .header("ce-time", "yesterday"));
        assertError(400, "VALIDATION_ERROR", r);
        assertEquals("ce-time", json(r).getJsonObject("details").getString("field"));

        r = Stack.post(
                "/v1/events",
                "application/cloudevents+json",
                "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"type\":\"user.created\",\"source\":\"user-service\","
                        + "\"time\":\"not a time\",\"data\":{}}");
        assertError(400, "VALIDATION_ERROR", r);
        assertEquals("time", json(r).getJsonObject("details").getString("field"));

        r = Stack.post(
                "/v1/events",
                "application/cloudevents+json",
                "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"type\":\"user.created\",\"source\":\"user-service\","
                        + "\"data\":{\"userId\":7}}");
        assertError(400, "SCHEMA_VALIDATION_ERROR", r);

        String good = new String(FORMAT.serialize(userCreated(Stack.newId("evt-ce-ok"), "k")), StandardCharsets.UTF_8);
        r = Stack.post(
                "/v1/events",
                "application/cloudevents-batch+json",
                "[" + good + ",{\"specversion\":\"0.3\",\"id\":\"x\",\"type\":\"user.created\",\"source\":\"s\"}]");
        assertError(400, "VALIDATION_ERROR", r);
        assertEquals("[1].specversion", json(r).getJsonObject("details").getString("field"));

        assertError(400, "MALFORMED_JSON", Stack.post("/v1/events", "application/cloudevents+json", "{"));
        assertEquals(0, Stack.count("select count(*) from eb_event where id = ?", id), "nothing stored");
    }

    @Test
    void aKafkaConsumerWithTheSdkDeserializerReadsTheBusTopicAsCloudEventsWithTheEventsOwnData() {
        String id = Stack.newId("evt-ce-kafka");
        String type = "it.ce.kafka" + Stack.newId("").replace("-", "").substring(0, 8);
        String data = "{\"userId\":\"usr-kafka\",\"email\":\"k@example.com\",\"name\":\"Kafka Ünïcode\","
                + "\"n\":1.5,\"tags\":[\"a\",\"b\"],\"nested\":{\"ok\":true,\"none\":null}}";
        CloudEvent published = CloudEventBuilder.v1(userCreated(id, "key-kafka"))
                .withType(type)
                .withData("application/json", data.getBytes(StandardCharsets.UTF_8))
                .withSubject("users/usr-kafka")
                .withDataSchema(URI.create("https://schemas.example.com/user.created.json"))
                .withExtension("region", "eu")
                .withExtension("ebmetadata", "{\"attempt\":3,\"flag\":true,\"Upper\":\"u\"}")
                .build();
        HttpResponse<String> accepted = binary(published);
        assertEquals(202, accepted.statusCode(), accepted.body());
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Stack.kafkaBootstrap());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        ConsumerRecord<String, CloudEvent> found = null;
        try (KafkaConsumer<String, CloudEvent> c =
                new KafkaConsumer<>(p, new StringDeserializer(), new CloudEventDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(KafkaProbe.TOPIC, Duration.ofSeconds(30)).stream()
                    .map(i -> new TopicPartition(KafkaProbe.TOPIC, i.partition()))
                    .toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (found == null && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, CloudEvent> r : c.poll(Duration.ofMillis(500))) {
                    if (id.equals(r.value().getId())) {
                        found = r;
                    }
                }
            }
        }
        assertNotNull(found, "no CloudEvent with id " + id + " on " + KafkaProbe.TOPIC);
        CloudEvent e = found.value();
        assertEquals(data, new String(e.getData().toBytes(), StandardCharsets.UTF_8), "data is the event's data");
        assertEquals("application/json", e.getDataContentType());
        assertEquals(SpecVersion.V1, e.getSpecVersion());
        assertEquals(type, e.getType());
        assertEquals(URI.create("user-service"), e.getSource());
        assertEquals(TIME, e.getTime(), "the publisher's time with its offset");
        assertEquals("users/usr-kafka", e.getSubject());
        assertEquals(URI.create("https://schemas.example.com/user.created.json"), e.getDataSchema());
        assertEquals(
                Set.of("correlationid", "partitionkey", "traceparent", "region", "ebmetadata"), e.getExtensionNames());
        assertEquals("key-kafka", e.getExtension("partitionkey"));
        assertEquals("key-kafka", found.key(), "record key = partitionkey");
        assertEquals("corr-" + id, e.getExtension("correlationid"));
        assertEquals("eu", e.getExtension("region"));
        assertEquals(
                Stack.parse("{\"attempt\":3,\"flag\":true,\"Upper\":\"u\"}"),
                Stack.parse(String.valueOf(e.getExtension("ebmetadata"))));
        JsonObject stored = json(Stack.get("/v1/events/" + id)).getJsonObject("event");
        assertEquals(
                stored.getJsonObject("metadata").getString("traceparent"),
                e.getExtension("traceparent"),
                "the trace context the bus stored");
        assertTrue(
                String.valueOf(e.getExtension("traceparent")).startsWith("00-0af7651916cd43dd8448eb211c80319c-"),
                "the publisher's trace: " + e.getExtension("traceparent"));
        assertEquals(Stack.parse(data), stored.getJsonObject("data"));
    }

    @Test
    void webhooksGoOutAsCloudEventsInBinaryOrStructuredModeSignedOverTheRawBody() throws Exception {
        String type = "it.ce.hook" + Stack.newId("").replace("-", "").substring(0, 8);
        String binarySub = "ce-bin-" + type.substring(type.length() - 8);
        String structuredSub = "ce-str-" + type.substring(type.length() - 8);
        String binarySecret = webhook(binarySub, type, "cloudevents-binary");
        String structuredSecret = webhook(structuredSub, type, "cloudevents-structured");
        assertEquals(
                "cloudevents-binary",
                json(Stack.get("/v1/subscriptions/" + binarySub))
                        .getJsonObject("target")
                        .getString("format"));
        String id = Subscriptions.publish(type, "key-hook", "{\"n\":1}");
        await(
                Duration.ofSeconds(60),
                "both delivered",
                () -> !receiver.calls("/" + binarySub, id).isEmpty()
                        && !receiver.calls("/" + structuredSub, id).isEmpty());

        WebhookReceiver.Call bin = receiver.calls("/" + binarySub, id).get(0);
        assertEquals("1.0", bin.headers().get("ce-specversion"));
        assertEquals(id, bin.headers().get("ce-id"));
        assertEquals(type, bin.headers().get("ce-type"));
        assertEquals("user-service", bin.headers().get("ce-source"));
        assertEquals("key-hook", bin.headers().get("ce-partitionkey"));
        assertEquals("2023-05-20T13:45:30Z", bin.headers().get("ce-time"));
        assertEquals("application/json", bin.headers().get("content-type"));
        assertEquals("{\"n\":1}", bin.body(), "binary mode: the body is data");
        assertEquals(SecretsAtRestIT.signature(binarySecret, bin), bin.signature(), "signed over the raw body");

        WebhookReceiver.Call str = receiver.calls("/" + structuredSub, id).get(0);
        assertEquals("application/cloudevents+json", str.headers().get("content-type"));
        CloudEvent e = FORMAT.deserialize(str.body().getBytes(StandardCharsets.UTF_8));
        assertEquals(id, e.getId());
        assertEquals(type, e.getType());
        assertEquals("key-hook", e.getExtension("partitionkey"));
        assertEquals("{\"n\":1}", new String(e.getData().toBytes(), StandardCharsets.UTF_8));
        assertEquals(SecretsAtRestIT.signature(structuredSecret, str), str.signature(), "signed over the raw body");
    }

    @Test
    void aWebhookFormatIsCheckedWhenTheSubscriptionIsSaved() {
        String body = "{\"owner\":\"it\",\"eventTypes\":[\"it.ce.x\"],\"target\":{\"type\":\"webhook\",\"url\":\""
                + receiver.url("/x") + "\",\"format\":\"xml\"}}";
        HttpResponse<String> r =
                Stack.send(HttpRequest.newBuilder(URI.create(Stack.baseUrl() + "/v1/subscriptions/ce-bad-format"))
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(body)));
        assertError(400, "VALIDATION_ERROR", r);
        assertEquals("target.format", json(r).getJsonObject("details").getString("field"));
        r = Stack.send(HttpRequest.newBuilder(URI.create(Stack.baseUrl() + "/v1/subscriptions/ce-pull-format"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"owner\":\"it\",\"eventTypes\":[\"it.ce.x\"],"
                        + "\"target\":{\"type\":\"pull\",\"format\":\"cloudevents-binary\"}}")));
        assertError(400, "VALIDATION_ERROR", r);
        assertEquals("target.format", json(r).getJsonObject("details").getString("field"));
    }

    @Test
    void theNpmCloudEventsSdkPublishesAndReceivesAWebhookInCloudEventsMode() throws Exception {
        Path node = Path.of("/usr/bin/node");
        assumeTrue(
                Files.isExecutable(node),
                "node is not installed at /usr/bin/node: the npm cloudevents client cannot run here");
        Path dir = Path.of("target", "node-cloudevents");
        Files.createDirectories(dir);
        for (String f : List.of("package.json", "package-lock.json", "ce-roundtrip.cjs")) {
            Files.copy(
                    Path.of("src", "test", "node", f),
                    dir.resolve(f),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        run(dir, Duration.ofMinutes(5), "npm", "ci", "--no-audit", "--no-fund");

        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(WebhookReceiver.HOST))) {
            port = s.getLocalPort();
        }
        String sub = "ce-node-" + Stack.newId("").substring(1, 9);
        webhook(sub, "user.created", "cloudevents-binary", "http://" + WebhookReceiver.HOST + ":" + port + "/hook");
        String id = Stack.newId("evt-ce-node");
        ProcessBuilder pb = new ProcessBuilder(node.toString(), "ce-roundtrip.cjs")
                .directory(dir.toFile())
                .redirectErrorStream(true);
        pb.environment().put("BUS_URL", Stack.baseUrl());
        pb.environment().put("TOKEN", Stack.token(Stack.adminKey()));
        pb.environment().put("EVENT_ID", id);
        pb.environment().put("HOST", WebhookReceiver.HOST);
        pb.environment().put("PORT", String.valueOf(port));
        Process p = pb.start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                lines.add(line);
            }
        } finally {
            if (!p.waitFor(100, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            Stack.send(HttpRequest.newBuilder(URI.create(Stack.baseUrl() + "/v1/subscriptions/" + sub))
                    .DELETE());
        }
        assertEquals(0, p.exitValue(), "node client output:\n" + String.join("\n", lines));
        JsonObject published = Stack.parse(lines.get(0));
        assertEquals(202, published.getInt("published"), lines.get(0));
        JsonObject received = Stack.parse(lines.get(lines.size() - 1));
        JsonObject event = received.getJsonObject("received");
        assertEquals(id, event.getString("id"));
        assertEquals("user.created", event.getString("type"));
        assertEquals("user-service", event.getString("source"));
        assertEquals("corr-" + id, event.getString("correlationid"));
        assertEquals("user-node", event.getString("partitionkey"));
        assertEquals("usr-node", event.getJsonObject("data").getString("userId"));
        assertEquals(
                OffsetDateTime.parse("2024-05-20T13:45:30Z").toInstant(),
                OffsetDateTime.parse(event.getString("time")).toInstant());
        assertEquals(id, received.getString("ceId"), "delivered in binary mode");
        assertEquals(id, received.getString("webhookId"));
        assertTrue(received.getString("contentType").startsWith("application/json"), received.toString());
        assertStoredAsSeedFromNode(id);
    }

    private static void assertStoredAsSeedFromNode(String id) {
        JsonObject e = json(Stack.get("/v1/events/" + id)).getJsonObject("event");
        assertEquals("user-node", e.getJsonObject("metadata").getString("partitionKey"));
        assertEquals("corr-" + id, e.getJsonObject("metadata").getString("correlationId"));
    }

    private static void run(Path dir, Duration timeout, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS), String.join(" ", command) + " timed out");
        assertEquals(0, p.exitValue(), String.join(" ", command) + ":\n" + out);
    }

    /** @return the webhook subscription's signing secret */
    private static String webhook(String id, String type, String format) {
        return webhook(id, type, format, receiver.url("/" + id));
    }

    private static String webhook(String id, String type, String format, String url) {
        return Subscriptions.create(
                        id,
                        "{\"owner\":\"it\",\"eventTypes\":[\"" + type
                                + "\"],\"target\":{\"type\":\"webhook\",\"url\":\""
                                + url + "\",\"timeoutMillis\":3000,\"format\":\"" + format + "\"},"
                                + "\"retryPolicy\":{\"initialDelayMillis\":300,\"maxAttempts\":20}}")
                .getJsonObject("target")
                .getString("secret");
    }
}
