package com.idynic.eventbus.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Java 17 record for an event type's JSON Schema (its {@code data}), without I/O so that the mapping is tested
 * on its own: nested objects become nested records, arrays {@code List}, string enums Java enums, {@code
 * date-time} {@link java.time.Instant}, {@code integer} {@code long}, {@code number} {@link java.math.BigDecimal}
 * (exact, as published), other strings {@code String}. Required fields are primitives or checked non-null by the
 * canonical constructor, optional ones nullable boxed types. What has no Java type ({@code oneOf}, {@code anyOf},
 * {@code patternProperties}, mixed types) is read as a {@code JsonNode}, with a comment saying why.
 */
final class JavaRecords {
    /** One generated source file: the top-level record (nested types inside) and its text. */
    record JavaSource(String className, String source) {}

    /** A Java type for a schema: {@code type} where a value is always there, {@code boxed} where it may be null. */
    record JType(String type, String boxed, String note) {
        static JType of(String type) {
            return new JType(type, type, null);
        }

        JType noted(String why) {
            return new JType(type, boxed, why);
        }
    }

    /**
     * A record component: its JSON name, Java name and type; {@code required}: enforced non-null; {@code
     * keepNull}: required by the schema but allowed to be null, so written even when null.
     */
    record Component(String json, String name, JType type, boolean required, boolean keepNull, String doc) {}

    /** A nested or top-level record. */
    record RecordType(String name, String doc, List<Component> components) {}

    /** An enum of string values. */
    record EnumType(String name, String doc, List<String> values) {}

    private static final int MAX_DEPTH = 32;
    /** Simple names the generated file uses or java.lang holds, which a nested type must not hide. */
    private static final Set<String> USED = Set.of(
            "BigDecimal",
            "Boolean",
            "Class",
            "Enum",
            "Instant",
            "JsonFormat",
            "JsonIgnoreProperties",
            "JsonInclude",
            "JsonNode",
            "JsonProperty",
            "List",
            "Long",
            "Map",
            "Object",
            "Objects",
            "Record",
            "String",
            "System");

    private final JsonNode root;
    private final String topName;
    private final List<Object> nested = new ArrayList<>();
    private final Set<String> taken = new HashSet<>();
    private final Map<String, String> refs = new HashMap<>();

    private JavaRecords(JsonNode root, String topName) {
        this.root = root;
        this.topName = topName;
        taken.add(topName);
        taken.addAll(USED);
    }

    /**
     * @param schema the JSON Schema of {@code data}, as {@code GET /v1/schemas/{type}/versions/{v}} answers it
     * @param eventType e.g. {@code order.placed}, which names the record ({@code OrderPlaced})
     * @param version the schema version, kept as {@code SCHEMA_VERSION}
     * @param pkg the Java package, e.g. {@code com.acme.events}
     */
    static JavaSource generate(JsonNode schema, String eventType, int version, String pkg) {
        String name = JavaNames.type(eventType);
        JavaRecords r = new JavaRecords(schema, name);
        JsonNode object = r.objectSchema(schema, 0);
        RecordType top = r.record(name, schema.path("description").asText(null), object == null ? schema : object, 0);
        return new JavaSource(name, new RecordSource(pkg, eventType, version, top, r.nested).text());
    }

    private RecordType record(String name, String doc, JsonNode s, int depth) {
        Set<String> required = new HashSet<>();
        s.path("required").forEach(r -> required.add(r.asText()));
        List<Component> components = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        if (name.equals(topName)) {
            names.addAll(List.of("TYPE", "SCHEMA_VERSION"));
        }
        s.path("properties").fields().forEachRemaining(p -> {
            String member = unique(JavaNames.member(p.getKey()), names);
            JsonNode ps = p.getValue();
            boolean nullable = typeList(ps).contains("null");
            boolean req = required.contains(p.getKey());
            JType t = type(ps, p.getKey(), false, depth + 1);
            components.add(new Component(
                    p.getKey(),
                    member,
                    t,
                    req && !nullable,
                    req && nullable,
                    ps.path("description").asText(null)));
        });
        return new RecordType(name, doc, components);
    }

    private JType type(JsonNode s, String property, boolean element, int depth) {
        if (depth > MAX_DEPTH || s == null || !s.isObject()) {
            return JType.of("JsonNode").noted(s != null && s.isBoolean() ? null : "schema not mapped");
        }
        if (s.has("$ref")) {
            return ref(s.get("$ref").asText(), depth);
        }
        for (String k : new String[] {"oneOf", "anyOf"}) {
            if (s.has(k)) {
                return JType.of("JsonNode").noted(k + ": kept as JSON");
            }
        }
        if (s.path("enum").isArray()) {
            return enumType(s, property, element);
        }
        if (s.has("const")) {
            return s.get("const").isTextual() ? JType.of("String").noted("always " + s.get("const")) : json("const");
        }
        if (s.has("allOf")) {
            JsonNode merged = objectSchema(s, depth);
            return merged == null ? json("allOf") : object(merged, property, element, depth);
        }
        List<String> types = new ArrayList<>(typeList(s));
        types.remove("null");
        if (types.isEmpty()) {
            types.add(s.has("properties") ? "object" : s.has("items") ? "array" : "");
        }
        if (types.size() > 1) {
            return json("type " + types);
        }
        return switch (types.get(0)) {
            case "string" -> "date-time".equals(s.path("format").asText()) ? JType.of("Instant") : JType.of("String");
            case "integer" -> new JType("long", "Long", null);
            case "number" -> JType.of("BigDecimal");
            case "boolean" -> new JType("boolean", "Boolean", null);
            case "array" -> array(s, property, depth);
            case "object" -> object(s, property, element, depth);
            default -> JType.of("JsonNode");
        };
    }

