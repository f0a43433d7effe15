package com.idynic.eventbus.web;

import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.ErrorCode;
import jakarta.json.stream.JsonLocation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Says in plain words where and why a body is not JSON ({@code unexpected character 'h' at line 1, column 3}),
 * instead of passing on the parser's own message, which names its internals (char codes, token names).
 */
final class JsonSyntax {
    private static final Pattern UNEXPECTED_CHAR = Pattern.compile("^Unexpected char (-?\\d+)");
    private static final Pattern INVALID_TOKEN = Pattern.compile("^Invalid token=(\\w+).*?(?:\\[([A-Z, ]*)\\])?$");
    private static final Pattern TRAILING = Pattern.compile("^Expected EOF token, but got (\\w+)");
    private static final List<String> ANY_VALUE =
            List.of("CURLYOPEN", "SQUAREOPEN", "STRING", "NUMBER", "TRUE", "FALSE", "NULL");
    private static final Map<String, String> TOKENS = Map.ofEntries(
            Map.entry("CURLYOPEN", "'{'"),
            Map.entry("SQUAREOPEN", "'['"),
            Map.entry("COLON", "':'"),
            Map.entry("COMMA", "','"),
            Map.entry("STRING", "a string"),
            Map.entry("NUMBER", "a number"),
            Map.entry("TRUE", "true"),
            Map.entry("FALSE", "false"),
            Map.entry("NULL", "null"),
            Map.entry("CURLYCLOSE", "'}'"),
            Map.entry("SQUARECLOSE", "']'"),
            Map.entry("EOF", "the end of the body"));

    private JsonSyntax() {}

    /**
     * @param parserMessage the parser's message, read for what it found and expected
     * @param where where the parser stopped (line and column from 1)
     * @return {@code MALFORMED_JSON} naming what was found, and where, with {@code details.line} and
     *     {@code details.column}
     */
    static BusException malformed(String parserMessage, JsonLocation where) {
        Problem problem = problem(parserMessage == null ? "" : parserMessage);
        return at("Body is not valid JSON: " + problem.found(), where, problem.expected());
    }

    /** @return {@code MALFORMED_JSON}: the body is well-formed but beyond what the reader accepts, and where */
    static BusException unacceptable(String why, JsonLocation where) {
        return at("Body is not acceptable JSON: " + why, where, null);
    }

    private static BusException at(String message, JsonLocation where, String expected) {
        long line = Math.max(1, where.getLineNumber());
        long column = Math.max(1, where.getColumnNumber());
        return new BusException(
                ErrorCode.MALFORMED_JSON,
                message + " at line " + line + ", column " + column
                        + (expected == null ? "" : " (expected " + expected + ")"),
                Map.of("line", line, "column", column));
    }

    /**
     * What the parser found, and what it expected instead.
     *
     * @param found e.g. {@code unexpected character 'h'}
     * @param expected e.g. {@code ',' or '}'}; null when the parser did not say
     */
    record Problem(String found, String expected) {}

    static Problem problem(String message) {
        Matcher c = UNEXPECTED_CHAR.matcher(message);
        if (c.find()) {
            int ch = Integer.parseInt(c.group(1));
            return new Problem(ch < 0 ? "it ends too early" : "unexpected character " + character(ch), null);
        }
        Matcher t = INVALID_TOKEN.matcher(message.lines().findFirst().orElse(""));
        if (t.find()) {
            String found = t.group(1).equals("EOF") ? "it ends too early" : "found " + token(t.group(1));
            return new Problem(found, t.group(2) == null ? null : expected(t.group(2)));
        }
        Matcher trailing = TRAILING.matcher(message);
        if (trailing.find()) {
            return new Problem("found " + token(trailing.group(1)) + " after the end of the JSON value", null);
        }
        return new Problem("unexpected input", null);
    }

    /** @return {@code 'h'} for a printable ASCII character, {@code U+00E9} for any other */
    static String character(int ch) {
        return ch > 0x20 && ch < 0x7f ? "'" + (char) ch + "'" : String.format("U+%04X", ch);
    }

    private static String token(String name) {
        return TOKENS.getOrDefault(name, "input");
    }

    private static String expected(String list) {
        List<String> names = new ArrayList<>(List.of(list.split(",\\s*")));
        List<String> words = new ArrayList<>();
        if (names.containsAll(ANY_VALUE)) {
            names.removeAll(ANY_VALUE);
            words.add("a value");
        }
        names.stream().filter(n -> !n.isBlank()).map(JsonSyntax::token).forEach(words::add);
        if (words.size() <= 1) {
            return words.isEmpty() ? "something else" : words.get(0);
        }
        return String.join(", ", words.subList(0, words.size() - 1)) + " or " + words.get(words.size() - 1);
    }
}
