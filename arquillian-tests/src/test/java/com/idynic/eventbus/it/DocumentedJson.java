package com.idynic.eventbus.it;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * JSON as documentation shows it, with {@code …}, {@code ...} and elided values: read leniently for the
 * keys it names. Keys of nested objects count (as paths); keys inside arrays do not, since an example
 * array shows one possible element.
 */
final class DocumentedJson {
    /** An open object (with the path that leads to it, or null inside an array) or an open array. */
    private record Frame(boolean object, List<String> path) {}

    private DocumentedJson() {}

    /** @return the key paths of the first JSON object in {@code text}; a problem when it never closes */
    static List<List<String>> keys(String text, int line, List<String> problems) {
        List<List<String>> out = new ArrayList<>();
        Deque<Frame> open = new ArrayDeque<>();
        List<String> lastKey = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                StringBuilder s = new StringBuilder();
                int j = i + 1;
                for (; j < text.length() && text.charAt(j) != '"'; j++) {
                    if (text.charAt(j) == '\\' && j + 1 < text.length()) {
                        j++;
                    }
                    s.append(text.charAt(j));
                }
                i = j;
                int after = j + 1;
                while (after < text.length() && Character.isWhitespace(text.charAt(after))) {
                    after++;
                }
                Frame top = open.peek();
                if (after < text.length() && text.charAt(after) == ':' && top != null && top.object()) {
                    lastKey = null;
                    if (top.path() != null) {
                        lastKey = new ArrayList<>(top.path());
                        lastKey.add(s.toString());
                        out.add(List.copyOf(lastKey));
                    }
                }
            } else if (c == '{') {
                Frame top = open.peek();
                List<String> path = top == null ? List.of() : top.object() && lastKey != null ? lastKey : null;
                open.push(new Frame(true, path));
                lastKey = null;
            } else if (c == '[') {
                open.push(new Frame(false, null));
                lastKey = null;
            } else if ((c == '}' || c == ']') && !open.isEmpty()) {
                open.pop();
                lastKey = null;
                if (open.isEmpty()) {
                    return out;
                }
            } else if (c == ',') {
                lastKey = null;
            }
        }
        problems.add("line " + line + ": the JSON shown never closes: " + text.strip());
        return out;
    }

    /** @return the documented paths the object lacks, as {@code a.b} */
    static List<String> missing(List<List<String>> keys, JsonObject actual) {
        List<String> out = new ArrayList<>();
        for (List<String> path : keys) {
            JsonValue at = actual;
            for (String k : path) {
                at = at instanceof JsonObject o ? o.get(k) : null;
            }
            if (at == null) {
                out.add(String.join(".", path));
            }
        }
        return out;
    }
}
