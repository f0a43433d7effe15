package com.idynic.eventbus.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A second Liberty server beside the benchmarked one, as {@code TwoServersIT} makes it: a copy of the first
 * server's directory (configuration, apps, {@code server.env}; not its logs, work area or transaction log) with
 * its own HTTP and HTTPS ports in {@code server.env}, started with {@code bin/server start}. Same PostgreSQL,
 * Kafka and Redis. {@link #close()} stops it ({@code server stop}, then its pid) whatever happened.
 */
final class SecondServer implements AutoCloseable {
    static final String NAME = "eventbus2";

    private final Path wlp;
    private final Path dir;
    private final int port;
    private final Path log;
    private long pid;
    private boolean started;

    private SecondServer(Path wlp, Path dir, int port, Path log) {
        this.wlp = wlp;
        this.dir = dir;
        this.port = port;
        this.log = log;
    }

    /**
     * Copies server {@code first} of the Liberty installation {@code wlp} and starts the copy; returns once its
     * {@code /health/ready} answers 200, or fails (and stops what it started).
     */
    static SecondServer start(Path wlp, String first, BusClient probe, Duration ready) throws Exception {
        Path servers = wlp.resolve("usr").resolve("servers");
        Path dir = servers.resolve(NAME);
        if (Files.exists(dir.resolve("workarea").resolve(".sPid"))) {
            run(wlp, Duration.ofSeconds(60), null, "stop", NAME);
        }
        deleteTree(dir);
        copyServer(servers.resolve(first), dir);
        int port = freePort();
        Path env = dir.resolve("server.env");
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(env)) {
            if (!line.startsWith("EVENTBUS_HTTP_PORT=") && !line.startsWith("EVENTBUS_HTTPS_PORT=")) {
                lines.add(line);
            }
        }
        lines.add("EVENTBUS_HTTP_PORT=" + port);
        lines.add("EVENTBUS_HTTPS_PORT=" + freePort());
        Files.write(env, lines);
        SecondServer s = new SecondServer(wlp, dir, port, Files.createTempFile("eventbus2-", ".log"));
        try {
            s.started = true;
            run(wlp, Duration.ofSeconds(120), s.log, "start", NAME);
            BusClient second = new BusClient(s.url(), probe.apiKey());
            Waits.require("the second server's /health/ready", ready, Duration.ofMillis(250), () -> {
                return second.getOpenStatus("/health/ready") == 200;
            });
            s.pid = s.readPid();
            return s;
        } catch (Exception | Error e) {
            s.close();
            throw e;
        }
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** @return the server's pid, 0 when unknown */
    long pid() {
        return pid;
    }

    /**
     * @return the server's pid: from {@code server start}'s answer ("started with process ID N"), else the work
     *     area's {@code .sPid}, else the running {@code ws-server.jar} of this server's name; 0 when none says
     */
    private long readPid() {
        try {
            java.util.regex.Matcher m =
                    java.util.regex.Pattern.compile("process ID (\\d+)").matcher(Files.readString(log));
            if (m.find()) {
                return Long.parseLong(m.group(1));
            }
        } catch (IOException | RuntimeException e) {
            // the next source says
        }
        try {
            return Long.parseLong(
                    Files.readString(dir.resolve("workarea").resolve(".sPid")).replaceAll("[^0-9]", ""));
        } catch (IOException | NumberFormatException e) {
            return ProcessHandle.allProcesses()
                    .filter(p -> {
                        String c = p.info().commandLine().orElse("");
                        return c.contains("ws-server.jar") && c.contains(" " + NAME);
                    })
                    .map(ProcessHandle::pid)
                    .findFirst()
                    .orElse(0L);
        }
    }

    @Override
    public void close() {
        if (!started) {
            return;
        }
        started = false;
        long p = pid > 0 ? pid : readPid();
        try {
            run(wlp, Duration.ofSeconds(90), log, "stop", NAME);
        } catch (Exception e) {
            System.err.println("bench: server stop " + NAME + " failed: " + e);
        }
        if (p > 0) {
            ProcessHandle.of(p).ifPresent(h -> {
                h.destroy();
                try {
                    h.onExit().get(20, TimeUnit.SECONDS);
                } catch (Exception e) {
                    h.destroyForcibly();
                }
            });
        }
    }

    private static void run(Path wlp, Duration timeout, Path log, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(wlp.resolve("bin").resolve("server").toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.redirectOutput(
                log == null ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.appendTo(log.toFile()));
        Process p = pb.start();
        if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(
                    "server " + String.join(" ", args) + " did not return in " + timeout.toSeconds() + " s");
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Copies the server's configuration and apps, not its logs, work area or transaction log. */
    static void copyServer(Path from, Path to) throws IOException {
        Set<String> skipped = Set.of("logs", "workarea", "tranlog");
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path rel = from.relativize(p);
                if (rel.getNameCount() > 0 && skipped.contains(rel.getName(0).toString())) {
                    continue;
                }
                Path target = to.resolve(rel.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
