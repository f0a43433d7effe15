package com.idynic.eventbus.devstack;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Starts what the bus needs and is not configured: PostgreSQL, Kafka and Redis. A dependency whose
 * environment variable is already set ({@code EVENTBUS_DB_HOST}, {@code EVENTBUS_KAFKA_BOOTSTRAP},
 * {@code EVENTBUS_REDIS_URL}) is used as configured instead. When everything is up, writes the
 * connection settings as {@code KEY=value} lines to the env file (Liberty reads it as {@code server.env}),
 * created owner-only (0600) because it holds the passwords and keys. It also writes {@code EVENTBUS_WEBHOOK_DENY}:
 * the bus's HTTP/HTTPS ports, the dependencies' ports and the control port, refused to webhooks on loopback (after
 * any entries given with {@code --set}), since the run mode and the tests allow webhooks to loopback.
 *
 * <p>PostgreSQL keeps its durable defaults ({@code fsync} and {@code synchronous_commit} on);
 * {@code --unsafe-no-fsync} turns both off, for throw-away test data only. The control port (loopback only)
 * takes {@code POST} requests carrying {@code Authorization: Bearer} and the {@code DEVSTACK_CONTROL_TOKEN}
 * from the env file, a random token made at each start.
 *
 * <pre>
 * java -jar devstack.jar start [--background] --data DIR [--fresh] --env-file FILE [--reserve NAME]... [--set NAME=VALUE]...
 *     [--pg-port N] [--kafka-port N] [--kafka-controller-port N] [--redis-port N] [--control-port N]
 *     [--unsafe-no-fsync]
 * java -jar devstack.jar stop --env-file FILE
 * java -jar devstack.jar await --env-file FILE [--timeout SECONDS]
 * </pre>
 */
public final class DevStack {
    private final Map<String, Service> services = new LinkedHashMap<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private final CountDownLatch shutdown = new CountDownLatch(1);

    public static void main(String[] args) throws Exception {
        Options opts = Options.parse(args);
        String cmd = args.length == 0 ? "help" : args[0];
        switch (cmd) {
            case "start" -> {
                if (opts.has("background")) {
                    Background.start(args, opts);
                } else {
                    new DevStack().start(opts);
                }
            }
            case "stop" -> ControlPort.send(Path.of(opts.one("env-file", null)), "/shutdown");
            case "await" -> Background.await(
                    Path.of(opts.one("env-file", null)), Integer.parseInt(opts.one("timeout", "180")));
            default -> {
                System.err.println("usage: devstack start|stop|await --env-file FILE [options]; see DevStack.java");
                System.exit(2);
            }
        }
    }

