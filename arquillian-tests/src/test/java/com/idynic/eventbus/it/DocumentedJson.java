package com.idynic.eventbus.it;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * JSON as documentation shows it, held to an answer: every key shown must be there, with the value shown
 * unless that value cannot be the same on every run.
 *
 * <p>What is read: one JSON object (prose after it closes is ignored), in which {@code …} or {@code ...}
 * may stand for a value ({@code "total":…}), for keys left out ({@code {"id":"a",...}}, {@code {...}}) or
 * for array elements left out ({@code [{"id":"a"},...]}, {@code [...]}).
 *
 * <p>How it compares: objects by the keys shown (the answer may have more); arrays element by element,
 * all of them, unless the array shown ends in {@code …}, when the elements shown must be the answer's
 * first ones; strings, numbers (by value: {@code 1} equals {@code 1.0}), booleans and {@code null} by
 * equality. A shown value is volatile, and only its key's presence counts, when it is
 *
 * <ol>
 *   <li>{@code …} itself, or a string with {@code …} in it ({@code "rpl-…"}, {@code "whsec_…"}): the way
 *       to write an id, secret or count that differs on every run;
 *   <li>a string that is an ISO-8601 date-time ({@code "2026-11-27T17:29:43.738Z"});
 *   <li>the value of a key in {@link #GENERATED}: receipts, credentials and times the bus makes up per
 *       call.
 * </ol>
 */
final class DocumentedJson {
    /** Keys whose values the bus generates on every call, whatever the documentation writes for them. */
    static final Set<String> GENERATED = Set.of(
            "receipt",
            "accessToken",
            "apiKey",
            "keyId",
            "secret",
            "acceptedAt",
            "timestamp",
            "expiresAt",
            "etaSeconds");

    private static final Pattern DATE_TIME =
            Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:?\\d{2})?");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** A value as shown. */
    sealed interface Shown permits ShownObject, ShownArray, ShownScalar, Elided {}

    /** An object: the keys shown, in order. */
    record ShownObject(Map<String, Shown> members) implements Shown {}

    /** An array: the elements shown; {@code more} when it ends in {@code …} (a prefix of the answer's). */
    record ShownArray(List<Shown> elements, boolean more) implements Shown {}

    /** A string, number, boolean or {@code null}. */
    record ShownScalar(JsonValue value) implements Shown {}

    /** {@code …} in place of a value: any value. */
    record Elided() implements Shown {}

    private DocumentedJson() {}

    /**
     * @param text begins with the object shown; what follows its closing brace is prose
     * @param line the line {@code text} begins on, for the problem
     * @return the object shown, or null (and a problem) when it cannot be read
     */
    static Shown read(String text, int line, List<String> problems) {
        return DocumentedJsonReader.read(text, line, problems);
    }

    /**
     * @return how {@code actual} differs from what is shown, one entry per difference, each naming its path
     *     ({@code $.deliveries[0].state}), what is shown and what the answer has; empty when none
     */
    static List<String> differences(Shown shown, JsonValue actual) {
        List<String> out = new ArrayList<>();
        compare(shown, actual, "$", null, out);
        return out;
    }

    private static void compare(Shown shown, JsonValue actual, String path, String key, List<String> out) {
        if (shown instanceof Elided || (key != null && GENERATED.contains(key))) {
            return;
        }
        if (shown instanceof ShownObject o) {
            if (!(actual instanceof JsonObject a)) {
                out.add(path + ": the README shows an object, the answer has " + render(actual));
                return;
            }
            for (Map.Entry<String, Shown> m : o.members().entrySet()) {
                String at = path + step(m.getKey());
                JsonValue v = a.get(m.getKey());
                if (v == null) {
                    out.add("the answer lacks " + at);
                } else {
                    compare(m.getValue(), v, at, m.getKey(), out);
                }
            }
        } else if (shown instanceof ShownArray s) {
            if (!(actual instanceof JsonArray a)) {
                out.add(path + ": the README shows an array, the answer has " + render(actual));
                return;
            }
            int n = s.elements().size();
            if (s.more() ? a.size() < n : a.size() != n) {
                out.add(path + ": the README shows " + (s.more() ? "at least " : "") + n
                        + (n == 1 ? " element" : " elements") + ", the answer has " + a.size() + ": "
                        + render(a));
            }
            for (int i = 0; i < Math.min(n, a.size()); i++) {
                compare(s.elements().get(i), a.get(i), path + "[" + i + "]", null, out);
            }
        } else if (shown instanceof ShownScalar s && !isVolatile(s.value()) && !same(s.value(), actual)) {
            out.add(path + ": the README shows " + render(s.value()) + ", the answer has " + render(actual));
        }
    }

    /** @return whether a shown scalar is one that differs from run to run (rules 1 and 2 above) */
    static boolean isVolatile(JsonValue shown) {
        return shown instanceof JsonString s
                && (s.getString().contains("…")
                        || DATE_TIME.matcher(s.getString()).matches());
    }

    private static boolean same(JsonValue shown, JsonValue actual) {
        if (shown instanceof JsonNumber n) {
            return actual instanceof JsonNumber a && n.bigDecimalValue().compareTo(a.bigDecimalValue()) == 0;
        }
        if (shown instanceof JsonString s) {
            return actual instanceof JsonString a && s.getString().equals(a.getString());
        }
        return shown.getValueType() == actual.getValueType();
    }

    private static String step(String key) {
        return NAME.matcher(key).matches() ? "." + key : "['" + key.replace("'", "\\'") + "']";
    }

    private static String render(JsonValue v) {
        String s = v.toString();
        return s.length() <= 200 ? s : s.substring(0, 200) + "…";
    }
}
