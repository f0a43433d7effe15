package com.idynic.eventbus.it;

import static com.idynic.eventbus.it.Stack.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.idynic.eventbus.cli.ExitCode;
import com.idynic.eventbus.cli.Main;
import com.sun.net.httpserver.HttpServer;
import jakarta.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code eventbus} CLI's main, run in-process against the test server as a user runs it (URL and API key from
 * the environment): each command's exit code, what it prints and what it did on the bus.
 */
class CliIT {
    @BeforeAll
    static void ready() {
        Stack.awaitReady();
    }

    record Run(int code, String out, String err) {}

    static Run cli(String... args) {
        return cli(Map.of("EVENTBUS_URL", Stack.baseUrl(), "EVENTBUS_API_KEY", Stack.adminKey()), args);
    }

    /** How the CLI's main is called: {@link Main#run} (a test may call another build of it). */
    interface Cli {
        int run(String[] args, Map<String, String> env, Path cwd, PrintStream out, PrintStream err) throws Exception;
    }

    static volatile Cli main = (args, env, cwd, out, err) -> Main.run(args, env, cwd, out, err, false);

    static Run cli(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try {
            code = main.run(
                    args,
                    env,
                    Files.createTempDirectory("cli-it"),
                    new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static String group(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), "no " + regex + " in: " + text);
        return m.group(1);
    }

    @Test
    void publishStoresTheEventAndARefusalPrintsTheBusError() {
        String id = Stack.newId("cli");

        Run ok = cli(
                "publish",
                "user.created",
                "{\"userId\":\"123\",\"email\":\"a@example.com\"}",
                "--id",
                id,
                "--key",
                "k1");
        Run refused = cli("publish", "user.created", "{\"userId\":\"123\",\"email\":\"not-an-email\"}");

        assertEquals(
                new Run(
                        ExitCode.OK,
                        "accepted user.created " + id + " receipt " + group(ok.out(), "(rcpt-\\S+)") + "\n",
                        ""),
                ok);
        JsonObject stored = Stack.json(Stack.get("/v1/events/" + id)).getJsonObject("event");
        assertEquals("eventbus-cli", stored.getString("source"));
        assertEquals("k1", stored.getJsonObject("metadata").getString("partitionKey"));
        assertEquals(ExitCode.REFUSED, refused.code());
        assertTrue(
                refused.err()
                        .startsWith(
                                "error: 400 SCHEMA_VALIDATION_ERROR: Event data does not match schema for event type"
                                        + " 'user.created'\n"),
                refused.err());
        assertTrue(refused.err().contains("\n  field: data.email\n"), refused.err());
    }

    @Test
    void aWrongKeyOrNoBusEndWithTheirOwnCodes() {
        Run badKey = cli(Map.of("EVENTBUS_URL", Stack.baseUrl(), "EVENTBUS_API_KEY", "ebk_nope"), "publish-test-event");
        Run noBus = cli(Map.of("EVENTBUS_URL", "http://127.0.0.1:1", "EVENTBUS_API_KEY", "x"), "publish-test-event");

        assertEquals(ExitCode.REFUSED, badKey.code());
        assertTrue(badKey.err().startsWith("error: 401 UNAUTHORIZED: "), badKey.err());
        assertEquals(ExitCode.UNAVAILABLE, noBus.code());
        assertTrue(noBus.err().startsWith("error: cannot reach the bus at http://127.0.0.1:1: "), noBus.err());
    }

    @Test
    void smokeTestPassesAndRemovesItsSubscription() {
        Run r = cli("smoke-test");

        assertEquals(ExitCode.OK, r.code(), r.out() + r.err());
        assertTrue(r.out().endsWith("smoke-test PASSED (4 steps) against " + Stack.baseUrl() + "\n"), r.out());
        String sub = group(r.out(), "temporary pull subscription (cli-smoke-\\S+)");
        assertEquals(404, Stack.get("/v1/subscriptions/" + sub).statusCode());
    }

    @Test
    void triggerPublishesAnEventThatFitsTheRegisteredSchema() {
        Run r = cli("trigger", "order.placed");

        assertEquals(ExitCode.OK, r.code(), r.out() + r.err());
        String id = group(r.out(), "accepted order.placed (trigger-\\S+) receipt");
        JsonObject data =
                Stack.json(Stack.get("/v1/events/" + id)).getJsonObject("event").getJsonObject("data");
        assertEquals("test-orderId", data.getString("orderId"));
        assertEquals(
                "test-productId", data.getJsonArray("items").getJsonObject(0).getString("productId"));
    }

    @Test
    void dlqListShowsTheDeadLetterAndRedriveSendsItBack() {
        String type = WebhookIT.unique("it.cli.dlq.t");
        String sub = WebhookIT.unique("cli-dlq-");
        Subscriptions.create(
                sub, "{\"eventTypes\":[\"" + type + "\"],\"target\":{\"type\":\"pull\"},\"ordering\":\"unordered\"}");
        String id = Subscriptions.publish(type, null, "{\"n\":1}");
        await(Duration.ofSeconds(30), "the event pulled", () -> PullIT.pull(sub, 2000, 30_000).stream()
                .anyMatch(d -> PullIT.id(d).equals(id)));
        PullIT.settle(sub, "nack", "{\"eventIds\":[\"" + id + "\"],\"reject\":true,\"reason\":\"cli-it\"}");

        Run list = cli("dlq", "list", sub);
        Run redrive = cli("dlq", "redrive", sub, id);

        assertEquals(ExitCode.OK, list.code(), list.err());
        String[] lines = list.out().split("\n");
        assertEquals("1 dead letters in " + sub, lines[0]);
        assertTrue(lines[2].matches(Pattern.quote(id) + " +DEAD +1  \\S+ +rejected: cli-it"), lines[2]);
        assertEquals(new Run(ExitCode.OK, "redriven 1 from " + sub + "\n", ""), redrive);
        assertEquals(List.of(), Subscriptions.deadLetterIds(sub));
    }

    @Test
    void replayStartShowsProgressUntilDone() {
        String type = WebhookIT.unique("it.cli.replay.t");
        String sub = WebhookIT.unique("cli-replay-");
        Subscriptions.create(
                sub, "{\"eventTypes\":[\"" + type + "\"],\"target\":{\"type\":\"pull\"},\"ordering\":\"unordered\"}");
        String first = Subscriptions.publish(type, null, "{\"n\":1}");
        for (int n = 2; n <= 5; n++) {
            Subscriptions.publish(type, null, "{\"n\":" + n + "}");
        }

        Run r = cli("replay", "start", sub, "--from", first, "--rate", "2");

        assertEquals(ExitCode.OK, r.code(), r.out() + r.err());
        String[] lines = r.out().split("\n");
        String id = group(lines[0], "replay (rpl-\\S+) of " + sub + " from " + first + " started");
        assertTrue(lines[1].startsWith("[") && lines[1].endsWith("running"), lines[1]);
        assertEquals("[##############################] 100%  5/5  done", lines[lines.length - 1]);
        Run status = cli("replay", "status", sub, id);
        assertEquals(new Run(ExitCode.OK, "[##############################] 100%  5/5  done\n", ""), status);
    }

    @Test
    void listenForwardsTheChosenTypeToALocalUrlAndAcksWhatItAccepted() throws Exception {
        String type = WebhookIT.unique("it.cli.listen.t");
        String sub = WebhookIT.unique("cli-listen-");
        Subscriptions.create(
                sub,
                "{\"eventTypes\":[\"" + type + "\",\"" + type
                        + "-other\"],\"target\":{\"type\":\"pull\"},\"ordering\":\"unordered\"}");
        List<String> received = new CopyOnWriteArrayList<>();
        HttpServer local = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        local.createContext("/hook", x -> {
            received.add(x.getRequestHeaders().getFirst("webhook-id") + " "
                    + new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            x.sendResponseHeaders(204, -1);
            x.close();
        });
        local.start();
        try {
            String other = Subscriptions.publish(type + "-other", null, "{\"n\":0}");
            String e1 = Subscriptions.publish(type, null, "{\"n\":1}");
            String e2 = Subscriptions.publish(type, null, "{\"n\":2}");
            String url = "http://127.0.0.1:" + local.getAddress().getPort() + "/hook";

            Run r = cli("listen", sub, "--forward", url, "--type", type, "--max-events", "2");

            assertEquals(ExitCode.OK, r.code(), r.out() + r.err());
            assertTrue(r.out().endsWith("forwarded 2 events\n"), r.out());
            assertEquals(2, received.size(), received.toString());
            assertEquals(
                    java.util.Set.of(e1, e2),
                    java.util.Set.copyOf(
                            received.stream().map(s -> s.split(" ")[0]).toList()));
            assertTrue(
                    received.stream().allMatch(s -> s.contains("\"eventType\":\"" + type + "\"")), received.toString());
            assertTrue(received.stream().noneMatch(s -> s.startsWith(other)), received.toString());
            assertEquals(
                    List.of(),
                    PullIT.pull(sub, 0, 30_000).stream()
                            .map(PullIT::id)
                            .filter(id -> id.equals(e1) || id.equals(e2))
                            .toList(),
                    "both forwarded events were acked");
        } finally {
            local.stop(0);
        }
    }

    @Test
    void typesJavaWritesARecordPerRegisteredSchemaThatCompilesAndReadsTheSeedExample() throws Exception {
        Path out = Files.createTempDirectory("cli-types");

        Run r = cli("types", "java", "--package", "com.acme.events", "--out", out.toString());

        assertEquals(ExitCode.OK, r.code(), r.out() + r.err());
        Path dir = out.resolve("com/acme/events");
        assertTrue(r.out().contains("wrote " + dir.resolve("OrderPlaced.java") + " (order.placed v"), r.out());
        assertTrue(r.out().contains("wrote " + dir.resolve("UserCreated.java") + " (user.created v"), r.out());
        List<Path> sources;
        try (var files = Files.list(dir)) {
            sources = files.sorted().toList();
        }
        assertTrue(r.out().endsWith(sources.size() + " records in " + dir + "\n"), r.out());
        Path classes = Files.createDirectories(out.resolve("classes"));
        StringWriter javacSays = new StringWriter();
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        boolean compiled;
        try (StandardJavaFileManager fm = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
            List<String> options = List.of("-proc:none", "-classpath", jacksonClasspath(), "-d", classes.toString());
            compiled = javac.getTask(javacSays, fm, null, options, null, fm.getJavaFileObjectsFromPaths(sources))
                    .call();
        }
        assertTrue(compiled, javacSays.toString());
        try (URLClassLoader loader = new URLClassLoader(
                new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
            Class<?> orderPlaced = loader.loadClass("com.acme.events.OrderPlaced");
            Object order = new ObjectMapper()
                    .findAndRegisterModules()
                    .readValue(
                            "{\"orderId\":\"ord-123456\",\"customerId\":\"cust-789012\",\"items\":[{\"productId\":"
                                    + "\"prod-123\",\"quantity\":2,\"price\":2999}],\"totalAmount\":5998,"
                                    + "\"placedAt\":\"2023-05-20T14:30:40Z\"}",
                            orderPlaced);
            assertEquals("order.placed", orderPlaced.getField("TYPE").get(null));
            assertEquals(5998L, orderPlaced.getMethod("totalAmount").invoke(order));
        }
    }

    private static String jacksonClasspath() throws Exception {
        List<String> jars = new java.util.ArrayList<>();
        for (Class<?> c : List.of(JsonProperty.class, JsonNode.class, JsonParser.class)) {
            jars.add(Path.of(c.getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .toString());
        }
        return String.join(java.io.File.pathSeparator, jars);
    }

    @Test
    void monitorOnceShowsTheBusFigures() {
        Run r = cli(Map.of("EVENTBUS_URL", Stack.baseUrl()), "monitor", "--once", "--interval", "1");

        assertEquals(ExitCode.OK, r.code(), r.err());
        assertTrue(r.out().startsWith("eventbus monitor  " + Stack.baseUrl() + "  "), r.out());
        assertTrue(r.out().matches("(?s).*\n  DLQ size         \\d+\n.*"), r.out());
        assertTrue(r.out().matches("(?s).*\n  publish rate +\\d+\\.\\d ev/s .*"), r.out());
    }
}
