package com.idynic.eventbus.web;

import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.ErrorCode;
import com.idynic.eventbus.api.InvalidFieldException;
import com.idynic.eventbus.api.JsonNumbers;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/** Reads request bodies: media type check, size limit, strict UTF-8, one JSON object, numbers a double holds. */
final class JsonBodies {
    private JsonBodies() {}

    static JsonObject read(String contentType, InputStream in, long maxBytes) {
        JsonObject o = readEnvelope(contentType, in, maxBytes);
        JsonNumbers.check("", o);
        return o;
    }

    /**
     * Like {@link #read} without the walk over every number: for event envelopes, whose parser checks the
     * numbers of {@code data} and {@code metadata} in its own walk and refuses every other field that is not
     * a string.
     */
    static JsonObject readEnvelope(String contentType, InputStream in, long maxBytes) {
        JsonStructure s = readStructure(contentType, in, maxBytes);
        if (s.getValueType() != JsonValue.ValueType.OBJECT) {
            throw malformed("Body must be a JSON object");
        }
        return s.asJsonObject();
    }

    /**
     * A batch of envelopes: a JSON array of 1 to {@code maxEvents} objects (numbers are checked by the
     * envelope parser, as for one event).
     */
    static jakarta.json.JsonArray readBatch(String contentType, InputStream in, long maxBytes, int maxEvents) {
        JsonStructure s = readStructure(contentType, in, maxBytes);
        if (s.getValueType() != JsonValue.ValueType.ARRAY) {
            throw malformed("Body must be a JSON array of events");
        }
        jakarta.json.JsonArray a = s.asJsonArray();
        if (a.isEmpty() || a.size() > maxEvents) {
            throw new com.idynic.eventbus.api.InvalidFieldException(
                    "[]", "must hold 1 to " + maxEvents + " events (it holds " + a.size() + ")");
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i).getValueType() != JsonValue.ValueType.OBJECT) {
                throw new com.idynic.eventbus.api.InvalidFieldException("[" + i + "]", "must be an event object");
            }
        }
        return a;
    }

    private static JsonStructure readStructure(String contentType, InputStream in, long maxBytes) {
        if (contentType == null || !isJson(contentType)) {
            throw new BusException(
                    ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                    "Content-Type must be application/json",
                    Map.of("contentType", String.valueOf(contentType)));
        }
        byte[] bytes = readLimited(in, maxBytes);
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes));
        } catch (CharacterCodingException e) {
            throw malformed("Body is not valid UTF-8");
        }
        JsonStructure s;
        try (JsonReader r = Json.createReader(new ByteArrayInputStream(bytes))) {
            s = r.read();
        } catch (JsonException | IllegalStateException e) {
            throw malformed("Body is not well-formed JSON: " + firstLine(e.getMessage()));
        } catch (RuntimeException e) {
            // the parser's own limits, e.g. nesting deeper than 1000
            throw malformed("Body is not acceptable JSON: " + firstLine(e.getMessage()));
        }
        return s;
    }

    static boolean isJson(String contentType) {
        String ct = contentType.toLowerCase(Locale.ROOT).split(";", 2)[0].trim();
        return ct.equals("application/json") || (ct.startsWith("application/") && ct.endsWith("+json"));
    }

    static int intField(JsonObject o, String field, int dflt, int min, int max) {
        JsonValue v = o.get(field);
        if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
            return dflt;
        }
        if (v.getValueType() != JsonValue.ValueType.NUMBER || !((JsonNumber) v).isIntegral()) {
            throw new InvalidFieldException(field, "must be an integer");
        }
        long n = ((JsonNumber) v).longValue();
        if (n < min || n > max) {
            throw new InvalidFieldException(field, "must be between " + min + " and " + max);
        }
        return (int) n;
    }

    static String stringField(JsonObject o, String field, String dflt) {
        JsonValue v = o.get(field);
        if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
            return dflt;
        }
        if (v.getValueType() != JsonValue.ValueType.STRING) {
            throw new InvalidFieldException(field, "must be a string");
        }
        return o.getString(field);
    }

    static boolean boolField(JsonObject o, String field, boolean dflt) {
        JsonValue v = o.get(field);
        if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
            return dflt;
        }
        if (v.getValueType() != JsonValue.ValueType.TRUE && v.getValueType() != JsonValue.ValueType.FALSE) {
            throw new InvalidFieldException(field, "must be true or false");
        }
        return v.getValueType() == JsonValue.ValueType.TRUE;
    }

    static java.util.List<String> strings(JsonObject o, String field, int max) {
        JsonValue v = o.get(field);
        if (v == null || v.getValueType() != JsonValue.ValueType.ARRAY) {
            throw new InvalidFieldException(field, "must be an array of strings");
        }
        jakarta.json.JsonArray a = v.asJsonArray();
        if (a.isEmpty() || a.size() > max) {
            throw new InvalidFieldException(field, "must hold 1 to " + max + " entries");
        }
        java.util.List<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i).getValueType() != JsonValue.ValueType.STRING) {
                throw new InvalidFieldException(field + "[" + i + "]", "must be a string");
            }
            out.add(a.getString(i));
        }
        return out;
    }

    private static byte[] readLimited(InputStream in, long maxBytes) {
        try (in) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (bytes.length > maxBytes) {
                throw new BusException(
                        ErrorCode.PAYLOAD_TOO_LARGE,
                        "Body exceeds the limit of " + maxBytes + " bytes",
                        Map.of("limitBytes", maxBytes));
            }
            return bytes;
        } catch (IOException e) {
            throw malformed("Body could not be read: " + e.getMessage());
        }
    }

    private static BusException malformed(String message) {
        return new BusException(ErrorCode.MALFORMED_JSON, message, Map.of());
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }
}
