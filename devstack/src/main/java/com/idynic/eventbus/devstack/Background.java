package com.idynic.eventbus.devstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code start --background} and {@code await}: the stack in a child process of its own, ready once it has
 * written its env file.
 */
final class Background {
    private Background() {}

    /**
     * Starts the stack in a child process that outlives this one (but not the process that called us,
     * e.g. Maven: {@code --watch-pid}), and returns once it is ready.
     */
    static void start(String[] args, Options opts) throws Exception {
        Path data = Path.of(opts.one("data", ".eventbus/data")).toAbsolutePath();
        Path envFile = Path.of(opts.one("env-file", data.resolve("eventbus.env").toString()))
                .toAbsolutePath();
        Files.deleteIfExists(envFile);
        Files.createDirectories(data.getParent());
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.add("-jar");
        cmd.add(Path.of(DevStack.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI())
                .toString());
        for (String a : args) {
            if (!a.equals("--background")) {
                cmd.add(a);
            }
        }
        ProcessHandle.current().parent().ifPresent(p -> {
            cmd.add("--watch-pid");
            cmd.add(String.valueOf(p.pid()));
        });
        Path log = data.resolveSibling("devstack.log");
        Identity.writeSecret(log, "");
        Process child = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        long deadline = System.nanoTime() + Integer.parseInt(opts.one("timeout", "240")) * 1_000_000_000L;
        while (!Files.exists(envFile)) {
            if (!child.isAlive() || System.nanoTime() > deadline) {
                child.destroy();
                System.err.println("devstack: failed to start; see " + log);
                System.err.println(Files.readString(log));
                System.exit(1);
            }
            Thread.sleep(200);
        }
        System.out.println("devstack: running in the background (pid " + child.pid() + "); settings in " + envFile);
        System.out.print(DevStack.redacted(Files.readString(envFile)));
    }

    /** Waits until the stack started with this env file is ready (the file exists), or exits with 1. */
    static void await(Path envFile, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!Files.exists(envFile)) {
            if (System.nanoTime() > deadline) {
                System.err.println("devstack: not ready after " + seconds + " s (" + envFile + ")");
                System.exit(1);
            }
            Thread.sleep(200);
        }
        System.out.println("devstack: ready (" + envFile + ")");
    }
}
