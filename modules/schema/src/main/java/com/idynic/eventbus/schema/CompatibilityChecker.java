package com.idynic.eventbus.schema;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Structural compatibility of two JSON Schemas for the shapes events use: objects with {@code
 * properties}, {@code required}, {@code additionalProperties}, {@code type} and {@code enum}, nested
 * to any depth. Each finding names the field, e.g. {@code field data.name became required}.
 *
 * @since 0.2.0
 */
public final class CompatibilityChecker {
    private CompatibilityChecker() {}

    /** @return what breaks the mode when {@code next} follows {@code previous}; empty when compatible */
    public static List<String> breaks(JsonObject previous, JsonObject next, Compatibility mode) {
        List<String> out = new ArrayList<>();
        switch (mode) {
            case BACKWARD -> readerCanRead(next, previous, "data", out);
            case FORWARD -> readerCanRead(previous, next, "data", out);
            case FULL -> {
                readerCanRead(next, previous, "data", out);
                readerCanRead(previous, next, "data", out);
            }
            default -> {}
        }
        return out.stream().distinct().toList();
    }

    /** Adds to {@code out} why data valid under {@code writer} may be invalid under {@code reader}. */
    static void readerCanRead(JsonObject reader, JsonObject writer, String path, List<String> out) {
        Set<String> readerTypes = types(reader);
        Set<String> writerTypes = types(writer);
        if (!readerTypes.isEmpty()) {
            Set<String> missing = new HashSet<>(writerTypes.isEmpty() ? Set.of("any") : writerTypes);
            missing.removeAll(readerTypes);
            if (readerTypes.contains("number")) {
                missing.remove("integer");
            }
            if (!missing.isEmpty()) {
                out.add("field " + path + " changed type from "
                        + String.join("|", sorted(writerTypes.isEmpty() ? Set.of("any") : writerTypes)) + " to "
                        + String.join("|", sorted(readerTypes)));
                return;
            }
        }
        if (reader.containsKey("enum")) {
            Set<JsonValue> allowed = new HashSet<>(reader.getJsonArray("enum"));
            if (!writer.containsKey("enum")) {
                out.add("field " + path + " became restricted to " + reader.getJsonArray("enum"));
            } else {
                for (JsonValue v : writer.getJsonArray("enum")) {
                    if (!allowed.contains(v)) {
                        out.add("field " + path + " no longer allows " + v);
                    }
                }
            }
        }
        JsonObject rProps = object(reader, "properties");
        JsonObject wProps = object(writer, "properties");
        Set<String> wRequired = strings(writer.get("required"));
        for (String req : strings(reader.get("required"))) {
            if (!wRequired.contains(req)) {
                out.add("field " + path + "." + req + " became required");
            }
        }
        boolean closed = reader.get("additionalProperties") == JsonValue.FALSE;
        for (String name : wProps.keySet()) {
            if (!rProps.containsKey(name)) {
                if (closed) {
                    out.add("field " + path + "." + name + " was removed while additionalProperties is false");
                }
                continue;
            }
            if (rProps.get(name).getValueType() == JsonValue.ValueType.OBJECT
                    && wProps.get(name).getValueType() == JsonValue.ValueType.OBJECT) {
                readerCanRead(rProps.getJsonObject(name), wProps.getJsonObject(name), path + "." + name, out);
            }
        }
        if (closed && writer.get("additionalProperties") != JsonValue.FALSE) {
            out.add("field " + path + " no longer accepts additional properties");
        }
        if (reader.get("items") instanceof JsonObject ri && writer.get("items") instanceof JsonObject wi) {
            readerCanRead(ri, wi, path + "[]", out);
        }
    }

    private static Set<String> types(JsonObject s) {
        JsonValue t = s.get("type");
        if (t instanceof JsonString str) {
            return Set.of(str.getString());
        }
        if (t instanceof JsonArray a) {
            return strings(a);
        }
        return Set.of();
    }

    private static Set<String> strings(JsonValue v) {
        Set<String> out = new HashSet<>();
        if (v instanceof JsonArray a) {
            for (JsonValue x : a) {
                if (x instanceof JsonString s) {
                    out.add(s.getString());
                }
            }
        }
        return out;
    }

    private static JsonObject object(JsonObject o, String key) {
        return o.get(key) instanceof JsonObject x ? x : JsonValue.EMPTY_JSON_OBJECT;
    }

    private static List<String> sorted(Set<String> s) {
        return s.stream().sorted().toList();
    }
}
