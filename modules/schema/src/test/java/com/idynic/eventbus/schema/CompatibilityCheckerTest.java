package com.idynic.eventbus.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompatibilityCheckerTest {
    static JsonObject s(String json) {
        return Json.createReader(new StringReader(json)).readObject();
    }

    static final JsonObject V1 = s("{\"type\":\"object\",\"properties\":{\"userId\":{\"type\":\"string\"},"
            + "\"name\":{\"type\":\"string\"}},\"required\":[\"userId\"]}");

    @Test
    void makingAFieldRequiredBreaksBackwardCompatibility() {
        JsonObject v2 = s("{\"type\":\"object\",\"properties\":{\"userId\":{\"type\":\"string\"},"
                + "\"name\":{\"type\":\"string\"}},\"required\":[\"userId\",\"name\"]}");
        assertEquals(
                List.of("field data.name became required"),
                CompatibilityChecker.breaks(V1, v2, Compatibility.BACKWARD));
        assertEquals(List.of(), CompatibilityChecker.breaks(V1, v2, Compatibility.FORWARD));
        assertEquals(List.of(), CompatibilityChecker.breaks(V1, v2, Compatibility.NONE));
    }

    @Test
    void addingAnOptionalFieldIsBackwardCompatibleAndChangingATypeIsNot() {
        JsonObject added = s("{\"type\":\"object\",\"properties\":{\"userId\":{\"type\":\"string\"},"
                + "\"name\":{\"type\":\"string\"},\"age\":{\"type\":\"integer\"}},\"required\":[\"userId\"]}");
        assertEquals(List.of(), CompatibilityChecker.breaks(V1, added, Compatibility.FULL));
        JsonObject retyped = s("{\"type\":\"object\",\"properties\":{\"userId\":{\"type\":\"integer\"},"
                + "\"name\":{\"type\":\"string\"}},\"required\":[\"userId\"]}");
        assertEquals(
                List.of("field data.userId changed type from string to integer"),
                CompatibilityChecker.breaks(V1, retyped, Compatibility.BACKWARD));
    }

    @Test
    void droppingARequiredFieldBreaksForwardCompatibility() {
        JsonObject v2 = s("{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"}}}");
        assertEquals(
                List.of("field data.userId became required"),
                CompatibilityChecker.breaks(V1, v2, Compatibility.FORWARD));
    }
}
