package com.idynic.eventbus.bench;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Command-line options of the benchmark program; {@code bench/run.sh} passes them.
 *
 * <pre>
 * java -jar bench/target/bench.jar --url http://127.0.0.1:9080 --env-file bench/.state/eventbus.env
 *     [--quick] [--out bench/results] [--run-id 20261130T120000Z] [--liberty-pid N] [--clk-tck 100]
 *     [--starts FILE] [--git-commit abc1234] [--java-version TEXT] [--only anchors,bus.publish,...]
 *     [--warmup SECONDS] [--measure SECONDS] [--backlog N] [--rabbit 127.0.0.1:5672] [--nats nats://127.0.0.1:4222]
 *     [--wlp ear/target/liberty/wlp] [--server-name eventbus] [--devstack-pid N]
 * </pre>
 *
 * <p>{@code --only} runs the sections whose names start with one of the given prefixes ({@code setup},
 * {@code anchors.pg|kafka|rabbitmq|nats}, {@code bus.publish|batch|sdk|ceiling|fanout|keepup|latency.webhook|latency.cdi
 * |catchup|replay|cdi.keepup|cdi.drain|cdi.publish|pull|cost|search|twoservers}; {@code bus.cdi} runs the three CDI
 * ones); {@code --backlog N} fixes the catch-up backlog (and so the CDI drain's) instead of sizing it from the
 * measured rates. {@code bus.twoservers} (one server against two) runs only when {@code --only} names it exactly.
 * {@code --wlp} and {@code --server-name} locate the benchmarked Liberty server, which the
 * two-servers scenario copies to start a second one; {@code --devstack-pid} lets it tell PostgreSQL, Kafka and Redis
 * from the machine's other processes in its CPU figures.
 */
record Options(
        URI url,
        Path envFile,
        Path outDir,
        String runId,
        boolean quick,
        long libertyPid,
        int clkTck,
        Path starts,
        String gitCommit,
        String javaVersion,
        List<String> only,
        Plan plan,
        String rabbit,
        String nats,
        Path wlp,
        String serverName,
        long devstackPid) {

    static Options parse(String[] args) {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument: " + args[i]);
            }
            String name = args[i].substring(2);
            boolean flag = i + 1 >= args.length || args[i + 1].startsWith("--");
            o.put(name, flag ? "true" : args[++i]);
        }
        boolean quick = Boolean.parseBoolean(o.getOrDefault("quick", "false"));
        Plan plan = quick ? Plan.QUICK : Plan.FULL;
        if (o.containsKey("warmup") || o.containsKey("measure") || o.containsKey("backlog")) {
            plan = plan.with(
                    Double.parseDouble(o.getOrDefault("warmup", String.valueOf(plan.warmupSeconds()))),
                    Double.parseDouble(o.getOrDefault("measure", String.valueOf(plan.measureSeconds()))),
                    Integer.parseInt(o.getOrDefault("backlog", String.valueOf(plan.backlog()))),
                    o.containsKey("backlog") || plan.backlogFixed());
        }
        String envFile = o.get("env-file");
        if (envFile == null) {
            throw new IllegalArgumentException("--env-file is required (the devstack env file)");
        }
        List<String> only = new ArrayList<>();
        if (o.containsKey("only")) {
            for (String s : o.get("only").split(",")) {
                if (!s.isBlank()) {
                    only.add(s.strip());
                }
            }
        }
        return new Options(
                URI.create(o.getOrDefault("url", "http://127.0.0.1:9080")),
                Path.of(envFile),
                Path.of(o.getOrDefault("out", "bench/results")),
                o.getOrDefault("run-id", RunId.now()),
                quick,
                Long.parseLong(o.getOrDefault("liberty-pid", "0")),
                Integer.parseInt(o.getOrDefault("clk-tck", "100")),
                o.containsKey("starts") ? Path.of(o.get("starts")) : null,
                o.getOrDefault("git-commit", "unknown"),
                o.getOrDefault("java-version", System.getProperty("java.vm.name") + " " + Runtime.version()),
                only,
                plan,
                o.getOrDefault("rabbit", "127.0.0.1:5672"),
                o.getOrDefault("nats", "nats://127.0.0.1:4222"),
                o.containsKey("wlp") ? Path.of(o.get("wlp")) : null,
                o.getOrDefault("server-name", "eventbus"),
                Long.parseLong(o.getOrDefault("devstack-pid", "0")));
    }

    /** @return whether the section runs: all do unless {@code --only} names some (by prefix) */
    boolean runs(String section) {
        return only.isEmpty() || only.stream().anyMatch(section::startsWith);
    }
}
