package com.idynic.eventbus.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The JavaScript SDK ({@code sdk-js}) under Node's test runner: its unit tests (a fake bus), and its integration
 * tests against this deployed bus with a service and key made here; the bus's own store then confirms what the SDK
 * reported.
 */
class JsSdkIT {
    private static final Path SDK =
            Path.of(System.getProperty("sdk.js", "../sdk-js")).toAbsolutePath();

    @BeforeAll
    static void ready() {
        Stack.awaitReady();
    }

    @Test
    void unitTestsPass() throws Exception {
        Result r = node(testFiles("test"), Map.of());
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("# fail 0"), r.output());
    }

    @Test
    void publishesSubscribesAndVerifiesWebhooksAgainstTheBus() throws Exception {
        String run = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String key = AuthIT.service(
                "it-sdk-js-" + run,
                "{\"roles\":[\"publisher\",\"subscriber\"],\"publish\":[\"sdkjs.*\",\"user.created\"],"
                        + "\"subscribe\":[\"sdkjs.*\"]}");
        Result r = node(
                testFiles("test/integration"),
                Map.of(
                        "EVENTBUS_URL",
                        Stack.baseUrl(),
                        "EVENTBUS_API_KEY",
                        key,
                        "EVENTBUS_RUN",
                        run,
                        "EVENTBUS_WEBHOOK_HOST",
                        WebhookReceiver.HOST));
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("# pass 4\n"), r.output());

        String prefix = "jsit-" + run + "-";
        assertEquals(500, Stack.count("select count(*) from eb_event where id like ?", prefix + "bulk-%"));
        assertEquals(0, Stack.count("select count(*) from eb_event where id = ?", prefix + "bad"), "refused alone");
        assertEquals(2, Stack.count("select count(*) from eb_event where id like ?", prefix + "ok-%"));
        for (int i = 0; i < 20; i++) {
            assertEquals(
                    "DELIVERED",
                    Subscriptions.state(prefix + "pull-" + i, prefix + "pull"),
                    "acked before close() returned: " + i);
        }
    }

    record Result(int exit, String output) {}

    private static List<String> testFiles(String dir) throws IOException {
        try (Stream<Path> files = Files.list(SDK.resolve(dir))) {
            return files.map(p -> SDK.relativize(p).toString())
                    .filter(n -> n.endsWith(".test.mjs"))
                    .sorted()
                    .toList();
        }
    }

    /** Runs {@code node --test FILES} in sdk-js; skipped (with the reason) only when no node is installed. */
    private static Result node(List<String> files, Map<String, String> env) throws Exception {
        String node = System.getProperty("node", "node");
        assumeTrue(nodeRuns(node), "node is not installed (" + node + "): the JavaScript SDK's tests are skipped");
        List<String> command = new ArrayList<>(List.of(node, "--test", "--test-reporter=tap"));
        command.addAll(files);
        Path log = Files.createTempFile(Files.createDirectories(Path.of("target", "js-sdk")), "node-test-", ".log");
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(SDK.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().putAll(env);
        Process p = pb.start();
        boolean finished = p.waitFor(5, TimeUnit.MINUTES);
        if (!finished) {
            p.destroyForcibly().waitFor();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        System.out.println(output);
        assertTrue(finished, "node --test ran over 5 minutes:\n" + output);
        return new Result(p.exitValue(), output);
    }

    private static boolean nodeRuns(String node) {
        try {
            Process p = new ProcessBuilder(node, "--version")
                    .redirectErrorStream(true)
                    .start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
