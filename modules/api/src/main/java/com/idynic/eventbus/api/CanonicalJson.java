package com.idynic.eventbus.api;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.TreeSet;

/**
 * Key-order-independent JSON rendering, so that {@code {"a":1,"b":2}} and {@code {"b":2,"a":1}} count as
 * the same content for idempotent publishing.
 *
 * @since 0.1.0
 */
public final class CanonicalJson {
    private CanonicalJson() {}

    private static final MessageDigest SHA256 = sha256Digest();

    /**
     * @return lowercase hex SHA-256 of the canonical rendering of {@code value}: the UTF-8 bytes of {@link
     *     #render}, streamed into the digest without building the text (the same values as hashing the text)
     */
    public static String sha256(JsonValue value) {
        DigestSink sink = new DigestSink(newDigest());
        sink.value(value);
        return HexFormat.of().formatHex(sink.digest());
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    /** A fresh digest: a clone of a prototype costs less than a provider lookup per call. */
    private static MessageDigest newDigest() {
        try {
            return (MessageDigest) SHA256.clone();
        } catch (CloneNotSupportedException e) {
            return sha256Digest();
        }
    }

    /** @return {@code value} as JSON with object keys sorted recursively */
    public static String render(JsonValue value) {
        StringBuilder sb = new StringBuilder();
        append(sb, value);
        return sb.toString();
    }

    private static void append(StringBuilder sb, JsonValue v) {
        switch (v.getValueType()) {
            case OBJECT -> {
                JsonObject o = v.asJsonObject();
                sb.append('{');
                boolean first = true;
                for (String k : new TreeSet<>(o.keySet())) {
                    if (!first) {
                        sb.append(',');
                    }
                    first = false;
                    sb.append(jsonString(k)).append(':');
                    append(sb, o.get(k));
                }
                sb.append('}');
            }
            case ARRAY -> {
                JsonArray a = v.asJsonArray();
                sb.append('[');
                for (int i = 0; i < a.size(); i++) {
                    if (i > 0) {
                        sb.append(',');
                    }
                    append(sb, a.get(i));
                }
                sb.append(']');
            }
            case STRING -> sb.append(jsonString(((JsonString) v).getString()));
            default -> sb.append(v);
        }
    }

    private static String jsonString(String s) {
        return CachedJson.createValue(s).toString();
    }

    /**
     * Writes the canonical rendering as UTF-8 into a digest through a small buffer: object keys sorted as {@link
     * #render} sorts them ({@link String#compareTo}), strings escaped as JSON-P's {@code JsonString.toString}
     * escapes them (quote, backslash, backspace, form feed, line feed, carriage return and tab with a
     * backslash and a letter, other characters below U+0020 as a backslash, {@code u00} and two lowercase hex
     * digits, everything else as is), numbers and literals as their {@code toString}, and an unpaired surrogate
     * as {@code ?}, as {@link String#getBytes} encodes it.
     */
    private static final class DigestSink {
        private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

        private final MessageDigest md;
        private final byte[] buf = new byte[512];
        private int n;

        DigestSink(MessageDigest md) {
            this.md = md;
        }

        byte[] digest() {
            md.update(buf, 0, n);
            n = 0;
            return md.digest();
        }

        void value(JsonValue v) {
            switch (v.getValueType()) {
                case OBJECT -> {
                    JsonObject o = v.asJsonObject();
                    String[] keys = o.keySet().toArray(new String[0]);
                    Arrays.sort(keys);
                    put('{');
                    for (int i = 0; i < keys.length; i++) {
                        if (i > 0) {
                            put(',');
                        }
                        string(keys[i]);
                        put(':');
                        value(o.get(keys[i]));
                    }
                    put('}');
                }
                case ARRAY -> {
                    JsonArray a = v.asJsonArray();
                    put('[');
                    for (int i = 0; i < a.size(); i++) {
                        if (i > 0) {
                            put(',');
                        }
                        value(a.get(i));
                    }
                    put(']');
                }
                case STRING -> string(((JsonString) v).getString());
                case TRUE -> ascii("true");
                case FALSE -> ascii("false");
                case NULL -> ascii("null");
                default -> text(v.toString());
            }
        }

        private void put(int b) {
            if (n == buf.length) {
                md.update(buf, 0, n);
                n = 0;
            }
            buf[n++] = (byte) b;
        }

        private void ascii(String s) {
            for (int i = 0; i < s.length(); i++) {
                put(s.charAt(i));
            }
        }

        /** Unescaped text (a number's), UTF-8 encoded. */
        private void text(String s) {
            for (int i = 0; i < s.length(); i++) {
                i = utf8(s, i);
            }
        }

        private void string(String s) {
            put('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c >= 0x20 && c != '"' && c != '\\') {
                    i = utf8(s, i);
                    continue;
                }
                put('\\');
                switch (c) {
                    case '"', '\\' -> put(c);
                    case '\b' -> put('b');
                    case '\f' -> put('f');
                    case '\n' -> put('n');
                    case '\r' -> put('r');
                    case '\t' -> put('t');
                    default -> {
                        put('u');
                        put('0');
                        put('0');
                        put(HEX[c >> 4]);
                        put(HEX[c & 0xF]);
                    }
                }
            }
            put('"');
        }

        /** Encodes the character at {@code i} (a surrogate pair: both); @return the index of its last char */
        private int utf8(String s, int i) {
            char c = s.charAt(i);
            if (c < 0x80) {
                put(c);
            } else if (c < 0x800) {
                put(0xC0 | (c >> 6));
                put(0x80 | (c & 0x3F));
            } else if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    int cp = Character.toCodePoint(c, s.charAt(i + 1));
                    put(0xF0 | (cp >> 18));
                    put(0x80 | ((cp >> 12) & 0x3F));
                    put(0x80 | ((cp >> 6) & 0x3F));
                    put(0x80 | (cp & 0x3F));
                    return i + 1;
                }
                put('?');
            } else {
                put(0xE0 | (c >> 12));
                put(0x80 | ((c >> 6) & 0x3F));
                put(0x80 | (c & 0x3F));
            }
            return i;
        }
    }
}
