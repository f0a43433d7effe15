package com.idynic.eventbus.it;

import static com.idynic.eventbus.it.Stack.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HealthIT {
    @BeforeAll
    static void ready() {
        Stack.awaitReady();
    }

    @Test
    void liveStartedAndReadyAreUpAndReadinessNamesItsDependencies() {
        assertEquals(200, Stack.get("/health/live").statusCode());
        assertEquals(200, Stack.get("/health/started").statusCode());
        JsonObject ready = json(Stack.get("/health/ready"));
        assertEquals("UP", ready.getString("status"));
        Set<String> names = ready.getJsonArray("checks").stream()
                .map(JsonValue::asJsonObject)
                .map(c -> c.getString("name"))
                .collect(Collectors.toSet());
        assertTrue(names.containsAll(Set.of("postgresql", "kafka")), names.toString());
    }
}
