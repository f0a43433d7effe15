package com.idynic.eventbus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TestEventsTest {
    private static final Path SEED = Path.of("../schema/src/main/resources/META-INF/eventbus/schemas");
    private final TestEvents events =
            new TestEvents(java.time.Clock.fixed(Instant.parse("2026-12-07T03:00:00.123456Z"), ZoneOffset.UTC));

    static Set<String> problems(JsonNode schema, JsonNode data) {
        SchemaValidatorsConfig config =
                SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(schema, config)
                .validate(data)
                .stream()
                .map(Object::toString)
                .collect(Collectors.toSet());
    }

    @Test
    void theSeedUserCreatedSchemaGivesValidDataWithEveryProperty() throws Exception {
        JsonNode schema = FakeBus.json(Files.readString(SEED.resolve("user.created.json")));

        JsonNode data = events.sample(schema);

        assertEquals(
                "{\"userId\":\"test-userId\",\"email\":\"test@example.com\",\"name\":\"test-name\","
                        + "\"createdAt\":\"2026-12-07T03:00:00.123Z\"}",
                data.toString());
        assertEquals(Set.of(), problems(schema, data));
    }

    @Test
    void theSeedOrderPlacedSchemaGivesValidDataWithAnItem() throws Exception {
        JsonNode schema = FakeBus.json(Files.readString(SEED.resolve("order.placed.json")));

        JsonNode data = events.sample(schema);

        assertEquals(Set.of(), problems(schema, data));
        assertEquals(
                "{\"productId\":\"test-productId\",\"quantity\":1,\"price\":0}",
                data.path("items").get(0).toString());
        assertEquals(0, data.path("totalAmount").asInt());
    }

    @Test
    void honoursEnumsConstsBoundsLengthsFormatsRefsAndCombinators() {
        JsonNode schema = FakeBus.json(
                "{\"type\":\"object\",\"$defs\":{\"money\":{\"type\":\"object\","
                        + "\"properties\":{\"amount\":{\"type\":\"integer\",\"minimum\":5,\"maximum\":9},\"currency\":{\"enum\":[\"EUR\",\"USD\"]}},"
                        + "\"required\":[\"amount\",\"currency\"]}},"
                        + "\"properties\":{\"price\":{\"$ref\":\"#/$defs/money\"},\"kind\":{\"const\":\"retail\"},"
                        + "\"code\":{\"type\":\"string\",\"minLength\":12,\"maxLength\":12},"
                        + "\"ref\":{\"type\":\"string\",\"format\":\"uuid\"},\"note\":{\"type\":[\"null\",\"string\"]},"
                        + "\"tags\":{\"type\":\"array\",\"items\":{\"type\":\"string\"},\"minItems\":2},"
                        + "\"ratio\":{\"type\":\"number\",\"exclusiveMinimum\":0},\"flag\":{\"type\":\"boolean\"},"
                        + "\"either\":{\"oneOf\":[{\"type\":\"integer\",\"minimum\":3},{\"type\":\"string\"}]},"
                        + "\"both\":{\"allOf\":[{\"properties\":{\"a\":{\"type\":\"string\"}},\"required\":[\"a\"]},{\"properties\":{\"b\":{\"type\":\"integer\"}}}]}},"
                        + "\"required\":[\"price\",\"kind\",\"code\",\"ref\",\"tags\",\"ratio\",\"either\",\"both\",\"extra\"]}");

        JsonNode data = events.sample(schema);

        assertEquals(Set.of(), problems(schema, data));
        assertEquals(
                "{\"price\":{\"amount\":5,\"currency\":\"EUR\"},\"kind\":\"retail\",\"code\":\"test-codexxx\","
                        + "\"ref\":\""
                        + java.util.UUID.nameUUIDFromBytes("ref".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                        + "\",\"note\":\"test-note\",\"tags\":[\"test-tags\",\"test-tags\"],\"ratio\":1.0,\"flag\":true,"
                        + "\"either\":3,\"both\":{\"a\":\"test-a\",\"b\":1},\"extra\":\"test-extra\"}",
                data.toString());
    }
}
