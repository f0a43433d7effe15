package com.idynic.eventbus.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jakarta.json.Json;
import jakarta.json.JsonValue;
import java.io.StringReader;
import org.junit.jupiter.api.Test;

class JsonNumbersTest {
    static JsonValue read(String s) {
        return Json.createReader(new StringReader(s)).readValue();
    }

    @Test
    void aWholeBodyNamesTheRefusedNumberFromItsKeys() {
        InvalidFieldException e = assertThrows(
                InvalidFieldException.class,
                () -> JsonNumbers.check("", read("{\"rateLimit\":{\"perSecond\":1e999999999,\"burst\":3}}")));
        assertEquals("rateLimit.perSecond", e.details().get("field"));
        assertEquals(
                "Invalid request: 'rateLimit.perSecond' is too large: numbers must fit a 64-bit floating-point"
                        + " number (magnitude at most 1.7976931348623157E308)",
                e.getMessage());
    }

    @Test
    void numbersInsideArraysAreNamedByPosition() {
        InvalidFieldException e =
                assertThrows(InvalidFieldException.class, () -> JsonNumbers.check("", read("{\"a\":[1,[2,-2e308]]}")));
        assertEquals("a[1][1]", e.details().get("field"));
    }

    @Test
    void justAboveTheLargestDoubleIsRefusedAndTheLargestIsAccepted() {
        JsonNumbers.check("n", read("1.7976931348623157e308"));
        JsonNumbers.check("n", read("-1.7976931348623157e308"));
        assertThrows(InvalidFieldException.class, () -> JsonNumbers.check("n", read("1.7976931348623159e308")));
    }

    @Test
    void everydayNumbersPass() {
        JsonNumbers.check(
                "", read("{\"a\":0,\"b\":-0,\"c\":0.0,\"d\":12.5,\"e\":9223372036854775808,\"f\":[1e-300,3]}"));
    }
}
