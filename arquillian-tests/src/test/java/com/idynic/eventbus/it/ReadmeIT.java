package com.idynic.eventbus.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.idynic.eventbus.it.ReadmeExamples.Block;
import com.idynic.eventbus.it.ReadmeExamples.Readme;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The README's examples, run as a reader runs them: every fenced {@code bash} block in order, in one bash
 * session against the test server, chained as written (the token the README's own line obtains is the one
 * later blocks use), and each curl's answer held to what the README says next to it. A README that drifts
 * from the bus fails here, naming the line, the command, the expected and the actual answer.
 */
class ReadmeIT {
    @RegisterExtension
    static final WebhookReceiver RECEIVER = new WebhookReceiver();

    /** Where the README's examples call the bus ({@code ./eventbus run}); here, the test server. */
    private static final String README_BUS = "http://127.0.0.1:9080";

    /** The README's webhook receiver (examples/webhook-receiver); here, one on the address the tests allow. */
    private static final String README_RECEIVER = "http://127.0.0.1:8088";

    private static final Path README = Path.of(System.getProperty("readme", "../README.md"));
    private static final Path WORK = Path.of("target", "readme-it").toAbsolutePath();

    @Test
    void everyExampleAnswersAsTheReadmeSays() throws Exception {
        Readme readme = ReadmeExamples.parse(Files.readString(README));
        assertEquals(List.of(), readme.problems(), "the README cannot run as written");
        List<Block> skipped = readme.blocks().stream().filter(b -> !b.runs()).toList();
        System.out.println("README: " + (readme.blocks().size() - skipped.size()) + " bash blocks run; skipped: "
                + skipped.stream()
                        .map(b -> "line " + b.line() + " (" + b.skipReason() + ")")
                        .collect(Collectors.joining(", ")));
        assertNotNull(tokenBlock(readme), "the README shows how to get a token");

        ReadmeSession.Outcome o = session(home(Stack.adminKey()), Map.of()).run(readme.blocks());

        assertTrue(o.failures().isEmpty(), report(o.failures()));
        assertTrue(o.calls().size() > 20, "only " + o.calls().size() + " curl calls ran");
    }

    @Test
    void theTokenLineWorksFromAnyDirectoryWithEventbusHome() throws Exception {
        Path elsewhere = Files.createTempDirectory(work(), "elsewhere-");
        String home = home(Stack.adminKey()).toString();

        ReadmeSession.Outcome o =
                session(elsewhere, Map.of("EVENTBUS_HOME", home)).run(tokenLineThenProbe());

        assertTrue(o.failures().isEmpty(), report(o.failures()));
        assertTrue(Files.readString(elsewhere.resolve("token.out")).startsWith("eyJ"), "TOKEN is a JWT");
    }

    @Test
    void theTokenLineFailsLoudlyWithoutTheKeyFile() throws Exception {
        Path empty = Files.createTempDirectory(work(), "no-key-");

        ReadmeSession.Outcome o = session(empty, Map.of()).run(tokenLineThenProbe());

        assertFalse(o.failures().isEmpty(), "without a key file the token line must not pass silently");
        String stderr = String.join("\n", o.stderr().values());
        assertTrue(stderr.contains("admin.key"), "names the missing file: " + stderr);
        Path token = empty.resolve("token.out");
        assertTrue(!Files.exists(token) || Files.readString(token).isEmpty(), "TOKEN holds no error JSON");
    }

