package com.idynic.eventbus.it;

import com.idynic.eventbus.it.ReadmeExamples.Block;
import com.idynic.eventbus.it.ReadmeExamples.Command;
import com.idynic.eventbus.it.ReadmeExamples.Expected;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs README blocks in one bash session, as a reader pastes them into one terminal, and checks every
 * curl's answer against what the text says. In the session {@code curl} is a shell function that calls
 * the real curl, prints the body as curl would (so {@code $(curl … | sed …)} works) and records the status
 * and body per command for the check.
 */
final class ReadmeSession {
    private static final long TIMEOUT_SECONDS = 120;
    private static final String PRELUDE =
            """
            curl() {
                local out code rc
                out=$(mktemp "$__RT/body.XXXXXX")
                code=$(command curl -sS --max-time 60 -o "$out" -w '%{http_code}' "$@")
                rc=$?
                printf '%s\\t%s\\t%s\\t%s\\n' "${__CMD:-?}" "${code:-000}" "$rc" "$out" >> "$__RT/calls"
                cat "$out"
                return "$rc"
            }
            """;

    /** One curl call: its command ({@code block.command}), HTTP status (0: no answer) and body. */
    record Call(String command, int status, String body) {}

    /** Failures (none when every answer is the documented one), stderr per block index, every call. */
    record Outcome(List<String> failures, Map<Integer, String> stderr, List<Call> calls) {}

    private final Path dir;
    private final Path files;
    private final Map<String, String> env;
    private final Map<String, String> rewrites;

    /**
     * @param dir the working directory of the session
     * @param files where the script, the bodies and the logs go (kept for a look after a failure)
     * @param env variables to set; {@code EVENTBUS_HOME} and {@code TOKEN} are unset unless given
     * @param rewrites text to replace in every command, e.g. the README's URL by the test server's
     */
    ReadmeSession(Path dir, Path files, Map<String, String> env, Map<String, String> rewrites) {
        this.dir = dir;
        this.files = files;
        this.env = env;
        this.rewrites = rewrites;
    }