    private void start(Options opts) throws Exception {
        Path data = Path.of(opts.one("data", ".eventbus/data")).toAbsolutePath();
        Path envFile = Path.of(opts.one("env-file", data.resolve("eventbus.env").toString()))
                .toAbsolutePath();
        boolean fresh = opts.has("fresh");
        Files.deleteIfExists(envFile);
        if (fresh) {
            deleteTree(data);
        }
        Files.createDirectories(data);
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopAll, "devstack-stop"));

        String dbHost = System.getenv("EVENTBUS_DB_HOST");
        if (dbHost == null || dbHost.isBlank()) {
            int port = port(opts, "pg-port", 15432);
            boolean durable = !opts.has("unsafe-no-fsync");
            if (!durable) {
                System.out.println("devstack: --unsafe-no-fsync: PostgreSQL runs without fsync and synchronous_commit;"
                        + " a crash can lose or corrupt its data");
            }
            Postgres postgres = new Postgres(port, data.resolve("postgres"), Identity.directory(data), durable);
            services.put("postgres", postgres);
            env.putAll(Map.of(
                    "EVENTBUS_DB_HOST",
                    "127.0.0.1",
                    "EVENTBUS_DB_PORT",
                    String.valueOf(port),
                    "EVENTBUS_DB_NAME",
                    Postgres.DATABASE,
                    "EVENTBUS_DB_USER",
                    Postgres.USER,
                    "EVENTBUS_DB_PASSWORD",
                    postgres.password()));
        } else {
            for (String k : List.of(
                    "EVENTBUS_DB_HOST",
                    "EVENTBUS_DB_PORT",
                    "EVENTBUS_DB_NAME",
                    "EVENTBUS_DB_USER",
                    "EVENTBUS_DB_PASSWORD")) {
                if (System.getenv(k) != null) {
                    env.put(k, System.getenv(k));
                }
            }
        }
        List<Integer> portsNotInEnv = new ArrayList<>();
        String kafka = System.getenv("EVENTBUS_KAFKA_BOOTSTRAP");
        if (kafka == null || kafka.isBlank()) {
            int port = port(opts, "kafka-port", 19092);
            int controller = port(opts, "kafka-controller-port", 19093);
            portsNotInEnv.add(controller);
            services.put("kafka", new Kafka(port, controller, data.resolve("kafka"), opts.one("kafka-heap", "256m")));
            env.put("EVENTBUS_KAFKA_BOOTSTRAP", "127.0.0.1:" + port);
        } else {
            env.put("EVENTBUS_KAFKA_BOOTSTRAP", kafka);
        }
        String redis = System.getenv("EVENTBUS_REDIS_URL");
        if (redis == null || redis.isBlank()) {
            int port = port(opts, "redis-port", 16379);
            String password = Identity.secret(Identity.directory(data).resolve("redis.password"));
            services.put("redis", new Redis(port, password));
            env.put("EVENTBUS_REDIS_URL", "redis://:" + password + "@127.0.0.1:" + port);
        } else {
            env.put("EVENTBUS_REDIS_URL", redis);
        }
        if (System.getenv("EVENTBUS_JWT_PUBLIC_KEY") == null) {
            env.putAll(Identity.ensure(data));
        }
        for (String name : opts.all("reserve")) {
            env.put(name, String.valueOf(freePort(0)));
        }
        for (String kv : opts.all("set")) {
            String[] p = kv.split("=", 2);
            env.put(p[0], p.length > 1 ? p[1] : "");
        }
        String token = Identity.newSecret();
        HttpServer control = ControlPort.serve(port(opts, "control-port", 0), token, services, shutdown::countDown);
        env.put("DEVSTACK_CONTROL", "http://127.0.0.1:" + control.getAddress().getPort());
        env.put("DEVSTACK_CONTROL_TOKEN", token);
        env.put(WebhookDenyList.NAME, WebhookDenyList.of(env, portsNotInEnv));

        for (Service s : services.values()) {
            long t0 = System.nanoTime();
            try {
                s.start();
            } catch (Exception e) {
                // the services already started would keep this process alive, and a caller waiting for ready
                // would wait forever: stop them and end with an error instead
                System.err.println("devstack: " + s.name() + " did not start: " + e);
                control.stop(0);
                stopAll();
                System.exit(1);
            }
            System.out.printf("devstack: %s started in %d ms%n", s.name(), (System.nanoTime() - t0) / 1_000_000);
        }
        StringBuilder sb = new StringBuilder();
        env.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        Files.createDirectories(envFile.getParent());
        Identity.writeSecret(envFile, sb.toString());
        System.out.println("devstack: ready; settings in " + envFile);
        System.out.print(redacted(sb.toString()));
        String watch = opts.one("watch-pid", "");
        if (!watch.isEmpty()) {
            ProcessHandle.of(Long.parseLong(watch))
                    .ifPresentOrElse(p -> p.onExit().thenRun(shutdown::countDown), shutdown::countDown);
        }
        shutdown.await();
        control.stop(0);
        stopAll();
        System.exit(0);
    }

    private synchronized void stopAll() {
        List<Service> reversed = new ArrayList<>(services.values());
        java.util.Collections.reverse(reversed);
        for (Service s : reversed) {
            try {
                if (s.running()) {
                    s.stop();
                    System.out.println("devstack: " + s.name() + " stopped");
                }
            } catch (Exception e) {
                System.err.println("devstack: stopping " + s.name() + " failed: " + e);
            }
        }
    }

    /** The env file for a terminal or a CI log: passwords, keys and tokens left out (they stay in the file). */
    static String redacted(String env) {
        StringBuilder out = new StringBuilder();
        for (String line : env.split("\n")) {
            int eq = line.indexOf('=');
            String name = eq < 0 ? line : line.substring(0, eq);
            boolean secret = name.matches(".*(PASSWORD|KEY|TOKEN|SECRET).*")
                    && !name.endsWith("PUBLIC_KEY")
                    && !name.endsWith("PRIVATE_KEY");
            if (name.equals("EVENTBUS_REDIS_URL")) {
                out.append(line.replaceAll("//:[^@]*@", "//:***@"));
            } else {
                out.append(secret && eq >= 0 ? name + "=***" : line);
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static int port(Options opts, String name, int preferred) throws IOException {
        return freePort(Integer.parseInt(opts.one(name, String.valueOf(preferred))));
    }

    /** @return {@code preferred} when it is free, otherwise any free port (0 means any) */
    static int freePort(int preferred) throws IOException {
        if (preferred > 0) {
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress("127.0.0.1", preferred));
                return preferred;
            } catch (IOException taken) {
                // fall through to any free port
            }
        }
        // Below Linux's ephemeral range (32768-60999): a port picked there can be taken by any outgoing
        // connection before the service binds it (seen: Kafka failing with "Address already in use").
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 50; attempt++) {
            int candidate = random.nextInt(20_000, 32_000);
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress("127.0.0.1", candidate));
                return candidate;
            } catch (IOException taken) {
                // try another
            }
        }
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (var walk = Files.walk(p)) {
            for (Path q : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
