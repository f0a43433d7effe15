package com.idynic.eventbus.web;

import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.ErrorCode;
import com.idynic.eventbus.api.InvalidFieldException;
import com.idynic.eventbus.api.JsonNumbers;
import com.idynic.eventbus.web.BodyBudgetFilter.InFlightBody;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser.Event;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads request bodies: media type check, size limit, strict UTF-8, the expected shape checked at the first
 * tokens while the body streams in (never a tree for a body of the wrong shape), numbers a double holds. What
 * is read and parsed is charged to the request's share of the {@link BodyBudget}; a body refused while it
 * streams is drained up to the limit and not held, so the client gets the answer rather than a reset.
 */
final class JsonBodies {
    private static final BodyBudget UNMETERED = new BodyBudget(Long.MAX_VALUE / 2);

    private JsonBodies() {}

    static JsonObject read(String contentType, InputStream in, long maxBytes) {
        return read(contentType, in, maxBytes, BodyBudgetFilter.current());
    }

    /** @param request the body's place in the budget; null: not charged (outside a request) */
    static JsonObject read(String contentType, InputStream in, long maxBytes, InFlightBody request) {
        JsonObject o = readEnvelope(contentType, in, maxBytes, request);
        JsonNumbers.check("", o);
        return o;
    }

    static JsonObject readEnvelope(String contentType, InputStream in, long maxBytes) {
        return readEnvelope(contentType, in, maxBytes, BodyBudgetFilter.current());
    }

    /**
     * Like {@link #read} without the walk over every number: for event envelopes, whose parser checks the
     * numbers of {@code data} and {@code metadata} in its own walk and refuses every other field that is not
     * a string. A body that does not start as an object is refused at its first token.
     */
    static JsonObject readEnvelope(String contentType, InputStream in, long maxBytes, InFlightBody request) {
        return parse(contentType, in, maxBytes, request, json -> {
            if (json.next() != Event.START_OBJECT) {
                throw malformed("Body must be a JSON object");
            }
            return json.object();
        });
    }

    static List<JsonObject> readBatch(
            String contentType, InputStream in, long maxBytes, int maxEvents, long maxEventBytes) {
        return readBatch(contentType, in, maxBytes, maxEvents, maxEventBytes, BodyBudgetFilter.current());
    }

    /**
     * A batch of envelopes: a JSON array of 1 to {@code maxEvents} objects (numbers are checked by the
     * envelope parser, as for one event), each at most {@code maxEventBytes} long, as one event published
     * alone may be: the relay and the dispatcher bound their batches by that size. An element that is not an
     * object, or one element too many, is refused at its first token, without reading on.
     *
     * @param maxEventBytes largest event; measured in characters of the request's JSON text, which for any
     *     text beyond ASCII is fewer than its bytes
     */
    static List<JsonObject> readBatch(
            String contentType,
            InputStream in,
            long maxBytes,
            int maxEvents,
            long maxEventBytes,
            InFlightBody request) {
        return parse(contentType, in, maxBytes, request, json -> {
            if (json.next() != Event.START_ARRAY) {
                throw malformed("Body must be a JSON array of events");
            }
            List<JsonObject> events = new ArrayList<>();
            for (Event e = json.next(); e != Event.END_ARRAY; e = json.next()) {
                String field = "[" + events.size() + "]";
                if (e != Event.START_OBJECT) {
                    throw new InvalidFieldException(field, "must be an event object");
                }
                if (events.size() == maxEvents) {
                    throw new InvalidFieldException("[]", "must hold 1 to " + maxEvents + " events (it holds more)");
                }
                long start = json.offset() - 1;
                events.add(json.object());
                if (json.offset() - start > maxEventBytes) {
                    throw new InvalidFieldException(
                            field, "is larger than " + maxEventBytes + " bytes, the limit for one event");
                }
            }
            if (events.isEmpty()) {
                throw new InvalidFieldException("[]", "must hold 1 to " + maxEvents + " events (it holds 0)");
            }
            return events;
        });
    }

    private static <T> T parse(
            String contentType, InputStream in, long maxBytes, InFlightBody request, Function<StreamedJson, T> shape) {
        if (contentType == null || contentType.isBlank()) {
            throw new BusException(
                    ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                    "The request has no Content-Type header; it must be application/json",
                    Map.of("contentType", ""));
        }
        if (!isJson(contentType)) {
            throw new BusException(
                    ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                    "Content-Type must be application/json",
                    Map.of("contentType", contentType));
        }
        InFlightBody charged = request != null ? request : new InFlightBody(UNMETERED.open(), -1);
        MeteredBody body = new MeteredBody(in, maxBytes, charged.share());
        StreamedJson json = new StreamedJson(body, charged.share());
        try {
            body.reserve(charged.declaredLength());
            T value = shape.apply(json);
            json.end();
            return value;
        } catch (BusException refused) {
            body.drain();
            throw refused;
        } finally {
            json.close();
            if (request == null) {
                charged.share().close();
            }
        }
    }

    /**
     * Reads and discards a body that is refused before it was read, up to {@code limit} bytes, so the client receives
     * the refusal instead of a reset connection; nothing is parsed or held.
     */
    static void discard(InputStream in, long limit) {
        if (in != null) {
            MeteredBody.discard(in, 0, limit);
        }
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

    private static BusException malformed(String message) {
        return new BusException(ErrorCode.MALFORMED_JSON, message, Map.of());
    }
}
