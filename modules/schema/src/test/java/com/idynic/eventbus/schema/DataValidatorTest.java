package com.idynic.eventbus.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class DataValidatorTest {
    final DataValidator validator = new DataValidator();

    static String seed(String type) throws IOException {
        try (InputStream in =
                DataValidatorTest.class.getResourceAsStream("/META-INF/eventbus/schemas/" + type + ".json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theSeedExampleIsValid() throws IOException {
        assertEquals(
                List.of(),
                validator.validate(
                        seed("user.created"),
                        "{\"userId\":\"usr-789012\",\"email\":\"user@example.com\",\"name\":\"John Doe\","
                                + "\"createdAt\":\"2023-05-20T13:45:29Z\"}"));
    }

    @Test
    void aBadEmailIsReportedLikeTheSeedsErrorExample() throws IOException {
        List<DataValidator.Violation> v =
                validator.validate(seed("user.created"), "{\"userId\":\"u\",\"email\":\"not-an-email\"}");
        assertEquals(List.of(new DataValidator.Violation("data.email", "must be a valid email address")), v);
    }

    @Test
    void everyViolationIsListedWithItsField() throws IOException {
        List<DataValidator.Violation> v = validator.validate(
                seed("order.placed"),
                "{\"customerId\":\"c\",\"totalAmount\":\"lots\",\"items\":[{\"productId\":\"p\",\"quantity\":0,\"price\":1}]}");
        List<String> fields = v.stream().map(DataValidator.Violation::field).toList();
        assertTrue(fields.contains("data.orderId"), v.toString());
        assertTrue(fields.contains("data.totalAmount"), v.toString());
        assertTrue(fields.contains("data.items[0].quantity"), v.toString());
        assertEquals(
                "is required",
                v.stream()
                        .filter(x -> x.field().equals("data.orderId"))
                        .findFirst()
                        .orElseThrow()
                        .error());
    }

    @Test
    void draft07SchemasAndUuidFormatsWork() {
        String schema = "{\"$schema\":\"http://json-schema.org/draft-07/schema#\",\"type\":\"object\","
                + "\"properties\":{\"id\":{\"type\":\"string\",\"format\":\"uuid\"}}}";
        assertEquals(1, validator.validate(schema, "{\"id\":\"nope\"}").size());
        assertEquals(
                0,
                validator
                        .validate(schema, "{\"id\":\"3f1c9a2e-4b7d-4e2a-9c1f-0a2b3c4d5e6f\"}")
                        .size());
    }

    @Test
    void anUnexpectedPropertyIsNamedByItsOwnPathAtAnyDepth() {
        String schema = "{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{"
                + "\"address\":{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{}}}}";
        String error = "is not allowed: the schema does not allow additional properties";
        assertEquals(
                List.of(new DataValidator.Violation("data.extra", error)), validator.validate(schema, "{\"extra\":1}"));
        assertEquals(
                List.of(new DataValidator.Violation("data.address.street", error)),
                validator.validate(schema, "{\"address\":{\"street\":\"x\"}}"));
    }

    @Test
    void somethingThatIsNotASchemaIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> validator.compile("[1,2]"));
    }
}