    @Test
    void aReadmeThatNoLongerMatchesTheBusFails() throws Exception {
        String token = Stack.token(Stack.adminKey());
        Readme drifted = ReadmeExamples.parse(
                """
                ```bash
                TOKEN='%s'
                curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:9080/v1/schemas   # -> 201
                curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:9080/v1/schemas
                # -> 200 {"schemas":[...],"total":…}
                curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:9080/v1/schemas/user.created/versions/99
                curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:9080/v1/schemas/no.such.type/versions
                # -> 404 FORBIDDEN
                curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:9080/v1/schemas/user.created/versions/1
                # -> 200 {"eventType":"user.created","version":2,"createdAt":"2026-11-27T17:29:43.738Z","schema":{...}}
                curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:9080/v1/schemas   # -> 200 {"schemas":[]}
                ```
                """
                        .formatted(token));
        assertEquals(List.of(), drifted.problems());

        List<String> failures =
                session(home(Stack.adminKey()), Map.of()).run(drifted.blocks()).failures();

        assertEquals(6, failures.size(), report(failures));
        assertReports(failures.get(0), "expected 201", "actual:   200");
        assertReports(failures.get(1), "the answer lacks $.total", "actual:   200");
        assertReports(failures.get(2), "expected a 2xx", "actual:   404");
        assertReports(failures.get(3), "expected errorCode FORBIDDEN", "actual:   404");
        assertReports(failures.get(4), "$.version: the README shows 2, the answer has 1", "actual:   200");
        assertTrue(failures.get(4).startsWith("README.md line 9 "), "names the command's line: " + failures.get(4));
        assertTrue(
                failures.get(4).contains("command:  curl") && failures.get(4).contains("/versions/1"), failures.get(4));
        assertReports(failures.get(5), "$.schemas: the README shows 0 elements, the answer has", "actual:   200");
    }

    @Test
    void placeholdersAndUnmarkedSkipsKeepAReadmeFromRunning() {
        Readme r = ReadmeExamples.parse(
                """
                ```bash
                curl -X DELETE http://127.0.0.1:9080/v1/services/order-service/keys/3f9c…
                ```

                <!-- readme-test: skip -->
                ```bash
                ./eventbus run
                ```

                ```sh
                curl http://127.0.0.1:9080/health/ready
                ```
                """);

        assertEquals(3, r.problems().size(), String.join("\n", r.problems()));
    }

    private static ReadmeSession session(Path dir, Map<String, String> env) throws IOException {
        Map<String, String> rewrites = Map.of(README_BUS, Stack.baseUrl(), README_RECEIVER, RECEIVER.url(""));
        return new ReadmeSession(dir, Files.createTempDirectory(work(), "session-"), env, rewrites);
    }

    /** @return a directory laid out like the project after {@code ./eventbus run}, as far as the README reads it */
    private static Path home(String adminKey) throws IOException {
        Path home = Files.createTempDirectory(work(), "home-");
        Path identity = Files.createDirectories(home.resolve(".eventbus/data/identity"));
        Files.writeString(identity.resolve("admin.key"), adminKey + "\n");
        return home;
    }

    private static Path work() throws IOException {
        return Files.createDirectories(WORK);
    }

    /** @return the README's block that exchanges the admin key for TOKEN */
    private static Block tokenBlock(Readme readme) {
        return readme.blocks().stream()
                .filter(Block::runs)
                .filter(b -> b.commands().stream()
                        .anyMatch(c -> c.text().startsWith("TOKEN=") && c.text().contains("/v1/auth/token")))
                .findFirst()
                .orElse(null);
    }

    private static List<Block> tokenLineThenProbe() throws IOException {
        Readme readme = ReadmeExamples.parse(Files.readString(README));
        List<Block> blocks = new ArrayList<>();
        blocks.add(tokenBlock(readme));
        blocks.addAll(ReadmeExamples.parse("```bash\nprintf '%s' \"${TOKEN-}\" > token.out\n```\n")
                .blocks());
        return blocks;
    }

    private static void assertReports(String failure, String why, String actual) {
        assertTrue(failure.contains(why) && failure.contains(actual), failure);
    }

    private static String report(List<String> failures) {
        return failures.size() + " README example(s) do not answer as documented (the first is usually the"
                + " cause of the rest):\n\n" + String.join("\n\n", failures);
    }
}
