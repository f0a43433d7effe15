package com.idynic.eventbus.it;

import com.idynic.eventbus.it.ReadmeExamples.Command;
import com.idynic.eventbus.it.ReadmeExamples.Expected;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits the lines of a shell block into commands the way bash reads them for the README's purposes:
 * a command goes on while a quote is open or a line ends with a backslash; {@code #} after a blank,
 * outside quotes, starts a comment. Comment lines right after a command (before a blank line or the next
 * command) still belong to it, so an expectation may stand under a long command.
 */
final class ShellCommands {
    private enum Quote {
        NONE,
        SINGLE,
        DOUBLE
    }

    private ShellCommands() {}

    /** @param firstLine the 1-based line number of {@code lines.get(0)} */
    static List<Command> split(List<String> lines, int firstLine, List<String> problems) {
        List<Command> out = new ArrayList<>();
        StringBuilder text = null;
        StringBuilder code = null;
        int start = 0;
        Quote quote = Quote.NONE;
        boolean followUp = false;
        for (int k = 0; k < lines.size(); k++) {
            String line = lines.get(k);
            int n = firstLine + k;
            if (text == null) {
                String t = line.strip();
                if (t.isEmpty()) {
                    followUp = false;
                    continue;
                }
                if (t.startsWith("#")) {
                    int last = out.size() - 1;
                    if (followUp && out.get(last).expected() == null) {
                        Expected e = ReadmeExamples.inComment(t, n, problems);
                        if (e != null && !out.get(last).curl()) {
                            problems.add("line " + n + ": an expected answer after a command that calls no curl");
                        } else if (e != null) {
                            out.set(last, out.get(last).expecting(e));
                        }
                    }
                    continue;
                }
                text = new StringBuilder();
                code = new StringBuilder();
                start = n;
            }
            StringBuilder lineCode = new StringBuilder();
            String comment = null;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (quote == Quote.NONE && c == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                    comment = line.substring(i);
                    break;
                }
                lineCode.append(c);
                if (c == '\\' && quote != Quote.SINGLE && i + 1 < line.length()) {
                    lineCode.append(line.charAt(++i));
                } else if (c == '\'' && quote != Quote.DOUBLE) {
                    quote = quote == Quote.SINGLE ? Quote.NONE : Quote.SINGLE;
                } else if (c == '"' && quote != Quote.SINGLE) {
                    quote = quote == Quote.DOUBLE ? Quote.NONE : Quote.DOUBLE;
                }
            }
            text.append(comment == null ? line : lineCode.toString().stripTrailing())
                    .append('\n');
            code.append(lineCode).append('\n');
            if (quote == Quote.NONE && !lineCode.toString().stripTrailing().endsWith("\\")) {
                String codeText = code.toString();
                Expected e = comment == null ? null : ReadmeExamples.inComment(comment, n, problems);
                out.add(new Command(start, text.toString(), ReadmeExamples.callsCurl(codeText), e));
                if (e != null && !out.get(out.size() - 1).curl()) {
                    problems.add("line " + n + ": an expected answer on a command that calls no curl");
                }
                text = null;
                followUp = true;
            }
        }
        if (text != null) {
            problems.add("line " + start + ": the command never ends (an open quote or a trailing backslash)");
        }
        return out;
    }
}