    private JType array(JsonNode s, String property, int depth) {
        if (!s.has("items") || s.get("items").isBoolean()) {
            return JType.of("List<JsonNode>");
        }
        JType item = type(s.get("items"), property, true, depth + 1);
        return new JType("List<" + item.boxed() + ">", "List<" + item.boxed() + ">", item.note());
    }

    private JType object(JsonNode s, String property, boolean element, int depth) {
        if (s.has("patternProperties")) {
            return json("patternProperties");
        }
        if (!s.path("properties").isObject() || s.path("properties").isEmpty()) {
            JsonNode extra = s.get("additionalProperties");
            if (extra != null && extra.isObject()) {
                JType value = type(extra, property, true, depth + 1);
                return new JType(
                        "Map<String, " + value.boxed() + ">", "Map<String, " + value.boxed() + ">", value.note());
            }
            return JType.of("Map<String, Object>");
        }
        String name = name(element ? JavaNames.element(property) : JavaNames.type(property));
        nested.add(record(name, s.path("description").asText(null), s, depth));
        return JType.of(name);
    }

    private JType enumType(JsonNode s, String property, boolean element) {
        List<String> values = new ArrayList<>();
        for (JsonNode v : s.get("enum")) {
            if (!v.isTextual()) {
                return json("enum of other values than strings");
            }
            values.add(v.asText());
        }
        String name = name(element ? JavaNames.element(property) : JavaNames.type(property));
        nested.add(new EnumType(name, s.path("description").asText(null), values));
        return JType.of(name);
    }

    private JType ref(String ref, int depth) {
        if (refs.containsKey(ref)) {
            return JType.of(refs.get(ref));
        }
        JsonNode target = resolve(ref);
        if (target == null) {
            return json("$ref " + ref + " not resolved");
        }
        JsonNode object = objectSchema(target, depth);
        if (object == null || !object.path("properties").isObject()) {
            int before = nested.size();
            JType t = type(target, ref.substring(ref.lastIndexOf('/') + 1), false, depth + 1);
            if (nested.size() > before) {
                refs.put(ref, t.type());
            }
            return t;
        }
        String name = name(JavaNames.type(ref.substring(ref.lastIndexOf('/') + 1)));
        refs.put(ref, name);
        nested.add(record(name, target.path("description").asText(null), object, depth));
        return JType.of(name);
    }

    /** @return {@code s} as one object schema ({@code allOf} parts merged), or null when it is not one */
    private JsonNode objectSchema(JsonNode s, int depth) {
        if (!s.has("allOf")) {
            return s.has("properties") || "object".equals(s.path("type").asText()) ? s : null;
        }
        ObjectNode merged = JsonNodeFactory.instance.objectNode();
        ObjectNode properties = merged.putObject("properties");
        ArrayNode required = merged.putArray("required");
        List<JsonNode> parts = new ArrayList<>();
        s.get("allOf").forEach(parts::add);
        parts.add(((ObjectNode) s.deepCopy()).without("allOf"));
        for (JsonNode part : parts) {
            JsonNode p = part.has("$ref") ? resolve(part.get("$ref").asText()) : part;
            if (p != null && p.has("allOf") && depth < MAX_DEPTH) {
                p = objectSchema(p, depth + 1);
            }
            if (p == null || p.has("oneOf") || p.has("anyOf") || p.has("$ref")) {
                return null;
            }
            if (p.path("properties").isObject()) {
                properties.setAll((ObjectNode) p.get("properties"));
            }
            p.path("required").forEach(required::add);
        }
        return merged;
    }

    private JsonNode resolve(String ref) {
        JsonNode target = ref.startsWith("#") ? root.at(ref.substring(1)) : null;
        return target == null || target.isMissingNode() ? null : target;
    }

    private static JType json(String why) {
        return JType.of("JsonNode").noted(why + ": kept as JSON");
    }

    private static List<String> typeList(JsonNode s) {
        List<String> out = new ArrayList<>();
        JsonNode t = s.get("type");
        if (t != null && t.isArray()) {
            t.forEach(x -> out.add(x.asText()));
        } else if (t != null) {
            out.add(t.asText());
        }
        return out;
    }

    private String name(String wanted) {
        return unique(wanted, taken);
    }

    private static String unique(String wanted, Set<String> used) {
        String name = wanted;
        for (int i = 2; !used.add(name); i++) {
            name = wanted + i;
        }
        return name;
    }
}
