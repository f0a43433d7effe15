package com.idynic.eventbus.it;

import com.idynic.eventbus.it.DocumentedJson.Elided;
import com.idynic.eventbus.it.DocumentedJson.Shown;
import com.idynic.eventbus.it.DocumentedJson.ShownArray;
import com.idynic.eventbus.it.DocumentedJson.ShownObject;
import com.idynic.eventbus.it.DocumentedJson.ShownScalar;
import jakarta.json.Json;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads JSON as documentation writes it, with {@code …} for what is left out (see {@link DocumentedJson}),
 * up to where the first value ends.
 */
final class DocumentedJsonReader {
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?([eE][+-]?\\d+)?");

    private final String text;
    private int pos;

    private DocumentedJsonReader(String text) {
        this.text = text;
    }

    /** @see DocumentedJson#read */
    static Shown read(String text, int line, List<String> problems) {
        DocumentedJsonReader r = new DocumentedJsonReader(text);
        try {
            r.blanks();
            if (!r.at('{')) {
                throw r.unreadable("expected '{'");
            }
            return r.value();
        } catch (Unreadable e) {
            problems.add("line " + line + ": the JSON shown " + e.getMessage() + ": " + text.strip());
            return null;
        }
    }

    private Shown value() {
        blanks();
        if (end()) {
            throw neverCloses();
        }
        char c = text.charAt(pos);
        if (c == '{') {
            return object();
        }
        if (c == '[') {
            return array();
        }
        if (c == '"') {
            return new ShownScalar(Json.createValue(string()));
        }
        if (ellipsis()) {
            return new Elided();
        }
        if (c == '-' || Character.isDigit(c)) {
            return new ShownScalar(Json.createValue(number()));
        }
        if (word("true")) {
            return new ShownScalar(JsonValue.TRUE);
        }
        if (word("false")) {
            return new ShownScalar(JsonValue.FALSE);
        }
        if (word("null")) {
            return new ShownScalar(JsonValue.NULL);
        }
        throw unreadable("expected a value");
    }

    private Shown object() {
        pos++;
        Map<String, Shown> members = new LinkedHashMap<>();
        blanks();
        if (take('}')) {
            return new ShownObject(members);
        }
        while (true) {
            blanks();
            if (!ellipsis()) {
                if (!at('"')) {
                    throw unreadable("expected a key in quotes, or …");
                }
                String key = string();
                blanks();
                if (!take(':')) {
                    throw unreadable("expected ':' after \"" + key + "\"");
                }
                members.put(key, value());
            }
            blanks();
            if (take('}')) {
                return new ShownObject(members);
            }
            if (!take(',')) {
                throw unreadable("expected ',' or '}'");
            }
        }
    }

    private Shown array() {
        pos++;
        List<Shown> elements = new ArrayList<>();
        boolean more = false;
        blanks();
        if (take(']')) {
            return new ShownArray(List.of(), false);
        }
        while (true) {
            blanks();
            if (ellipsis()) {
                more = true;
            } else if (more) {
                throw unreadable("has an element after … (elements are compared from the first on)");
            } else {
                elements.add(value());
            }
            blanks();
            if (take(']')) {
                return new ShownArray(List.copyOf(elements), more);
            }
            if (!take(',')) {
                throw unreadable("expected ',' or ']'");
            }
        }
    }

    private String string() {
        StringBuilder s = new StringBuilder();
        pos++;
        while (true) {
            if (end()) {
                throw neverCloses();
            }
            char c = text.charAt(pos++);
            if (c == '"') {
                return s.toString();
            }
            if (c != '\\') {
                s.append(c);
                continue;
            }
            if (end()) {
                throw neverCloses();
            }
            char e = text.charAt(pos++);
            switch (e) {
                case 'n' -> s.append('\n');
                case 't' -> s.append('\t');
                case 'r' -> s.append('\r');
                case 'b' -> s.append('\b');
                case 'f' -> s.append('\f');
                case 'u' -> s.append(hex());
                default -> s.append(e);
            }
        }
    }

    private char hex() {
        if (pos + 4 > text.length()) {
            throw neverCloses();
        }
        try {
            char c = (char) Integer.parseInt(text.substring(pos, pos + 4), 16);
            pos += 4;
            return c;
        } catch (NumberFormatException e) {
            throw unreadable("expected four hex digits after \\u");
        }
    }

    private BigDecimal number() {
        Matcher m = NUMBER.matcher(text).region(pos, text.length());
        if (!m.lookingAt()) {
            throw unreadable("expected a number");
        }
        pos = m.end();
        return new BigDecimal(m.group());
    }

    /** Consumes {@code …} or {@code ...} when it comes next. */
    private boolean ellipsis() {
        if (text.startsWith("…", pos)) {
            pos += 1;
            return true;
        }
        return word("...");
    }

    private boolean word(String w) {
        if (text.startsWith(w, pos)) {
            pos += w.length();
            return true;
        }
        return false;
    }

    private boolean take(char c) {
        if (end()) {
            throw neverCloses();
        }
        if (text.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    private boolean at(char c) {
        return !end() && text.charAt(pos) == c;
    }

    private void blanks() {
        while (!end() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private boolean end() {
        return pos >= text.length();
    }

    private Unreadable neverCloses() {
        return new Unreadable("never closes");
    }

    private Unreadable unreadable(String why) {
        String before = text.substring(Math.max(0, pos - 30), pos);
        return new Unreadable("cannot be read after '" + before + "': " + why);
    }

    /** Why a text cannot be read as documented JSON. */
    private static final class Unreadable extends RuntimeException {
        Unreadable(String message) {
            super(message, null, false, false);
        }
    }
}
