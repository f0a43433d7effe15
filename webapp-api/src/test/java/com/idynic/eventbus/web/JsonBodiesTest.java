package com.idynic.eventbus.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.ErrorCode;
import com.idynic.eventbus.api.InvalidFieldException;
import com.idynic.eventbus.web.BodyBudgetFilter.InFlightBody;
import jakarta.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonBodiesTest {
    static final String JSON = "application/json";
    static final long MIB = 1024 * 1024;

    final BodyBudget budget = new BodyBudget(64 * MIB);

    static ByteArrayInputStream body(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A chunked request (no Content-Length) charged to a fresh share of {@code budget}. */
    static InFlightBody chunked(BodyBudget budget) {
        return new InFlightBody(budget.open(), -1);
    }

    /** {@code [0,0,…,0]}: {@code count} numbers, two bytes of text each. */
    static String numbers(int count) {
        return "[" + "0,".repeat(count - 1) + "0]";
    }

    static String event(String id, String pad) {
        return "{\"id\":\"" + id + "\",\"eventType\":\"it.t\",\"source\":\"s\",\"data\":{\"pad\":\"" + pad + "\"}}";
    }

    @Test
    void aBatchWhoseFirstElementIsANumberIsRefusedAtThatTokenHoldingOnlyWhatWasReadBeforeIt() {
        ByteArrayInputStream in = body(numbers(3_000_000));
        InFlightBody request = chunked(budget);

        InvalidFieldException e = assertThrows(
                InvalidFieldException.class, () -> JsonBodies.readBatch(JSON, in, 16 * MIB, 1000, MIB, request));

        assertEquals("[0]", e.details().get("field"));
        assertEquals("must be an event object", e.details().get("error"));
        assertTrue(
                request.share().charged() < 64 * 1024,
                "held: " + request.share().charged());
        assertEquals(0, in.available(), "the rest of the body is drained, so the client reads the answer");
    }

    @Test
    void aBodyRefusedForItsShapeIsDrainedNoFurtherThanTheLimit() {
        String text = numbers(1_000_000);
        ByteArrayInputStream in = body(text);

        BusException e =
                assertThrows(BusException.class, () -> JsonBodies.readEnvelope(JSON, in, MIB, chunked(budget)));

        assertEquals(ErrorCode.MALFORMED_JSON, e.errorCode());
        assertEquals("Body must be a JSON object", e.getMessage());
        assertEquals(text.length() - (MIB + 1), in.available());
    }

    @Test
    void aBodyIsRefusedWith503WhileOtherRequestsHoldTheBudgetAndReadOnceTheyAreDone() {
        BodyBudget small = new BodyBudget(100_000);
        String pad = "x".repeat(60_000);
        InFlightBody first = chunked(small);
        JsonBodies.readEnvelope(JSON, body(event("a", pad)), MIB, first);

        InFlightBody second = chunked(small);
        BusException e = assertThrows(
                BusException.class, () -> JsonBodies.readEnvelope(JSON, body(event("b", pad)), MIB, second));

        assertEquals(ErrorCode.SERVICE_UNAVAILABLE, e.errorCode());
        assertEquals(1, e.details().get("retryAfterSeconds"));
        second.share().close();
        first.share().close();
        JsonObject read = JsonBodies.readEnvelope(JSON, body(event("c", pad)), MIB, chunked(small));
        assertEquals("c", read.getString("id"));
    }

    @Test
    void aSmallBodyWhoseValuesAloneWouldTakeMoreThanTheWholeBudgetIsRefusedWith413() {
        BodyBudget small = new BodyBudget(64 * 1024);
        String text = "{\"data\":" + numbers(2000) + "}";

        BusException e =
                assertThrows(BusException.class, () -> JsonBodies.readEnvelope(JSON, body(text), MIB, chunked(small)));

        assertTrue(text.length() < 5000, "about 4 KB of text");
        assertEquals(ErrorCode.PAYLOAD_TOO_LARGE, e.errorCode());
        assertEquals(64L * 1024, e.details().get("budgetBytes"));
    }

    @Test
    void aDeclaredLengthOverTheLimitIsRefusedWith413BeforeAnythingIsCharged() {
        InFlightBody request = new InFlightBody(budget.open(), 2 * MIB);

        BusException e = assertThrows(
                BusException.class, () -> JsonBodies.readEnvelope(JSON, body(event("a", "x")), MIB, request));

        assertEquals(ErrorCode.PAYLOAD_TOO_LARGE, e.errorCode());
        assertEquals(MIB, e.details().get("limitBytes"));
        assertEquals(0, request.share().charged());
    }

    @Test
    void aDeclaredLengthIsNotChargedBeforeItsBytesArrive() {
        BodyBudget small = new BodyBudget(10_000);
        small.open().charge(9_000);

        // declares more than the budget has left, sends a small event: only what arrives is charged
        JsonObject o = JsonBodies.readEnvelope(JSON, body(event("a", "x")), MIB, new InFlightBody(small.open(), 5_000));
        assertEquals("a", o.getString("id"));

        BusException e = assertThrows(
                BusException.class,
                () -> JsonBodies.readEnvelope(
                        JSON, body(event("b", "x".repeat(2_000))), MIB, new InFlightBody(small.open(), 5_000)));
        assertEquals(ErrorCode.SERVICE_UNAVAILABLE, e.errorCode());
    }

    @Test
    void aBatchIsReadInOrderAndOneEventTooManyIsRefusedAtItsFirstToken() {
        String two = "[" + event("a", "x") + "," + event("b", "y") + "]";
        List<JsonObject> events = JsonBodies.readBatch(JSON, body(two), MIB, 2, MIB, chunked(budget));
        assertEquals(
                List.of("a", "b"), events.stream().map(o -> o.getString("id")).toList());

        InvalidFieldException e = assertThrows(
                InvalidFieldException.class, () -> JsonBodies.readBatch(JSON, body(two), MIB, 1, MIB, chunked(budget)));
        assertEquals("[]", e.details().get("field"));
        assertEquals("must hold 1 to 1 events (it holds more)", e.details().get("error"));
    }

    @Test
    void anEventInABatchLargerThanTheLimitForOneEventIsRefusedNamingIt() {
        String batch = "[" + event("a", "x") + "," + event("b", "y".repeat(2000)) + "]";

        InvalidFieldException e = assertThrows(
                InvalidFieldException.class,
                () -> JsonBodies.readBatch(JSON, body(batch), MIB, 10, 1000, chunked(budget)));

        assertEquals("[1]", e.details().get("field"));
    }

    @Test
    void malformedJsonIsDescribedInPlainWordsWithItsLineAndColumn() {
        BusException e = assertThrows(
                BusException.class, () -> JsonBodies.read(JSON, body("{\n  \"a\": h\n}"), MIB, chunked(budget)));

        assertEquals(ErrorCode.MALFORMED_JSON, e.errorCode());
        assertEquals("Body is not valid JSON: unexpected character 'h' at line 2, column 8", e.getMessage());
        assertEquals(2L, e.details().get("line"));
        assertEquals(8L, e.details().get("column"));
    }

    @Test
    void aBodyThatEndsTooEarlySaysSoAndWhatWasExpected() {
        BusException e = assertThrows(
                BusException.class, () -> JsonBodies.read(JSON, body("{\"eventType\": "), MIB, chunked(budget)));

        assertTrue(
                e.getMessage().startsWith("Body is not valid JSON: it ends too early at line 1, column "),
                e.getMessage());
        assertTrue(e.getMessage().endsWith(" (expected a value)"), e.getMessage());
        assertFalse(e.getMessage().contains("EOF"), e.getMessage());
    }

    @Test
    void contentAfterTheValueIsNamed() {
        BusException e =
                assertThrows(BusException.class, () -> JsonBodies.read(JSON, body("{} {}"), MIB, chunked(budget)));

        assertTrue(
                e.getMessage().startsWith("Body is not valid JSON: found '{' after the end of the JSON value"),
                e.getMessage());
    }

    @Test
    void aMissingContentTypeIsNamedAsMissingAndNotAsTheStringNull() {
        BusException e =
                assertThrows(BusException.class, () -> JsonBodies.read(null, body("{}"), MIB, chunked(budget)));

        assertEquals(ErrorCode.UNSUPPORTED_MEDIA_TYPE, e.errorCode());
        assertTrue(e.getMessage().contains("no Content-Type header"), e.getMessage());
        assertEquals("", e.details().get("contentType"));
    }

    @Test
    void bytesThatAreNotUtf8AreRefused() {
        byte[] latin1 = "{\"a\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);

        BusException e = assertThrows(
                BusException.class,
                () -> JsonBodies.read(JSON, new ByteArrayInputStream(latin1), MIB, chunked(budget)));

        assertEquals("Body is not valid UTF-8", e.getMessage());
    }

    @Test
    void everythingReadIsChargedToTheRequestUntilItsShareCloses() {
        InFlightBody request = chunked(budget);
        JsonBodies.read(JSON, body("{\"a\":[1,2,3]}"), MIB, request);

        assertTrue(
                request.share().charged() >= 13 + 5 * StreamedJson.BYTES_PER_VALUE,
                "" + request.share().charged());
        assertEquals(request.share().charged(), budget.inUse());
        request.share().close();
        assertEquals(0, budget.inUse());
    }
}
