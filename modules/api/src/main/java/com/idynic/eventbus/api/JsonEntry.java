package com.idynic.eventbus.api;

import jakarta.json.JsonArray;
import jakarta.json.JsonValue;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One value met while walking a JSON tree without recursion; its dotted path ({@code data.items[0].price})
 * is built only when a refusal names it, so the walk allocates one small record per value and no strings.
 *
 * @param parent the enclosing entry, or null for the root
 * @param name the key in the parent object; for the root, the root's own name (may be empty)
 * @param index the position in the parent array, or -1
 * @param value the value itself
 * @param depth 1 for the root, one more per level of nesting
 */
record JsonEntry(JsonEntry parent, String name, int index, JsonValue value, int depth) {
    static JsonEntry root(String name, JsonValue value) {
        return new JsonEntry(null, name, -1, value, 1);
    }

    /** Pushes the children of an object or array that need a look (containers, strings and numbers). */
    void pushChildren(ArrayDeque<JsonEntry> todo) {
        if (value.getValueType() == JsonValue.ValueType.OBJECT) {
            value.asJsonObject().forEach((k, v) -> {
                if (worthAVisit(v)) {
                    todo.push(new JsonEntry(this, k, -1, v, depth + 1));
                }
            });
        } else {
            JsonArray a = value.asJsonArray();
            for (int i = 0; i < a.size(); i++) {
                JsonValue v = a.get(i);
                if (worthAVisit(v)) {
                    todo.push(new JsonEntry(this, null, i, v, depth + 1));
                }
            }
        }
    }

    private static boolean worthAVisit(JsonValue v) {
        return switch (v.getValueType()) {
            case OBJECT, ARRAY, STRING, NUMBER -> true;
            default -> false;
        };
    }

    /** @return e.g. {@code data.items[0].price}; a root with an empty name contributes nothing */
    String path() {
        List<JsonEntry> chain = new ArrayList<>();
        for (JsonEntry e = this; e != null; e = e.parent) {
            chain.add(e);
        }
        StringBuilder sb = new StringBuilder();
        for (int i = chain.size() - 1; i >= 0; i--) {
            JsonEntry e = chain.get(i);
            if (e.index >= 0) {
                sb.append('[').append(e.index).append(']');
            } else {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(e.name);
            }
        }
        return sb.length() == 0 ? "body" : sb.toString();
    }
}
