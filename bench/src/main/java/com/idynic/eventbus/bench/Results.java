package com.idynic.eventbus.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every figure of the run under a dotted key ({@code bus.publish.c32}); the JSON file nests them by the dots.
 * Notes say what was skipped or how to read a figure; errors name the scenario that failed and why.
 */
final class Results {
    private final Map<String, Object> values = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();
    private final Map<String, String> errors = new LinkedHashMap<>();

    synchronized void put(String key, Object value) {
        values.put(key, value);
    }

    synchronized void note(String note) {
        notes.add(note);
        System.err.println("bench: note: " + note);
    }

    synchronized void error(String section, Throwable e) {
        String message = e.toString();
        errors.put(section, message);
        System.err.println("bench: " + section + " failed: " + message);
    }

    synchronized Object get(String key) {
        return values.get(key);
    }

    /** @return the load point under this key, or null */
    synchronized LoadResult load(String key) {
        return values.get(key) instanceof LoadResult r ? r : null;
    }

    /** @return the number under this key, or a load point's rate; NaN when absent */
    synchronized double number(String key) {
        Object v = values.get(key);
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof LoadResult r) {
            return r.perSecond();
        }
        return Double.NaN;
    }

    synchronized List<String> notes() {
        return List.copyOf(notes);
    }

    synchronized Map<String, String> errors() {
        return Map.copyOf(errors);
    }

    /** @return everything as nested maps, ready for {@link JsonOut} */
    synchronized Map<String, Object> tree() {
        Map<String, Object> root = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : values.entrySet()) {
            String[] path = e.getKey().split("\\.");
            Map<String, Object> node = root;
            for (int i = 0; i < path.length - 1; i++) {
                Object child = node.computeIfAbsent(path[i], k -> new LinkedHashMap<String, Object>());
                if (!(child instanceof Map)) {
                    Map<String, Object> wrapped = new LinkedHashMap<>();
                    wrapped.put("value", child);
                    node.put(path[i], wrapped);
                    child = wrapped;
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> next = (Map<String, Object>) child;
                node = next;
            }
            node.put(path[path.length - 1], plain(e.getValue()));
        }
        root.put("notes", List.copyOf(notes));
        root.put("errors", new LinkedHashMap<>(errors));
        return root;
    }

    private static Object plain(Object v) {
        if (v instanceof LoadResult r) {
            return r.toMap();
        }
        if (v instanceof Usage u) {
            return u.toMap();
        }
        return v;
    }
}
