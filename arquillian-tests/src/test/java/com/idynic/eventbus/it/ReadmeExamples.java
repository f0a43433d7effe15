package com.idynic.eventbus.it;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fenced {@code bash} blocks of a Markdown text, split into shell commands, each with what the text
 * says it answers, so that a test can run them as a reader would and hold the text to its word.
 *
 * <p>A block is skipped when {@code <!-- readme-test: skip (reason) -->} is the last line before its
 * fence. A command's expected answer is a comment {@code # -> 201 …} on its last line or on the comment
 * lines right after it (for a block's last command also an {@code HTTP/1.1 202 …} block right after the
 * fence): the status, then optionally an error code in capitals, then optionally a JSON object whose keys
 * the answer must have, with the values shown where they are stable (see {@link DocumentedJson}).
 */
final class ReadmeExamples {
    private static final Pattern FENCE = Pattern.compile("```(\\S*)\\s*");
    private static final Pattern SKIP = Pattern.compile("<!--\\s*readme-test:\\s*skip\\s*\\((.+)\\)\\s*-->");
    private static final Pattern ARROW = Pattern.compile("->\\s*(\\d{3})\\b(?:\\s+([A-Z][A-Z_]{2,}))?");
    private static final Pattern HTTP_STATUS = Pattern.compile("HTTP/\\S+\\s+(\\d{3})\\b.*");
    private static final Pattern CURL = Pattern.compile("(^|[\\s;|&(])curl\\s");

    /** A fenced {@code bash} block; {@code line} is the line of its opening fence (1-based). */
    record Block(int line, List<Command> commands, String skipReason) {
        boolean runs() {
            return skipReason == null;
        }
    }

    /** One shell command (possibly over several lines) as written, without its comments. */
    record Command(int line, String text, boolean curl, Expected expected) {
        Command expecting(Expected e) {
            return new Command(line, text, curl, e);
        }
    }

    /** What the text says a command answers; {@code json} is the JSON object shown, null when none is. */
    record Expected(int status, String errorCode, DocumentedJson.Shown json, String written) {}

    /** The blocks, and what keeps the text from being run as written (placeholders, unreadable expectations). */
    record Readme(List<Block> blocks, List<String> problems) {}

    private ReadmeExamples() {}

    static Readme parse(String markdown) {
        List<String> lines = markdown.lines().toList();
        List<Block> blocks = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        int i = 0;
        while (i < lines.size()) {
            Matcher open = FENCE.matcher(lines.get(i));
            if (!open.matches()) {
                i++;
                continue;
            }
            int end = closing(lines, i);
            List<String> body = lines.subList(i + 1, end);
            if (open.group(1).equals("bash")) {
                blocks.add(block(lines, i, end, body, problems));
            } else if (body.stream().anyMatch(l -> CURL.matcher(l).find())) {
                problems.add("line " + (i + 1) + ": a curl example outside a ```bash block is never run");
            }
            i = end + 1;
        }
        return new Readme(blocks, problems);
    }

    private static int closing(List<String> lines, int open) {
        int end = open + 1;
        while (end < lines.size() && !lines.get(end).strip().equals("```")) {
            end++;
        }
        return end;
    }

    private static Block block(List<String> lines, int open, int end, List<String> body, List<String> problems) {
        String skip = null;
        int before = open - 1;
        while (before >= 0 && lines.get(before).isBlank()) {
            before--;
        }
        if (before >= 0 && lines.get(before).contains("readme-test")) {
            Matcher m = SKIP.matcher(lines.get(before).strip());
            if (m.matches() && !m.group(1).isBlank()) {
                skip = m.group(1);
            } else {
                problems.add("line " + (before + 1) + ": write <!-- readme-test: skip (reason) -->");
            }
        }
        List<Command> commands = ShellCommands.split(body, open + 2, problems);
        Expected shown = httpBlockAfter(lines, end, problems);
        if (shown != null) {
            int last = lastCurl(commands);
            if (last < 0 || commands.get(last).expected() != null) {
                problems.add("line " + (end + 2) + ": the HTTP block belongs to no curl command without '# ->'");
            } else {
                commands.set(last, commands.get(last).expecting(shown));
            }
        }
        if (skip == null) {
            for (Command c : commands) {
                if (c.text().contains("…") || c.text().contains("{...}")) {
                    problems.add("line " + c.line() + ": a placeholder in a command that runs: " + c.text());
                }
            }
        }
        return new Block(open + 1, commands, skip);
    }

    private static int lastCurl(List<Command> commands) {
        for (int k = commands.size() - 1; k >= 0; k--) {
            if (commands.get(k).curl()) {
                return k;
            }
        }
        return -1;
    }

    /** The {@code HTTP/1.1 202 Accepted} block right after a bash block, if there is one. */
    private static Expected httpBlockAfter(List<String> lines, int end, List<String> problems) {
        int next = end + 1;
        while (next < lines.size() && lines.get(next).isBlank()) {
            next++;
        }
        if (next + 1 >= lines.size() || !lines.get(next).strip().equals("```")) {
            return null;
        }
        Matcher status = HTTP_STATUS.matcher(lines.get(next + 1).strip());
        if (!status.matches()) {
            return null;
        }
        StringBuilder json = new StringBuilder();
        int jsonLine = 0;
        for (int k = next + 2; k < closing(lines, next); k++) {
            if (jsonLine == 0 && lines.get(k).strip().startsWith("{")) {
                jsonLine = k + 1;
            }
            if (jsonLine > 0) {
                json.append(lines.get(k)).append('\n');
            }
        }
        return new Expected(
                Integer.parseInt(status.group(1)),
                null,
                json.length() == 0 ? null : DocumentedJson.read(json.toString(), jsonLine, problems),
                lines.get(next + 1).strip());
    }

    /** @return the expectation in a comment, or null when it states none */
    static Expected inComment(String comment, int line, List<String> problems) {
        Matcher m = ARROW.matcher(comment);
        if (!m.find()) {
            return null;
        }
        int brace = comment.indexOf('{', m.end());
        DocumentedJson.Shown json = brace < 0 ? null : DocumentedJson.read(comment.substring(brace), line, problems);
        return new Expected(Integer.parseInt(m.group(1)), m.group(2), json, comment.strip());
    }

    static boolean callsCurl(String code) {
        return CURL.matcher(code).find();
    }
}
