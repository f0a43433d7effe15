package com.idynic.eventbus.api;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates a JSON object against the seed's envelope contract and turns it into an {@link
 * EventEnvelope}. The first failing field is reported as an {@link InvalidFieldException}.
 *
 * <p>Required: {@code id}, {@code eventType}, {@code source} (strings) and {@code data} (object).
 * Optional: {@code timestamp} (ISO-8601 with offset; defaults to now) and {@code metadata} (object whose
 * {@code correlationId}, {@code partitionKey} and {@code traceparent} must be strings when present).
 * Unknown top-level fields are refused so typos do not pass silently.
 *
 * @since 0.1.0
 */
public final class EnvelopeParser {
    /** Longest accepted id, type, source, correlation id or partition key, in characters. */
    public static final int MAX_TOKEN_LENGTH = 200;

    /** Deepest accepted nesting of objects and arrays inside {@code data} or {@code metadata}. */
    public static final int MAX_DEPTH = 32;

    /** Longest accepted string value inside {@code data}, in characters. */
    public static final int MAX_STRING_LENGTH = 65_536;

    private static final Set<String> TOP_LEVEL = Set.of("id", "eventType", "source", "timestamp", "data", "metadata");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@/+=-]*");
    private static final Pattern TYPE = Pattern.compile("[A-Za-z0-9]+([._-][A-Za-z0-9]+)*");
    private static final Pattern SOURCE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/-]*");

    private EnvelopeParser() {}

    /**
     * @param json the request body as a JSON object
     * @return the validated envelope
     * @throws InvalidFieldException naming the first invalid field
     */
    public static EventEnvelope parse(JsonObject json) {
        for (String key : json.keySet()) {
            if (!TOP_LEVEL.contains(key)) {
                throw new InvalidFieldException(
                        key, "is not a known field (allowed: " + String.join(", ", TOP_LEVEL) + ")");
            }
        }
        String id = token(json, "id", ID);
        String type = token(json, "eventType", TYPE);
        String source = token(json, "source", SOURCE);
        OffsetDateTime timestamp = timestamp(json.get("timestamp"));
        JsonValue data = json.get("data");
        if (data == null || data.getValueType() == JsonValue.ValueType.NULL) {
            throw new InvalidFieldException("data", "is required");
        }
        if (data.getValueType() != JsonValue.ValueType.OBJECT) {
            throw new InvalidFieldException("data", "must be a JSON object");
        }
        checkShape("data", data);
        JsonObject metadata = metadata(json.get("metadata"));
        return new EventEnvelope(
                id, type, source, timestamp, data.asJsonObject(), metadata, CanonicalJson.sha256(json));
    }

    /** Depth and string length, walked without recursion so hostile nesting cannot exhaust the stack. */
    private static void checkShape(String field, JsonValue root) {
        java.util.ArrayDeque<java.util.Map.Entry<JsonValue, Integer>> todo = new java.util.ArrayDeque<>();
        todo.push(java.util.Map.entry(root, 1));
        while (!todo.isEmpty()) {
            var next = todo.pop();
            JsonValue v = next.getKey();
            int depth = next.getValue();
            switch (v.getValueType()) {
                case OBJECT, ARRAY -> {
                    if (depth > MAX_DEPTH) {
                        throw new InvalidFieldException(field, "nests deeper than " + MAX_DEPTH + " levels");
                    }
                    var children = v.getValueType() == JsonValue.ValueType.OBJECT
                            ? v.asJsonObject().values()
                            : v.asJsonArray();
                    children.forEach(c -> todo.push(java.util.Map.entry(c, depth + 1)));
                }
                case STRING -> {
                    if (((JsonString) v).getString().length() > MAX_STRING_LENGTH) {
                        throw new InvalidFieldException(
                                field, "holds a string longer than " + MAX_STRING_LENGTH + " characters");
                    }
                }
                default -> {}
            }
        }
    }

    private static String token(JsonObject json, String field, Pattern pattern) {
        JsonValue v = json.get(field);
        if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
            throw new InvalidFieldException(field, "is required");
        }
        if (v.getValueType() != JsonValue.ValueType.STRING) {
            throw new InvalidFieldException(field, "must be a string");
        }
        String s = ((JsonString) v).getString();
        checkToken(field, s, pattern);
        return s;
    }

    private static void checkToken(String field, String s, Pattern pattern) {
        if (s.isEmpty()) {
            throw new InvalidFieldException(field, "must not be empty");
        }
        if (s.length() > MAX_TOKEN_LENGTH) {
            throw new InvalidFieldException(field, "must be at most " + MAX_TOKEN_LENGTH + " characters");
        }
        if (pattern != null && !pattern.matcher(s).matches()) {
            throw new InvalidFieldException(
                    field, "contains characters that are not allowed (pattern " + pattern + ")");
        }
    }

    private static OffsetDateTime timestamp(JsonValue v) {
        if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
            return OffsetDateTime.now(ZoneOffset.UTC);
        }
        if (v.getValueType() != JsonValue.ValueType.STRING) {
            throw new InvalidFieldException("timestamp", "must be an ISO-8601 string such as 2023-05-20T13:45:30Z");
        }
        try {
            return OffsetDateTime.parse(((JsonString) v).getString());
        } catch (DateTimeParseException e) {
            throw new InvalidFieldException(
                    "timestamp", "must be an ISO-8601 date-time with offset, e.g. 2023-05-20T13:45:30Z");
        }
    }

    private static JsonObject metadata(JsonValue v) {
        if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
            return JsonValue.EMPTY_JSON_OBJECT;
        }
        if (v.getValueType() != JsonValue.ValueType.OBJECT) {
            throw new InvalidFieldException("metadata", "must be a JSON object");
        }
        JsonObject m = v.asJsonObject();
        checkShape("metadata", m);
        for (String key : new String[] {"correlationId", "partitionKey", "traceparent", "schemaVersion"}) {
            JsonValue f = m.get(key);
            if (f == null || f.getValueType() == JsonValue.ValueType.NULL) {
                continue;
            }
            if (f.getValueType() != JsonValue.ValueType.STRING) {
                throw new InvalidFieldException("metadata." + key, "must be a string");
            }
            checkToken("metadata." + key, ((JsonString) f).getString(), null);
        }
        return m;
    }
}
