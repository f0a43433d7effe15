package com.idynic.eventbus.schema;

import com.idynic.eventbus.api.CachedJson;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonPointer;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The fields a type's schemas mark {@code "x-sensitive": true}, at any depth: under {@code properties}, {@code
 * patternProperties} and {@code additionalProperties}, array {@code items} and {@code prefixItems}, through {@code
 * allOf}/{@code anyOf}/{@code oneOf}/{@code if}/{@code then}/{@code else} and local {@code $ref}s ({@code
 * #/$defs/...}, {@code #/definitions/...}). A field marked in any registered version of the type is masked in every
 * event of the type, whatever version it names: a field once sensitive stays so in old events. Derived once per type
 * and version (versions never change) and applied to a payload in one walk.
 *
 * @since 0.19.0
 */
public final class SensitiveFields {
    /** The keyword that marks a field sensitive. */
    public static final String KEYWORD = "x-sensitive";

    /** The value shown in place of a sensitive one. */
    public static final JsonString MASK = CachedJson.createValue("***");

    private static final String ANY = "*";
    private static final int MAX_DEPTH = 64;

    private final Function<String, List<SchemaVersion>> versions;
    private final Map<String, Node> derived = new ConcurrentHashMap<>();

    /**
     * @param versions a type's registered versions (e.g. {@link SchemaRegistry}'s, re-read at most once a second)
     */
    public SensitiveFields(Function<String, List<SchemaVersion>> versions) {
        this.versions = versions;
    }

    /** Fields of one schema: a tree of names ({@code *} for any key or index) down to the sensitive ones. */
    private static final class Node {
        boolean sensitive;
        final Map<String, Node> children = new HashMap<>();

        Node child(String name) {
            return children.computeIfAbsent(name, n -> new Node());
        }

        boolean empty() {
            return !sensitive && children.isEmpty();
        }
    }

    /**
     * @return the sensitive fields of the type, as JSON pointers into {@code data} where {@code *} stands for any
     *     key or array index, e.g. {@code /card/number} or {@code /contacts/*}{@code /email}; sorted
     */
    public List<String> pointers(String eventType) {
        Set<String> out = new TreeSet<>();
        for (SchemaVersion v : versions.apply(eventType)) {
            collect(node(v), "", out);
        }
        return List.copyOf(out);
    }

    /** @return the sensitive fields of one schema, as {@link #pointers} */
    public static List<String> pointersOf(JsonObject schema) {
        Set<String> out = new TreeSet<>();
        collect(derive(schema), "", out);
        return List.copyOf(out);
    }

    private static void collect(Node n, String at, Set<String> out) {
        if (n.sensitive) {
            out.add(at);
        }
        n.children.forEach((k, c) -> collect(c, at + "/" + k.replace("~", "~0").replace("/", "~1"), out));
    }

    /**
     * @return {@code data} with the value of every sensitive field (object, array or scalar) replaced by {@code
     *     "***"}; {@code data} itself when nothing in it is sensitive, or the type has no schema
     */
    public JsonObject mask(String eventType, JsonObject data) {
        JsonObject out = data;
        for (SchemaVersion v : versions.apply(eventType)) {
            Node n = node(v);
            if (!n.empty()) {
                out = (JsonObject) apply(out, List.of(n));
            }
        }
        return out;
    }

    /**
     * @return the scalar values (as text) and the keys of objects that {@link #mask} hides in {@code data}: what an
     *     error message must not echo
     */
    public Set<String> values(String eventType, JsonObject data) {
        Set<String> out = new LinkedHashSet<>();
        for (SchemaVersion v : versions.apply(eventType)) {
            Node n = node(v);
            if (!n.empty()) {
                gather(data, List.of(n), out, false);
            }
        }
        return out;
    }

    private Node node(SchemaVersion v) {
        return derived.computeIfAbsent(v.eventType() + '\u0000' + v.version(), k -> {
            try {
                return derive(SchemaRegistry.parse(v.schema()));
            } catch (RuntimeException e) {
                return new Node();
            }
        });
    }

    private static Node derive(JsonObject schema) {
        Node root = new Node();
        walk(schema, schema, root, new HashSet<>(), 0);
        return root;
    }

    private static void walk(JsonObject root, JsonObject s, Node at, Set<String> refs, int depth) {
        if (depth > MAX_DEPTH) {
            return;
        }
        if (s.get(KEYWORD) == JsonValue.TRUE) {
            at.sensitive = true;
        }
        if (s.get("$ref") instanceof JsonString ref && ref.getString().startsWith("#") && refs.add(ref.getString())) {
            JsonObject target = resolve(root, ref.getString());
            if (target != null) {
                walk(root, target, at, refs, depth + 1);
            }
            refs.remove(ref.getString());
        }
        if (s.get("properties") instanceof JsonObject props) {
            props.forEach((name, sub) -> {
                if (sub instanceof JsonObject o) {
                    walk(root, o, at.child(name), refs, depth + 1);
                }
            });
        }
        if (s.get("patternProperties") instanceof JsonObject props) {
            props.values().forEach(sub -> {
                if (sub instanceof JsonObject o) {
                    walk(root, o, at.child(ANY), refs, depth + 1);
                }
            });
        }
        if (s.get("additionalProperties") instanceof JsonObject o) {
            walk(root, o, at.child(ANY), refs, depth + 1);
        }
        if (s.get("items") instanceof JsonObject o) {
            walk(root, o, at.child(ANY), refs, depth + 1);
        }
        for (String tuple : List.of("items", "prefixItems")) {
            if (s.get(tuple) instanceof JsonArray a) {
                for (int i = 0; i < a.size(); i++) {
                    if (a.get(i) instanceof JsonObject o) {
                        walk(root, o, at.child(String.valueOf(i)), refs, depth + 1);
                    }
                }
            }
        }
        for (String both : List.of("allOf", "anyOf", "oneOf")) {
            if (s.get(both) instanceof JsonArray a) {
                a.forEach(sub -> {
                    if (sub instanceof JsonObject o) {
                        walk(root, o, at, refs, depth + 1);
                    }
                });
            }
        }
        for (String branch : List.of("if", "then", "else")) {
            if (s.get(branch) instanceof JsonObject o) {
                walk(root, o, at, refs, depth + 1);
            }
        }
    }

    private static JsonObject resolve(JsonObject root, String ref) {
        if (ref.equals("#")) {
            return root;
        }
        try {
            JsonPointer p = CachedJson.createPointer(
                    java.net.URLDecoder.decode(ref.substring(1), java.nio.charset.StandardCharsets.UTF_8));
            return p.getValue(root) instanceof JsonObject o ? o : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static List<Node> next(List<Node> nodes, String key) {
        List<Node> out = new ArrayList<>(2);
        for (Node n : nodes) {
            Node exact = n.children.get(key);
            if (exact != null) {
                out.add(exact);
            }
            Node any = n.children.get(ANY);
            if (any != null && any != exact) {
                out.add(any);
            }
        }
        return out;
    }

    /** @return the value masked, the same instance when nothing in it is sensitive */
    private static JsonValue apply(JsonValue value, List<Node> nodes) {
        for (Node n : nodes) {
            if (n.sensitive) {
                return MASK;
            }
        }
        if (value instanceof JsonObject o) {
            JsonObjectBuilder b = null;
            for (Map.Entry<String, JsonValue> e : o.entrySet()) {
                List<Node> below = next(nodes, e.getKey());
                if (below.isEmpty()) {
                    continue;
                }
                JsonValue v = apply(e.getValue(), below);
                if (v != e.getValue()) {
                    if (b == null) {
                        b = CachedJson.createObjectBuilder(o);
                    }
                    b.add(e.getKey(), v);
                }
            }
            return b == null ? value : b.build();
        }
        if (value instanceof JsonArray a) {
            List<JsonValue> items = null;
            for (int i = 0; i < a.size(); i++) {
                List<Node> below = next(nodes, String.valueOf(i));
                if (below.isEmpty()) {
                    continue;
                }
                JsonValue v = apply(a.get(i), below);
                if (v != a.get(i)) {
                    if (items == null) {
                        items = new ArrayList<>(a);
                    }
                    items.set(i, v);
                }
            }
            if (items == null) {
                return value;
            }
            JsonArrayBuilder b = CachedJson.createArrayBuilder();
            items.forEach(b::add);
            return b.build();
        }
        return value;
    }

    private static void gather(JsonValue value, List<Node> nodes, Set<String> out, boolean inside) {
        boolean hidden = inside || nodes.stream().anyMatch(n -> n.sensitive);
        if (value instanceof JsonObject o) {
            o.forEach((k, v) -> {
                if (hidden) {
                    out.add(k);
                }
                List<Node> below = hidden ? List.of() : next(nodes, k);
                if (hidden || !below.isEmpty()) {
                    gather(v, below, out, hidden);
                }
            });
        } else if (value instanceof JsonArray a) {
            for (int i = 0; i < a.size(); i++) {
                List<Node> below = hidden ? List.of() : next(nodes, String.valueOf(i));
                if (hidden || !below.isEmpty()) {
                    gather(a.get(i), below, out, hidden);
                }
            }
        } else if (hidden && value != JsonValue.NULL) {
            out.add(value instanceof JsonString s ? s.getString() : value.toString());
        }
    }
}
