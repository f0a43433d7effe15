package com.idynic.eventbus.web;

import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.CachedJson;
import com.idynic.eventbus.api.ErrorCode;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParser.Event;
import jakarta.json.stream.JsonParserFactory;
import jakarta.json.stream.JsonParsingException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A request body parsed as it streams in, so that its shape is checked at its first tokens and a tree is
 * built only for the parts a caller asks for. Every value built is charged to the request's share of the
 * {@link BodyBudget}: parsed, a JSON value costs far more heap than its text ({@code 1,} is 2 bytes of text
 * and about 30 bytes as a number in a list), so the bytes alone would not bound the heap.
 */
final class StreamedJson {
    /** Estimated heap of one parsed value or member name beside its text: object header, map entry, list slot. */
    static final long BYTES_PER_VALUE = 64;

    private static final JsonParserFactory PARSERS = CachedJson.createParserFactory(Map.of());
    private static final JsonBuilderFactory BUILDERS = CachedJson.createBuilderFactory(Map.of());

    private final MeteredBody body;
    private final BodyBudget.Share share;
    private JsonParser parser;

    /**
     * @param body the metered body; read strictly as UTF-8
     * @param share where each parsed value is charged
     */
    StreamedJson(MeteredBody body, BodyBudget.Share share) {
        this.body = body;
        this.share = share;
    }

    /** @return the next parser event (the first call skips a UTF-8 byte order mark) */
    Event next() {
        return guarded(() -> {
            if (parser == null) {
                parser = PARSERS.createParser(strictUtf8());
            }
            return parser.next();
        });
    }

    /** @return the object whose {@code START_OBJECT} {@link #next} just returned, read to its end */
    JsonObject object() {
        return guarded(this::buildObject);
    }

    /** @return characters of the body the parser has consumed so far */
    long offset() {
        return parser == null ? 0 : parser.getLocation().getStreamOffset();
    }

    /** Checks that nothing but whitespace follows the value read. */
    void end() {
        guarded(() -> parser.hasNext() ? parser.next() : null);
    }

    /** Gives the parser's buffers back and closes the body; call after any {@link MeteredBody#drain}. */
    void close() {
        if (parser != null) {
            try {
                parser.close();
            } catch (JsonException alreadyGone) {
                // the client closed the connection; nothing is left to give back
            }
        }
    }

    private Reader strictUtf8() {
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(
                    body,
                    StandardCharsets.UTF_8
                            .newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)));
            r.mark(1);
            if (r.read() != '\uFEFF') {
                r.reset();
            }
            return r;
        } catch (IOException e) {
            throw new JsonException("could not read the body", e);
        }
    }

    private JsonObject buildObject() {
        share.charge(BYTES_PER_VALUE);
        JsonObjectBuilder b = BUILDERS.createObjectBuilder();
        for (Event e = parser.next(); e != Event.END_OBJECT; e = parser.next()) {
            String name = parser.getString();
            share.charge(BYTES_PER_VALUE);
            b.add(name, value(parser.next()));
        }
        return b.build();
    }

    private JsonValue value(Event e) {
        if (e == Event.START_OBJECT) {
            return buildObject();
        }
        share.charge(BYTES_PER_VALUE);
        if (e != Event.START_ARRAY) {
            return parser.getValue();
        }
        JsonArrayBuilder b = BUILDERS.createArrayBuilder();
        for (Event item = parser.next(); item != Event.END_ARRAY; item = parser.next()) {
            b.add(value(item));
        }
        return b.build();
    }

    /** Runs one parser step, turning what the parser and the body throw into the client's refusal. */
    private <T> T guarded(Supplier<T> step) {
        try {
            return step.get();
        } catch (BusException refused) {
            throw refused;
        } catch (JsonParsingException e) {
            if (body.bytesRead() == 0) {
                throw new BusException(ErrorCode.MALFORMED_JSON, "Body is empty; it must be JSON", Map.of());
            }
            throw JsonSyntax.malformed(e.getMessage(), e.getLocation());
        } catch (JsonException e) {
            throw unreadable(e);
        } catch (NumberFormatException e) {
            throw JsonSyntax.unacceptable("a number out of range", parser.getLocation());
        } catch (RuntimeException e) {
            // the parser's own limits, e.g. nesting deeper than 1000
            String why = String.valueOf(e.getMessage()).contains("nested")
                    ? "nested too deeply"
                    : "beyond the parser's limits";
            throw parser == null
                    ? new BusException(ErrorCode.MALFORMED_JSON, "Body is not acceptable JSON: " + why, Map.of())
                    : JsonSyntax.unacceptable(why, parser.getLocation());
        }
    }

    /** The body could not be read: refused while streaming, not UTF-8, or the client went away. */
    private static BusException unreadable(JsonException e) {
        for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
            if (c instanceof MeteredBody.Refused r) {
                return r.refusal;
            }
            if (c instanceof CharacterCodingException) {
                return new BusException(ErrorCode.MALFORMED_JSON, "Body is not valid UTF-8", Map.of());
            }
        }
        return new BusException(ErrorCode.MALFORMED_JSON, "Body could not be read", Map.of());
    }
}
