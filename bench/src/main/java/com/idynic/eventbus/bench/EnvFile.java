package com.idynic.eventbus.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code KEY=value} lines, as devstack writes its env file (and run.sh its start times). */
final class EnvFile {
    private final Map<String, String> values;

    private EnvFile(Map<String, String> values) {
        this.values = values;
    }

    static EnvFile read(Path file) throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            int eq = line.indexOf('=');
            if (eq > 0 && !line.startsWith("#")) {
                m.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
            }
        }
        return new EnvFile(m);
    }

    String get(String key, String dflt) {
        return values.getOrDefault(key, dflt);
    }

    String require(String key) {
        String v = values.get(key);
        if (v == null || v.isEmpty()) {
            throw new IllegalStateException(key + " is missing from the env file");
        }
        return v;
    }
}
