package com.idynic.eventbus.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Samples the Liberty process from {@code /proc}: VmRSS every 250 ms, CPU as utime+stime at the start and end
 * of a window; and the machine's busy CPU time from {@code /proc/stat}, so a reader sees when the two cores were
 * saturated; and, once {@link #roles} knows the processes, every role's CPU ({@link CpuMeter}: the bus's
 * PostgreSQL, Kafka, Redis, this program).
 */
final class ProcessSampler {
    private final long pid;
    private final int clkTck;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "rss-sampler");
        t.setDaemon(true);
        return t;
    });

    private volatile CpuMeter meter;

    ProcessSampler(long pid, int clkTck) {
        this.pid = pid;
        this.clkTck = clkTck;
    }

    /** From now on, windows also measure the CPU of these processes' roles. */
    void roles(CpuMeter meter) {
        this.meter = meter;
    }

    /** One measured window; {@link #stop()} ends it. */
    final class Window {
        private final long t0 = System.nanoTime();
        private final long cpu0 = processTicks();
        private final long[] machine0 = machineTicks();
        private final CpuMeter.Window roles = meter == null ? null : meter.start();
        private final ScheduledFuture<?> task;
        private double rssMax = Double.NaN;
        private double rssSum;
        private int rssCount;

        private Window() {
            task = timer.scheduleAtFixedRate(this::sample, 0, 250, TimeUnit.MILLISECONDS);
        }

        private synchronized void sample() {
            double rss = rssMiB();
            if (!Double.isNaN(rss)) {
                rssMax = Double.isNaN(rssMax) ? rss : Math.max(rssMax, rss);
                rssSum += rss;
                rssCount++;
            }
        }

        Usage stop() {
            task.cancel(false);
            sample();
            double seconds = (System.nanoTime() - t0) / 1e9;
            long cpu1 = processTicks();
            long[] machine1 = machineTicks();
            double cpu = cpu0 < 0 || cpu1 < 0 ? Double.NaN : (cpu1 - cpu0) / (double) clkTck / seconds;
            double busy = machine0 == null || machine1 == null
                    ? Double.NaN
                    : (machine1[0] - machine0[0]) / (double) clkTck / seconds;
            Map<String, Double> byRole = roles == null ? Map.of() : roles.stop();
            synchronized (this) {
                return new Usage(
                        rssMax,
                        rssCount == 0 ? Double.NaN : rssSum / rssCount,
                        cpu,
                        busy,
                        byRole.getOrDefault("postgres", Double.NaN),
                        byRole.getOrDefault("kafka", Double.NaN),
                        byRole.getOrDefault("bench", Double.NaN),
                        seconds);
            }
        }
    }

    Window start() {
        return new Window();
    }

    boolean knowsLiberty() {
        return pid > 0 && Files.exists(Path.of("/proc/" + pid + "/status"));
    }

    /** @return VmRSS of the Liberty process in MiB, NaN when unknown */
    double rssMiB() {
        if (pid <= 0) {
            return Double.NaN;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    String[] p = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(p[0]) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }

    /** @return utime+stime of the Liberty process in clock ticks, -1 when unknown */
    private long processTicks() {
        if (pid <= 0) {
            return -1;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // the command name (field 2) may hold spaces: count fields after its closing parenthesis
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** @return {busy, total} ticks of all CPUs from the first line of /proc/stat, null when unknown */
    static long[] machineTicks() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/stat"));
            String[] f = lines.get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return new long[] {total - idle, total};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
