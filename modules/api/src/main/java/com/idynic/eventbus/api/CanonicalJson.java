package com.idynic.eventbus.api;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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

    /** @return lowercase hex SHA-256 of the canonical rendering of {@code value} */
    public static String sha256(JsonValue value) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(render(value).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
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
}
