package com.idynic.eventbus.devstack;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A single-node KRaft Kafka broker in its own JVM, started from the kafka jars next to this one. Stops
 * with SIGTERM (clean shutdown) so a restart on the same log directory works.
 */
final class Kafka implements Service {
    private final int port;
    private final int controllerPort;
    private final Path dir;
    private final String heap;
    private Process process;

    Kafka(int port, int controllerPort, Path dir, String heap) {
        this.port = port;
        this.controllerPort = controllerPort;
        this.dir = dir;
        this.heap = heap;
    }

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public synchronized void start() throws Exception {
        if (process != null && process.isAlive()) {
            return;
        }
        Files.createDirectories(dir);
        Path props = dir.resolve("server.properties");
        Path logs = dir.resolve("logs");
        Files.writeString(
                props,
                String.join(
                        "\n",
                        List.of(
                                "process.roles=broker,controller",
                                "node.id=1",
                                "controller.quorum.bootstrap.servers=127.0.0.1:" + controllerPort,
                                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:"
                                        + controllerPort,
                                "controller.listener.names=CONTROLLER",
                                "inter.broker.listener.name=PLAINTEXT",
                                "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                                "log.dirs=" + logs.toAbsolutePath(),
                                "num.partitions=1",
                                "num.network.threads=2",
                                "num.io.threads=4",
                                "offsets.topic.replication.factor=1",
                                "offsets.topic.num.partitions=3",
                                "transaction.state.log.replication.factor=1",
                                "transaction.state.log.min.isr=1",
                                "share.coordinator.state.topic.replication.factor=1",
                                "share.coordinator.state.topic.min.isr=1",
                                "group.initial.rebalance.delay.ms=0",
                                "auto.create.topics.enable=false",
                                "log.cleaner.dedupe.buffer.size=8388608",
                                "")));
        Path log4j = dir.resolve("log4j2.properties");
        Files.writeString(
                log4j,
                String.join(
                        "\n",
                        List.of(
                                "status=warn",
                                "appender.out.type=Console",
                                "appender.out.name=OUT",
                                "appender.out.layout.type=PatternLayout",
                                "appender.out.layout.pattern=[%d] %p %m (%c)%n",
                                "rootLogger.level=INFO",
                                "rootLogger.appenderRef.out.ref=OUT",
                                "logger.state.name=state.change.logger",
                                "logger.state.level=WARN",
                                "")));
        if (!Files.exists(logs.resolve("meta.properties"))) {
            run(
                    List.of(
                            "kafka.tools.StorageTool",
                            "format",
                            "-t",
                            randomClusterId(),
                            "-c",
                            props.toString(),
                            "--standalone"),
                    dir.resolve("format.log"),
                    true);
        }
        process = run(List.of("kafka.Kafka", props.toString()), dir.resolve("broker.log"), false);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Kafka exited; see " + dir.resolve("broker.log"));
            }
            if (Files.readString(dir.resolve("broker.log")).contains("Kafka Server started") && listening()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("Kafka did not start within 90 s; see " + dir.resolve("broker.log"));
    }

    private boolean listening() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private Process run(List<String> mainAndArgs, Path log, boolean wait) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(List.of(
                "-Xms" + heap,
                "-Xmx" + heap,
                "-XX:+UseG1GC",
                "-XX:+ExitOnOutOfMemoryError",
                "-Djava.awt.headless=true",
                "-Dlog4j2.configurationFile=" + dir.resolve("log4j2.properties"),
                "-cp",
                libDir() + File.separator + "*"));
        cmd.addAll(mainAndArgs);
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (wait && p.waitFor() != 0) {
            throw new IllegalStateException("command failed: " + mainAndArgs + "; see " + log);
        }
        return p;
    }

    private static String randomClusterId() {
        return org.apache.kafka.common.Uuid.randomUuid().toString();
    }

    private static Path libDir() throws Exception {
        Path self = Path.of(
                Kafka.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return self.getParent().resolve("lib");
    }

    @Override
    public synchronized void stop() throws Exception {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        process = null;
    }

    /** SIGKILL: the broker's next start on the same log directory may fail for a few seconds (its old registration). */
    @Override
    public synchronized void kill() throws Exception {
        if (process == null) {
            return;
        }
        process.destroyForcibly().waitFor();
        process = null;
    }

    @Override
    public synchronized boolean running() {
        return process != null && process.isAlive();
    }
}
