package com.idynic.eventbus.api;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Validates a JSON object against the seed's envelope contract and turns it into an {@link
 * EventEnvelope}. The first failing field is reported as an {@link InvalidFieldException}.
 *
 * <p>Required: {@code id}, {@code eventType}, {@code source} (strings) and {@code data} (object).
 * Optional: {@code timestamp} (ISO-8601 with offset; defaults to now) and {@code metadata} (object whose
 * {@code correlationId}, {@code partitionKey} and {@code traceparent} must be strings when present, and
 * whose {@code schemaVersion} is a positive whole number or a string, {@code 2} and {@code "2"} alike).
 * Numbers in {@code data} and {@code metadata} must fit a double ({@link JsonNumbers}). Unknown top-level
 * fields are refused so typos do not pass silently.
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

    private static final List<String> TOP_LEVEL = List.of("id", "eventType", "source", "timestamp", "data", "metadata");
    /**
     * The grammar of event ids: a letter or digit, then letters, digits and {@code . _ : @ + = -}. No {@code /}:
     * every id must be addressable as one path segment ({@code GET /v1/events/{id}}, its deliveries, its dead
     * letter), and servlet containers refuse an encoded slash.
     */
    public static final String EVENT_ID_GRAMMAR = "[A-Za-z0-9][A-Za-z0-9._:@+=-]*";

    private static final Pattern ID = Pattern.compile(EVENT_ID_GRAMMAR);
    private static final Pattern TYPE = Pattern.compile(EventTypes.TYPE_GRAMMAR);
    private static final Pattern SOURCE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/-]*");
    private static final BigDecimal MAX_VERSION = BigDecimal.valueOf(Integer.MAX_VALUE);

    private EnvelopeParser() {}

    /**
     * Reads an envelope the bus itself stored (an event's payload, a Kafka record it relayed) as written, without
     * checking it against today's grammar: it was checked when it was accepted, and the grammar may have become
     * stricter since (ids with {@code /} were accepted before 0.4.0), so an old event must still replay.
     *
     * @param json a stored payload ({@code id}, {@code eventType}, {@code source}, {@code timestamp}, {@code
     *     data}, {@code metadata})
     * @return the envelope
     */
    public static EventEnvelope stored(JsonObject json) {
        return stored(json, CanonicalJson.sha256(json));
    }

    /**
     * Like {@link #stored(JsonObject)} with the content hash the caller already has (a stored column), or
     * {@code ""} where none is needed (dispatch, a pulled event), so no hash is computed.
     *
     * @param contentHash the event's content hash, or {@code ""}
     * @return the envelope
     */
    public static EventEnvelope stored(JsonObject json, String contentHash) {
        JsonValue metadata = json.get("metadata");
        return new EventEnvelope(
                json.getString("id"),
                json.getString("eventType"),
                json.getString("source"),
                IsoTimestamps.parse(json.getString("timestamp")),
                json.getJsonObject("data"),
                metadata instanceof JsonObject m ? m : JsonValue.EMPTY_JSON_OBJECT,
                contentHash);
    }

    /**
     * Like {@link #stored(JsonObject)} from the stored text: an event's {@code payload} column, a Kafka record's
     * value.
     *
     * @param json the stored envelope as JSON text
     * @return the envelope
     * @throws jakarta.json.JsonException where the text is not a JSON object
     * @since 0.8.0
     */
    public static EventEnvelope stored(String json) {
        return stored(object(json));
    }

    /**
     * Like {@link #stored(JsonObject, String)} from the stored text.
     *
     * @param json the stored envelope as JSON text
     * @param contentHash the event's content hash, or {@code ""}
     * @return the envelope
     * @throws jakarta.json.JsonException where the text is not a JSON object
     * @since 0.8.0
     */
    public static EventEnvelope stored(String json, String contentHash) {
        return stored(object(json), contentHash);
    }

    private static JsonObject object(String json) {
        try (JsonReader r = CachedJson.createReader(new StringReader(json))) {
            return r.readObject();
        }
    }

    /**
     * @param json the request body as a JSON object
     * @param clock stamps an event that has no {@code timestamp} (the time it is accepted)
     * @return the validated envelope
     * @throws InvalidFieldException naming the first invalid field
     * @since 0.23.0
     */
    public static EventEnvelope parse(JsonObject json, Clock clock) {
        for (String key : json.keySet()) {
            if (!TOP_LEVEL.contains(key)) {
                throw new InvalidFieldException(
                        key, "is not a known field (allowed: " + String.join(", ", TOP_LEVEL) + ")");
            }
        }
        String id = token(json, "id", ID);
        String type = token(json, "eventType", TYPE);
        String source = token(json, "source", SOURCE);
        OffsetDateTime timestamp = timestamp(json.get("timestamp"), clock);
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

    /** Depth, string length and number range, walked without recursion so hostile nesting cannot exhaust the stack. */
    private static void checkShape(String field, JsonValue root) {
        ArrayDeque<JsonEntry> todo = new ArrayDeque<>();
        todo.push(JsonEntry.root(field, root));
        while (!todo.isEmpty()) {
            JsonEntry e = todo.pop();
            switch (e.value().getValueType()) {
                case OBJECT, ARRAY -> {
                    if (e.depth() > MAX_DEPTH) {
                        throw new InvalidFieldException(field, "nests deeper than " + MAX_DEPTH + " levels");
                    }
                    e.pushChildren(todo);
                }
                case STRING -> {
                    if (((JsonString) e.value()).getString().length() > MAX_STRING_LENGTH) {
                        throw new InvalidFieldException(
                                field, "holds a string longer than " + MAX_STRING_LENGTH + " characters");
                    }
                }
                case NUMBER -> JsonNumbers.check(e);
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
                    field,
                    "contains characters that are not allowed (pattern " + pattern + ")"
                            + (pattern == ID && s.indexOf('/') >= 0
                                    ? ": no '/', an id must fit in one URL path segment"
                                    : ""));
        }
    }

    private static OffsetDateTime timestamp(JsonValue v, Clock clock) {
        if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
            return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        }
        if (v.getValueType() != JsonValue.ValueType.STRING) {
            throw new InvalidFieldException("timestamp", "must be an ISO-8601 string such as 2023-05-20T13:45:30Z");
        }
        try {
            return IsoTimestamps.parse(((JsonString) v).getString());
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
        schemaVersion(m.get("schemaVersion"));
        for (String key : new String[] {"correlationId", "partitionKey", "traceparent"}) {
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

    /**
     * @return the schema version {@code metadata.schemaVersion} names in its string form ({@code 2} and
     *     {@code "2"} both give {@code "2"}), or null when absent
     * @throws InvalidFieldException when it is neither a positive whole number nor a string
     */
    static String schemaVersion(JsonValue v) {
        if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        if (v.getValueType() == JsonValue.ValueType.STRING) {
            String s = ((JsonString) v).getString();
            checkToken("metadata.schemaVersion", s, null);
            return s;
        }
        if (v.getValueType() == JsonValue.ValueType.NUMBER) {
            JsonNumber n = (JsonNumber) v;
            BigDecimal b = n.isIntegral() ? n.bigDecimalValue() : null;
            if (b != null && b.signum() > 0 && b.compareTo(MAX_VERSION) <= 0) {
                return b.toPlainString();
            }
        }
        throw new InvalidFieldException("metadata.schemaVersion", "must be a schema version number, e.g. 2 or \"2\"");
    }
}
