package com.idynic.eventbus.devstack;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command line after the command: {@code --name value} pairs, a name given more than once keeps every value,
 * and a {@code --flag} with no value holds a null.
 */
record Options(Map<String, List<String>> values) {
    /** @param args the whole command line; {@code args[0]} is the command and not read */
    static Options parse(String[] args) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            if (args[i].startsWith("--")) {
                String name = args[i].substring(2);
                String value = i + 1 < args.length && !args[i + 1].startsWith("--") ? args[++i] : null;
                m.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            }
        }
        return new Options(m);
    }

    /** @return whether {@code --name} was given, with or without a value */
    boolean has(String name) {
        return values.containsKey(name);
    }

    /** @return every value of {@code --name}, in order; empty when it was not given */
    List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    /**
     * @param dflt the value when {@code --name} has none; null when it is required
     * @return the first value of {@code --name}
     * @throws IllegalArgumentException when it is required and missing
     */
    String one(String name, String dflt) {
        List<String> v = values.get(name);
        if (v == null || v.isEmpty() || v.get(0) == null) {
            if (dflt == null) {
                throw new IllegalArgumentException("--" + name + " is required");
            }
            return dflt;
        }
        return v.get(0);
    }
}
