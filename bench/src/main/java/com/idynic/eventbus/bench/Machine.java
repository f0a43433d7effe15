package com.idynic.eventbus.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the figures were measured on: CPU, memory, kernel, Java, the commit. */
final class Machine {
    private Machine() {}

    static Map<String, Object> describe(Options o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("nproc", Runtime.getRuntime().availableProcessors());
        m.put("cpuModel", firstValue(Path.of("/proc/cpuinfo"), "model name"));
        m.put("memTotal", gib(firstValue(Path.of("/proc/meminfo"), "MemTotal")));
        m.put("kernel", read(Path.of("/proc/sys/kernel/osrelease")));
        m.put("javaVersion", o.javaVersion());
        m.put("benchJvm", System.getProperty("java.vm.name") + " " + Runtime.version());
        if (o.libertyPid() > 0) {
            try {
                m.put(
                        "libertyJava",
                        Files.readSymbolicLink(Path.of("/proc/" + o.libertyPid() + "/exe"))
                                .toString());
            } catch (IOException | RuntimeException e) {
                m.put("libertyJava", "unknown");
            }
        }
        m.put("gitCommit", o.gitCommit());
        return m;
    }

    /** @return {@code "24683620 kB"} as {@code "23.5 GiB"} */
    private static String gib(String kb) {
        try {
            return String.format(java.util.Locale.ROOT, "%.1f GiB", Long.parseLong(kb.split("\\s+")[0]) / 1048576.0);
        } catch (RuntimeException e) {
            return kb;
        }
    }

    private static String firstValue(Path file, String key) {
        try {
            for (String line : Files.readAllLines(file)) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).strip().equals(key)) {
                    return line.substring(colon + 1).strip();
                }
            }
        } catch (IOException e) {
            return "unknown";
        }
        return "unknown";
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            return System.getProperty("os.version");
        }
    }
}
