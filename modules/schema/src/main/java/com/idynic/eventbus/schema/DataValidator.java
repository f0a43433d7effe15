package com.idynic.eventbus.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.SpecVersionDetector;
import com.networknt.schema.ValidationMessage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validates event data with networknt's json-schema-validator: draft 2020-12 by default, draft-07 when
 * the schema's {@code $schema} says so, {@code format} asserted (email, date-time, uuid, ...). Compiled
 * schemas are cached by their text.
 *
 * @since 0.2.0
 */
public final class DataValidator {
    /** One violation: {@code field} as a dotted path from {@code data}, {@code error} in words. */
    public record Violation(String field, String error) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SchemaValidatorsConfig CONFIG =
            SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
    private final Map<String, JsonSchema> compiled = new ConcurrentHashMap<>();

    /**
     * @return the compiled schema
     * @throws IllegalArgumentException when the text is not a usable JSON Schema
     */
    public JsonSchema compile(String schema) {
        return compiled.computeIfAbsent(schema, s -> {
            try {
                JsonNode node = JSON.readTree(s);
                if (!node.isObject()) {
                    throw new IllegalArgumentException("a schema must be a JSON object");
                }
                SpecVersion.VersionFlag flag =
                        SpecVersionDetector.detectOptionalVersion(node, false).orElse(SpecVersion.VersionFlag.V202012);
                return JsonSchemaFactory.getInstance(flag).getSchema(node, CONFIG);
            } catch (IllegalArgumentException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalArgumentException("not a valid JSON Schema: " + e.getMessage(), e);
            }
        });
    }

    private static String field(JsonNodePath path) {
        StringBuilder sb = new StringBuilder("data");
        for (int i = 0; i < path.getNameCount(); i++) {
            Object e = path.getElement(i);
            if (e instanceof Number n) {
                sb.append('[').append(n).append(']');
            } else {
                sb.append('.').append(e);
            }
        }
        return sb.toString();
    }

    /** @return violations, ordered by field; empty when valid */
    public List<Violation> validate(String schema, String dataJson) {
        JsonNode data;
        try {
            data = JSON.readTree(dataJson);
        } catch (Exception e) {
            return List.of(new Violation("data", "is not JSON"));
        }
        List<Violation> out = new ArrayList<>();
        for (ValidationMessage m : compile(schema).validate(data)) {
            String field = field(m.getInstanceLocation());
            String error;
            switch (m.getType()) {
                case "required" -> {
                    field = field + "." + m.getProperty();
                    error = "is required";
                }
                case "additionalProperties" -> {
                    field = field + "." + m.getProperty();
                    error = "is not allowed: the schema does not allow additional properties";
                }
                case "format" -> {
                    Object[] args = m.getArguments();
                    String format = args != null && args.length > 0 ? String.valueOf(args[0]) : "format";
                    error = "email".equals(format) ? "must be a valid email address" : "must be a valid " + format;
                }
                default -> error = m.getError() == null ? m.getMessage() : m.getError();
            }
            out.add(new Violation(field, error));
        }
        out.sort(Comparator.comparing(Violation::field));
        return out;
    }
}
