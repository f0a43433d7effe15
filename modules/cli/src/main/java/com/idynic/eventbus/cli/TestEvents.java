package com.idynic.eventbus.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.Map;
import java.util.UUID;

/**
 * A test event's {@code data} made from the type's JSON Schema: every property it declares, each with its
 * {@code const}, {@code default}, first {@code examples} or {@code enum} value, else a value of its type that
 * honours {@code format} (email, date-time, date, uuid, uri), lengths and bounds. Local {@code $ref}s, {@code
 * allOf} (merged) and {@code anyOf}/{@code oneOf} (the first) are followed. Deterministic but for the time.
 */
final class TestEvents {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final int MAX_DEPTH = 12;

    private final Clock clock;

    TestEvents(Clock clock) {
        this.clock = clock;
    }

    /** @return data that validates against {@code schema} (an object for an object schema) */
    JsonNode sample(JsonNode schema) {
        return value(schema, schema, "value", 0);
    }

    private JsonNode value(JsonNode root, JsonNode s, String name, int depth) {
        if (depth > MAX_DEPTH || s == null || !s.isObject()) {
            return F.textNode("test");
        }
        if (s.has("$ref")) {
            return value(root, resolve(root, s.get("$ref").asText()), name, depth + 1);
        }
        for (String k : new String[] {"const", "default"}) {
            if (s.has(k)) {
                return s.get(k);
            }
        }
        for (String k : new String[] {"examples", "enum"}) {
            if (s.path(k).isArray() && !s.path(k).isEmpty()) {
                return s.get(k).get(0);
            }
        }
        if (s.path("allOf").isArray()) {
            ObjectNode merged = F.objectNode();
            ObjectNode properties = merged.putObject("properties");
            s.get("allOf").forEach(part -> {
                JsonNode p = part.has("$ref") ? resolve(root, part.get("$ref").asText()) : part;
                if (p.has("properties")) {
                    properties.setAll((ObjectNode) p.get("properties"));
                }
            });
            if (s.has("properties")) {
                properties.setAll((ObjectNode) s.get("properties"));
            }
            merged.put("type", "object");
            return value(root, merged, name, depth + 1);
        }
        for (String k : new String[] {"anyOf", "oneOf"}) {
            if (s.path(k).isArray() && !s.path(k).isEmpty()) {
                return value(root, s.get(k).get(0), name, depth + 1);
            }
        }
        return switch (type(s)) {
            case "object" -> object(root, s, depth);
            case "array" -> array(root, s, name, depth);
            case "integer" -> F.numberNode((long) Math.ceil(number(s)));
            case "number" -> F.numberNode(number(s));
            case "boolean" -> F.booleanNode(true);
            case "null" -> F.nullNode();
            default -> F.textNode(string(s, name));
        };
    }

    private ObjectNode object(JsonNode root, JsonNode s, int depth) {
        ObjectNode o = F.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = s.path("properties").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            o.set(p.getKey(), value(root, p.getValue(), p.getKey(), depth + 1));
        }
        for (JsonNode r : s.path("required")) {
            if (!o.has(r.asText())) {
                o.put(r.asText(), "test-" + r.asText());
            }
        }
        return o;
    }

    private ArrayNode array(JsonNode root, JsonNode s, String name, int depth) {
        ArrayNode a = F.arrayNode();
        int n = Math.max(1, s.path("minItems").asInt(1));
        for (int i = 0; i < n; i++) {
            a.add(value(root, s.path("items"), name, depth + 1));
        }
        return a;
    }

    private static String type(JsonNode s) {
        JsonNode t = s.get("type");
        if (t != null && t.isArray()) {
            for (JsonNode each : t) {
                if (!"null".equals(each.asText())) {
                    return each.asText();
                }
            }
            return "null";
        }
        if (t != null) {
            return t.asText();
        }
        return s.has("properties") ? "object" : s.has("items") ? "array" : "string";
    }

    private static double number(JsonNode s) {
        double min = s.has("minimum") ? s.get("minimum").asDouble() : 1;
        if (s.has("exclusiveMinimum") && s.get("exclusiveMinimum").isNumber()) {
            min = s.get("exclusiveMinimum").asDouble() + 1;
        }
        if (s.has("maximum") && min > s.get("maximum").asDouble()) {
            min = s.get("maximum").asDouble();
        }
        return min;
    }

    private String string(JsonNode s, String name) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        String v =
                switch (s.path("format").asText("")) {
                    case "email" -> "test@example.com";
                    case "date-time" -> now.toString();
                    case "date" -> now.toString().substring(0, 10);
                    case "time" -> now.toString().substring(11);
                    case "uuid" -> UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8))
                            .toString();
                    case "uri", "url" -> "https://example.com/" + name;
                    case "hostname" -> "example.com";
                    case "ipv4" -> "192.0.2.1";
                    default -> "test-" + name;
                };
        int min = s.path("minLength").asInt(0);
        StringBuilder b = new StringBuilder(v);
        while (b.length() < min) {
            b.append('x');
        }
        if (s.has("maxLength") && b.length() > s.get("maxLength").asInt()) {
            b.setLength(s.get("maxLength").asInt());
        }
        return b.toString();
    }

    private static JsonNode resolve(JsonNode root, String ref) {
        if (!ref.startsWith("#")) {
            return null;
        }
        return root.at(ref.substring(1));
    }
}