    Outcome run(List<Block> blocks) throws IOException, InterruptedException {
        StringBuilder script = new StringBuilder("__RT='" + files.toAbsolutePath() + "'\n").append(PRELUDE);
        for (int b = 0; b < blocks.size(); b++) {
            if (!blocks.get(b).runs()) {
                continue;
            }
            script.append("exec >\"$__RT/out.%d\" 2>\"$__RT/err.%d\"\n".formatted(b, b));
            List<Command> commands = blocks.get(b).commands();
            for (int c = 0; c < commands.size(); c++) {
                script.append("__CMD=").append(b).append('.').append(c).append('\n');
                script.append(rewritten(commands.get(c).text()));
            }
            script.append("echo \"%d $?\" >> \"$__RT/ended\"\n".formatted(b));
        }
        Path file = Files.writeString(files.resolve("readme.sh"), script);
        ProcessBuilder pb = new ProcessBuilder("bash", file.toAbsolutePath().toString())
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(files.resolve("session.log").toFile());
        pb.environment().remove("EVENTBUS_HOME");
        pb.environment().remove("TOKEN");
        pb.environment().putAll(env);
        Process p = pb.start();
        List<String> failures = new ArrayList<>();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor();
            failures.add("the README session did not end within " + TIMEOUT_SECONDS + " s; see " + files);
        }
        return check(blocks, failures);
    }

    private String rewritten(String text) {
        String out = text;
        for (Map.Entry<String, String> r : rewrites.entrySet()) {
            out = out.replace(r.getKey(), r.getValue());
        }
        return out;
    }

    private Outcome check(List<Block> blocks, List<String> failures) throws IOException {
        List<Call> calls = new ArrayList<>();
        Map<String, List<Call>> byCommand = new HashMap<>();
        for (String line : lines("calls")) {
            String[] f = line.split("\t", 4);
            String body = new String(Files.readAllBytes(Path.of(f[3])), StandardCharsets.UTF_8);
            Call call = new Call(f[0], Integer.parseInt(f[1]), body);
            calls.add(call);
            byCommand.computeIfAbsent(call.command(), k -> new ArrayList<>()).add(call);
        }
        Map<Integer, Integer> ended = new HashMap<>();
        for (String line : lines("ended")) {
            String[] f = line.split(" ");
            ended.put(Integer.valueOf(f[0]), Integer.valueOf(f[1]));
        }
        Map<Integer, String> stderr = new TreeMap<>();
        for (int b = 0; b < blocks.size(); b++) {
            Block block = blocks.get(b);
            if (!block.runs()) {
                continue;
            }
            Path err = files.resolve("err." + b);
            stderr.put(b, Files.exists(err) ? Files.readString(err) : "");
            List<Command> commands = block.commands();
            for (int c = 0; c < commands.size(); c++) {
                Command command = commands.get(c);
                List<Call> made = byCommand.getOrDefault(b + "." + c, List.of());
                if (command.curl() && made.isEmpty() && ended.containsKey(b)) {
                    failures.add(report(block, command, "it called no curl", null, stderr.get(b)));
                }
                for (Call call : made) {
                    String why = mismatch(command.expected(), call);
                    if (why != null) {
                        failures.add(report(block, command, why, call, stderr.get(b)));
                    }
                }
            }
            if (!ended.containsKey(b)) {
                failures.add(blockReport(
                        block, "the shell stopped in it (a command exited); nothing after it ran", stderr.get(b)));
                break;
            }
            if (ended.get(b) != 0) {
                failures.add(
                        blockReport(block, "its last command failed with exit status " + ended.get(b), stderr.get(b)));
            }
        }
        return new Outcome(failures, stderr, calls);
    }

    private List<String> lines(String name) throws IOException {
        Path f = files.resolve(name);
        return Files.exists(f) ? Files.readAllLines(f) : List.of();
    }

    /** @return why the answer is not the documented one, or null when it is */
    static String mismatch(Expected e, Call call) {
        if (e == null) {
            return call.status() / 100 == 2 ? null : "expected a 2xx answer (the README shows no '# -> …' for it)";
        }
        if (call.status() != e.status()) {
            return "expected " + e.status();
        }
        if (e.errorCode() == null && e.json() == null) {
            return null;
        }
        JsonObject answer;
        try {
            answer = Stack.parse(body(call.body()));
        } catch (RuntimeException notAnObject) {
            return "expected a JSON object";
        }
        if (e.errorCode() != null && !e.errorCode().equals(answer.getString("errorCode", null))) {
            return "expected errorCode " + e.errorCode();
        }
        List<String> differences = e.json() == null ? List.of() : DocumentedJson.differences(e.json(), answer);
        return differences.isEmpty() ? null : String.join("; ", differences);
    }

    /** @return the body without the status line and headers that {@code curl -i} prints before it */
    static String body(String printed) {
        String out = printed;
        while (out.startsWith("HTTP/") && out.contains("\r\n\r\n")) {
            out = out.substring(out.indexOf("\r\n\r\n") + 4);
        }
        return out;
    }

    private static String blockReport(Block block, String why, String stderr) {
        return "README.md block at line " + block.line() + ": " + why + "\n  stderr:   " + cut(stderr.strip(), 600);
    }

    private static String report(Block block, Command command, String why, Call call, String stderr) {
        Expected e = command.expected();
        String expected = e == null ? "2xx" : e.written();
        String actual = call == null ? "-" : call.status() + " " + cut(body(call.body()), 1500);
        return "README.md line " + command.line() + " (block at line " + block.line() + "): " + why
                + "\n  command:  " + cut(command.text().strip(), 600)
                + "\n  expected: " + expected
                + "\n  actual:   " + actual
                + (stderr.isBlank() ? "" : "\n  stderr:   " + cut(stderr.strip(), 600));
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "…";
    }
}
