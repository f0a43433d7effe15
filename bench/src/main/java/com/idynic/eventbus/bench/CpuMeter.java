package com.idynic.eventbus.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time of every process that shares the machine, by role (each Liberty server, PostgreSQL with its backends,
 * Kafka, Redis, the benchmark itself), over a measured window, from {@code /proc}: who used the cores when they
 * were all busy. Figures are cores (1.0 = one core busy for the whole window); {@code other} is the machine's busy
 * time that none of the named roles used.
 */
final class CpuMeter {
    /** Roles in report order; {@code other} and {@code machineBusy} follow. */
    static final List<String> ROLES = List.of("liberty1", "liberty2", "postgres", "kafka", "redis", "bench");

    /** One process at one moment: its parent, its name and utime+stime in clock ticks. */
    record Proc(long pid, long ppid, String comm, boolean kafka, long ticks) {}

    private final Map<Long, String> fixed;
    private final long devstackPid;
    private final int clkTck;

    /**
     * @param roots roles of known processes by pid, which their descendants share (the Liberty servers, the
     *     PostgreSQL postmaster with its backends)
     * @param devstackPid the devstack process whose descendants are Kafka and Redis; 0 when unknown (then any
     *     process of that name counts)
     */
    CpuMeter(Map<Long, String> roots, long devstackPid, int clkTck) {
        this.fixed = Map.copyOf(roots);
        this.devstackPid = devstackPid;
        this.clkTck = clkTck;
    }

    /** @return the roots of the roles by pid: the Liberty servers and the postmaster, each when known (above 0) */
    static Map<Long, String> roots(long firstLiberty, long secondLiberty, long postmaster) {
        Map<Long, String> m = new java.util.HashMap<>();
        if (postmaster > 0) {
            m.put(postmaster, "postgres");
        }
        if (firstLiberty > 0) {
            m.put(firstLiberty, "liberty1");
        }
        if (secondLiberty > 0) {
            m.put(secondLiberty, "liberty2");
        }
        return m;
    }

    /** A window started now; {@link #stop()} reads the cores each role used in it. */
    final class Window {
        private final long t0 = System.nanoTime();
        private final Map<Long, Proc> before = snapshot();
        private final long[] machine0 = ProcessSampler.machineTicks();

        Map<String, Double> stop() {
            Map<Long, Proc> after = snapshot();
            long[] machine1 = ProcessSampler.machineTicks();
            double seconds = (System.nanoTime() - t0) / 1e9;
            double busy = machine0 == null || machine1 == null
                    ? Double.NaN
                    : (machine1[0] - machine0[0]) / (double) clkTck / seconds;
            return cores(before, after, this::roleIn, busy, seconds, clkTck);
        }

        private String roleIn(Proc p, Map<Long, Proc> all) {
            return role(p, all, fixed, devstackPid, ProcessHandle.current().pid());
        }
    }

    Window start() {
        return new Window();
    }

    /** Decides the role of a process given every process of the same snapshot. */
    interface Roles {
        String of(Proc p, Map<Long, Proc> all);
    }

    /**
     * @return cores per role (every role of {@link #ROLES}, 0 when no process had it), then {@code other} (busy
     *     time no role used, at least 0) and {@code machineBusy}; a process that started in the window counts
     *     from zero, one that ended in it is missing
     */
    static Map<String, Double> cores(
            Map<Long, Proc> before,
            Map<Long, Proc> after,
            Roles roles,
            double machineBusy,
            double seconds,
            int clkTck) {
        Map<String, Double> m = new LinkedHashMap<>();
        ROLES.forEach(r -> m.put(r, 0.0));
        double named = 0;
        for (Proc p : after.values()) {
            String role = roles.of(p, after);
            if (role == null) {
                continue;
            }
            Proc was = before.get(p.pid());
            long ticks = p.ticks() - (was == null ? 0 : was.ticks());
            double c = Math.max(0, ticks) / (double) clkTck / seconds;
            m.merge(role, c, Double::sum);
            named += c;
        }
        m.put("other", Double.isNaN(machineBusy) ? Double.NaN : Math.max(0, machineBusy - named));
        m.put("machineBusy", machineBusy);
        return m;
    }

    /**
     * @return the role of {@code p}: the benchmark's own process, else the role of {@code p} or its nearest
     *     ancestor in {@code roots}, else by name among the descendants of {@code devstackPid}; null for a process
     *     of no role
     */
    static String role(Proc p, Map<Long, Proc> all, Map<Long, String> roots, long devstackPid, long self) {
        if (p.pid() == self) {
            return "bench";
        }
        Proc q = p;
        for (int depth = 0; q != null && depth < 64; depth++) {
            String known = roots.get(q.pid());
            if (known != null) {
                return known;
            }
            q = all.get(q.ppid());
        }
        if (devstackPid > 0 && !descends(p, devstackPid, all)) {
            return null;
        }
        if (p.comm().equals("postgres")) {
            return "postgres";
        }
        if (p.comm().startsWith("redis")) {
            return "redis";
        }
        return p.kafka() ? "kafka" : null;
    }

    private static boolean descends(Proc p, long ancestor, Map<Long, Proc> all) {
        Proc q = p;
        for (int depth = 0; q != null && depth < 64; depth++) {
            if (q.ppid() == ancestor) {
                return true;
            }
            q = all.get(q.ppid());
        }
        return false;
    }

    /** @return every process now, by pid (those that end while read are left out) */
    static Map<Long, Proc> snapshot() {
        Map<Long, Proc> all = new HashMap<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path dir : dirs) {
                Proc p = read(dir);
                if (p != null) {
                    all.put(p.pid(), p);
                }
            }
        } catch (IOException e) {
            return all;
        }
        return all;
    }

    private static Proc read(Path dir) {
        try {
            String stat = Files.readString(dir.resolve("stat"));
            int open = stat.indexOf('(');
            int close = stat.lastIndexOf(')');
            String comm = stat.substring(open + 1, close);
            // fields after the command name: state, ppid, ..., utime (14th of the line), stime (15th)
            String[] f = stat.substring(close + 2).split(" ");
            boolean kafka = comm.equals("java")
                    && new String(Files.readAllBytes(dir.resolve("cmdline"))).contains("kafka.Kafka");
            return new Proc(
                    Long.parseLong(dir.getFileName().toString()),
                    Long.parseLong(f[1]),
                    comm,
                    kafka,
                    Long.parseLong(f[11]) + Long.parseLong(f[12]));
        } catch (IOException | RuntimeException gone) {
            return null;
        }
    }
}
