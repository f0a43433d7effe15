package com.idynic.eventbus.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.yaml.snakeyaml.Yaml;

/**
 * The deployment files in {@code deploy/} (Dockerfile, compose.yaml with its HAProxy config and env file, the
 * Kubernetes manifests), checked statically: no container engine runs them here. Every YAML file parses; every
 * health check and probe asks one of the endpoints the server serves, on its HTTP port; every {@code EVENTBUS_*}
 * variable they set is one the server reads, and the ones production needs are set for every bus server; the image
 * gets each file server.xml references where the server looks for it.
 *
 * <p>What the server reads is derived from its sources at test time, not from a list kept here or the README: the
 * {@code <variable name="eventbus.…">}s of liberty-config/server.xml (Liberty resolves them from the environment) and
 * every {@code "eventbus.…"} string literal in the main Java sources (the keys the code asks MicroProfile Config for:
 * SettingsWiring, ClientSettings, SecretBox…). The literals also hold a few metric names, which only widens the set
 * by names nobody sets. The README's Configuration table is checked against the same set, so a table entry that
 * names no real setting fails here too.
 */
class DeployFilesTest {
    static final Path ROOT = Path.of("..");
    static final Path DEPLOY = ROOT.resolve("deploy");
    static final Set<String> HEALTH = Set.of("/health/live", "/health/ready", "/health/started");
    static final Pattern ENV_NAME = Pattern.compile("EVENTBUS_[A-Z0-9_]+");

    /** What production cannot run without: the database, Kafka, Redis, the admin key, secrets at rest, the JWT pair. */
    static final Set<String> REQUIRED = Set.of(
            "EVENTBUS_DB_HOST",
            "EVENTBUS_DB_PORT",
            "EVENTBUS_DB_NAME",
            "EVENTBUS_DB_USER",
            "EVENTBUS_DB_PASSWORD",
            "EVENTBUS_KAFKA_BOOTSTRAP",
            "EVENTBUS_KAFKA_REPLICATION_FACTOR",
            "EVENTBUS_REDIS_URL",
            "EVENTBUS_AUTH_ADMIN_KEY",
            "EVENTBUS_SECRETS_KEY",
            "EVENTBUS_JWT_PUBLIC_KEY",
            "EVENTBUS_JWT_PRIVATE_KEY",
            "EVENTBUS_KEYSTORE_PASSWORD",
            "EVENTBUS_LOG_FORMAT");

    // ---------------------------------------------------------------- what the server reads

    /** @return {@code eventbus.db.pool.max} as the environment variable MicroProfile Config and Liberty read */
    static String envName(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    static Document serverXml() throws Exception {
        try (InputStream in = Files.newInputStream(ROOT.resolve("liberty-config/server.xml"))) {
            return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
        }
    }

    /** @return server.xml's variables (name to defaultValue or value) */
    static Map<String, String> serverVariables() throws Exception {
        Map<String, String> vars = new TreeMap<>();
        NodeList list = serverXml().getElementsByTagName("variable");
        for (int i = 0; i < list.getLength(); i++) {
            Element v = (Element) list.item(i);
            vars.put(
                    v.getAttribute("name"),
                    v.hasAttribute("defaultValue") ? v.getAttribute("defaultValue") : v.getAttribute("value"));
        }
        return vars;
    }

    /** @return every {@code EVENTBUS_*} variable the server reads (see the class comment) */
    static Set<String> known() throws Exception {
        Set<String> keys = new TreeSet<>();
        for (String name : serverVariables().keySet()) {
            if (name.startsWith("eventbus.")) {
                keys.add(envName(name));
            }
        }
        Pattern literal = Pattern.compile("\"(eventbus\\.[a-z0-9.-]+)\"");
        List<Path> sources = new ArrayList<>();
        try (Stream<Path> modules = Files.list(ROOT.resolve("modules"))) {
            modules.map(m -> m.resolve("src/main/java")).forEach(sources::add);
        }
        sources.add(ROOT.resolve("webapp-api/src/main/java"));
        sources.add(ROOT.resolve("webapp-admin/src/main/java"));
        int files = 0;
        for (Path dir : sources) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path f : walk.filter(p -> p.toString().endsWith(".java")).toList()) {
                    files++;
                    Matcher m = literal.matcher(Files.readString(f));
                    while (m.find()) {
                        keys.add(envName(m.group(1)));
                    }
                }
            }
        }
        assertTrue(files > 50, "main sources found: " + files);
        return keys;
    }

    /** @return server.xml's HTTP port: its variable's default unless {@code EVENTBUS_HTTP_PORT} overrides it */
    static int httpPort(Map<String, String> env) throws Exception {
        String port = env.getOrDefault("EVENTBUS_HTTP_PORT", serverVariables().get("eventbus.http.port"));
        return Integer.parseInt(port);
    }

    // ---------------------------------------------------------------- YAML

    static List<Path> yamlFiles() throws IOException {
        try (Stream<Path> walk = Files.walk(DEPLOY)) {
            return walk.filter(
                            p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .sorted()
                    .toList();
        }
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> documents(Path file) throws IOException {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object doc : new Yaml().loadAll(Files.readString(file))) {
            if (doc != null) {
                docs.add((Map<String, Object>) doc);
            }
        }
        return docs;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o, String what) {
        assertTrue(o instanceof Map, what + " is a mapping: " + o);
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o, String what) {
        assertTrue(o instanceof List, what + " is a list: " + o);
        return (List<Object>) o;
    }

    /** @return a compose service's environment, in either of compose's forms (mapping or KEY=value list) */
    static Map<String, String> environment(Map<String, Object> service) {
        Map<String, String> env = new TreeMap<>();
        Object e = service.get("environment");
        if (e instanceof Map<?, ?> m) {
            m.forEach((k, v) -> env.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
        } else if (e instanceof List<?> l) {
            for (Object item : l) {
                String s = String.valueOf(item);
                int eq = s.indexOf('=');
                env.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? "" : s.substring(eq + 1));
            }
        }
        return env;
    }

    @Test
    void everyYamlFileParsesAndEveryKubernetesDocumentNamesItsKind() throws IOException {
        List<Path> files = yamlFiles();
        assertTrue(files.contains(DEPLOY.resolve("compose.yaml")), files.toString());
        Set<String> kinds = new TreeSet<>();
        for (Path f : files) {
            List<Map<String, Object>> docs = documents(f);
            assertFalse(docs.isEmpty(), f + " has a document");
            if (f.startsWith(DEPLOY.resolve("k8s"))) {
                for (Map<String, Object> d : docs) {
                    assertNotNull(d.get("apiVersion"), f + ": apiVersion");
                    assertNotNull(d.get("kind"), f + ": kind");
                    if (!"Kustomization".equals(d.get("kind"))) {
                        assertNotNull(map(d.get("metadata"), f + " metadata").get("name"), f + ": metadata.name");
                    }
                    kinds.add(String.valueOf(d.get("kind")));
                }
            }
        }
        assertEquals(
                Set.of(
                        "Namespace",
                        "ConfigMap",
                        "Secret",
                        "Deployment",
                        "Service",
                        "HorizontalPodAutoscaler",
                        "PodDisruptionBudget",
                        "Kustomization"),
                kinds);
    }

    @Test
    void theReadmesConfigurationTableNamesOnlyVariablesTheServerReads() throws Exception {
        String readme = Files.readString(ROOT.resolve("README.md"));
        int from = readme.indexOf("\n## Configuration");
        int to = readme.indexOf("\n## ", from + 1);
        assertTrue(from >= 0 && to > from, "the README has a Configuration section");
        Set<String> documented = new TreeSet<>();
        Matcher m = ENV_NAME.matcher(readme.substring(from, to));
        while (m.find()) {
            documented.add(m.group());
        }
        assertTrue(documented.size() > 40, documented.toString());
        Set<String> unknown = new TreeSet<>(documented);
        unknown.removeAll(known());
        assertEquals(Set.of(), unknown, "documented but read nowhere");
    }

    // ---------------------------------------------------------------- compose

    static Map<String, Object> compose() throws IOException {
        return documents(DEPLOY.resolve("compose.yaml")).get(0);
    }

    /** @return the compose services built from deploy/Dockerfile: the bus servers */
    static Map<String, Map<String, Object>> busServices(Map<String, Object> compose) {
        Map<String, Map<String, Object>> bus = new TreeMap<>();
        map(compose.get("services"), "services").forEach((name, s) -> {
            Map<String, Object> service = map(s, name);
            if (service.get("build") instanceof Map<?, ?> b && "deploy/Dockerfile".equals(b.get("dockerfile"))) {
                bus.put(name, service);
            }
        });
        return bus;
    }

    @Test
    void composeRunsTwoBusServersWithEveryRequiredVariableAndOnlyVariablesTheServerReads() throws Exception {
        Map<String, Object> compose = compose();
        Map<String, Map<String, Object>> bus = busServices(compose);
        assertEquals(Set.of("bus-1", "bus-2"), bus.keySet());
        Set<String> known = known();
        for (var e : bus.entrySet()) {
            Map<String, String> env = environment(e.getValue());
            Set<String> missing = new TreeSet<>(REQUIRED);
            env.forEach((k, v) -> {
                if (!v.isBlank()) {
                    missing.remove(k);
                }
            });
            assertEquals(Set.of(), missing, e.getKey() + " lacks required variables");
            assertEquals("json", env.get("EVENTBUS_LOG_FORMAT"), e.getKey());
        }
        // every EVENTBUS_* set anywhere in compose (the database's container shares the DB password's name)
        map(compose.get("services"), "services").forEach((name, s) -> {
            Set<String> unknown = new TreeSet<>();
            for (String k : environment(map(s, name)).keySet()) {
                if (k.startsWith("EVENTBUS_") && !known.contains(k)) {
                    unknown.add(k);
                }
            }
            assertEquals(Set.of(), unknown, name + " sets variables the server does not read");
        });
    }

    @Test
    void bothBusServersMountTheSameJwtKeyPair() throws IOException {
        Map<String, Object> compose = compose();
        Map<String, Object> secrets = map(compose.get("secrets"), "top-level secrets");
        Set<String> sources = new TreeSet<>();
        for (var e : busServices(compose).entrySet()) {
            Map<String, String> env = environment(e.getValue());
            List<Object> mounted = list(e.getValue().get("secrets"), e.getKey() + " secrets");
            for (String var : List.of("EVENTBUS_JWT_PRIVATE_KEY", "EVENTBUS_JWT_PUBLIC_KEY")) {
                String path = env.get(var).replaceFirst("^file:", "");
                assertTrue(path.startsWith("/run/secrets/"), e.getKey() + " " + var + " is a mounted secret: " + path);
                String secret = path.substring("/run/secrets/".length());
                assertTrue(mounted.contains(secret), e.getKey() + " mounts " + secret);
                sources.add(var + "=" + map(secrets.get(secret), secret).get("file"));
            }
        }
        assertEquals(
                Set.of(
                        "EVENTBUS_JWT_PRIVATE_KEY=./secrets/jwt-private.pem",
                        "EVENTBUS_JWT_PUBLIC_KEY=./secrets/jwt-public.pem"),
                sources,
                "one key pair for both servers");
    }

    @Test
    void composeTakesEverySecretFromTheEnvFileWhoseExampleHoldsNoValues() throws IOException {
        String text = Files.readString(DEPLOY.resolve("compose.yaml"));
        Set<String> referenced = new TreeSet<>();
        Matcher m = Pattern.compile("\\$\\{([A-Z0-9_]+)").matcher(text);
        while (m.find()) {
            referenced.add(m.group(1));
        }
        Map<String, String> example = new LinkedHashMap<>();
        for (String line : Files.readAllLines(DEPLOY.resolve(".env.example"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                int eq = line.indexOf('=');
                assertTrue(eq > 0, line);
                example.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        assertEquals(referenced, example.keySet(), "compose.yaml's ${...} and .env.example's keys");
        example.forEach((k, v) -> assertEquals("", v, k + " has no value in the example"));
        assertTrue(Files.readString(ROOT.resolve(".gitignore")).lines().anyMatch("deploy/.env"::equals));
    }

    @Test
    void composeAndTheProxyCheckTheBusHealthEndpointsOnItsHttpPort() throws Exception {
        Pattern url = Pattern.compile("https?://[^/:\\s]+:(\\d+)(/[^\\s\"',\\]]*)");
        for (var e : busServices(compose()).entrySet()) {
            int port = httpPort(environment(e.getValue()));
            Map<String, Object> hc = map(e.getValue().get("healthcheck"), e.getKey() + " healthcheck");
            Matcher m = url.matcher(String.valueOf(hc.get("test")));
            assertTrue(m.find(), e.getKey() + " healthcheck asks a URL: " + hc.get("test"));
            assertEquals(port, Integer.parseInt(m.group(1)), e.getKey() + " healthcheck port");
            assertTrue(HEALTH.contains(m.group(2)), e.getKey() + " healthcheck path " + m.group(2));
        }

        String cfg = Files.readString(DEPLOY.resolve("haproxy/haproxy.cfg"));
        Matcher uri =
                Pattern.compile("(?m)^\\s*http-check send .*\\buri (\\S+)").matcher(cfg);
        assertTrue(uri.find(), "the proxy checks the servers' health");
        assertEquals("/health/ready", uri.group(1), "the proxy routes by readiness");
        assertTrue(cfg.contains("http-check expect status 200"));
        Matcher server =
                Pattern.compile("(?m)^\\s*server (\\S+) (\\S+):(\\d+) (.*)$").matcher(cfg);
        Set<String> servers = new TreeSet<>();
        Map<String, Map<String, Object>> bus = busServices(compose());
        while (server.find()) {
            servers.add(server.group(2));
            assertTrue(bus.containsKey(server.group(2)), "proxy server " + server.group(2) + " is a bus service");
            assertEquals(
                    httpPort(environment(bus.get(server.group(2)))),
                    Integer.parseInt(server.group(3)),
                    "proxy port of " + server.group(2));
            assertTrue(server.group(4).contains("check"), server.group() + " is health-checked");
        }
        assertEquals(bus.keySet(), servers, "the proxy sends to every bus server");
    }

    @Test
    void kafkaHasThreeBrokersAndTheBusReplicatesItsTopicToAllWithTwoInSync() throws Exception {
        Map<String, Object> compose = compose();
        List<Map<String, String>> brokers = new ArrayList<>();
        map(compose.get("services"), "services").forEach((name, s) -> {
            Map<String, String> env = environment(map(s, name));
            if (env.containsKey("KAFKA_PROCESS_ROLES")) {
                brokers.add(env);
            }
        });
        assertEquals(3, brokers.size());
        for (Map<String, String> b : brokers) {
            assertEquals("3", b.get("KAFKA_DEFAULT_REPLICATION_FACTOR"));
            assertEquals("2", b.get("KAFKA_MIN_INSYNC_REPLICAS"));
            assertEquals("3", b.get("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR"));
            assertEquals(3, b.get("KAFKA_CONTROLLER_QUORUM_VOTERS").split(",").length);
        }
        for (var e : busServices(compose).entrySet()) {
            Map<String, String> env = environment(e.getValue());
            assertEquals("3", env.get("EVENTBUS_KAFKA_REPLICATION_FACTOR"), e.getKey());
            assertEquals(3, env.getOrDefault("EVENTBUS_KAFKA_BOOTSTRAP", "").split(",").length, e.getKey());
            int pool = Integer.parseInt(
                    env.getOrDefault("EVENTBUS_DB_POOL_MAX", serverVariables().get("eventbus.db.pool.max")));
            assertTrue(busServices(compose).size() * pool <= 97, "connections fit PostgreSQL's max_connections");
        }
    }

    // ---------------------------------------------------------------- Kubernetes

    static Map<String, Map<String, Object>> k8s() throws IOException {
        Map<String, Map<String, Object>> byKindAndName = new LinkedHashMap<>();
        for (Path f : yamlFiles()) {
            if (f.startsWith(DEPLOY.resolve("k8s"))) {
                for (Map<String, Object> d : documents(f)) {
                    Object meta = d.get("metadata");
                    String name = meta instanceof Map<?, ?> mm ? String.valueOf(mm.get("name")) : "";
                    byKindAndName.put(d.get("kind") + "/" + name, d);
                }
            }
        }
        return byKindAndName;
    }

    static Map<String, Object> at(Map<String, Object> doc, String... path) {
        Map<String, Object> m = doc;
        for (String p : path) {
            m = map(m.get(p), String.join(".", path));
        }
        return m;
    }

    static Map<String, Object> busContainer(Map<String, Map<String, Object>> k8s) {
        Map<String, Object> pod = at(k8s.get("Deployment/eventbus"), "spec", "template", "spec");
        List<Object> containers = list(pod.get("containers"), "containers");
        assertEquals(1, containers.size());
        return map(containers.get(0), "container");
    }

    /** @return the container's environment: envFrom ConfigMaps and Secrets (from their manifests), then env */
    static Map<String, String> podEnvironment(Map<String, Map<String, Object>> k8s) {
        Map<String, Object> c = busContainer(k8s);
        Map<String, String> env = new TreeMap<>();
        for (Object from : list(c.get("envFrom"), "envFrom")) {
            Map<String, Object> f = map(from, "envFrom item");
            if (f.get("configMapRef") != null) {
                String name = String.valueOf(
                        map(f.get("configMapRef"), "configMapRef").get("name"));
                Map<String, Object> cm = k8s.get("ConfigMap/" + name);
                assertNotNull(cm, "ConfigMap " + name);
                map(cm.get("data"), name).forEach((k, v) -> env.put(k, String.valueOf(v)));
            }
            if (f.get("secretRef") != null) {
                String name =
                        String.valueOf(map(f.get("secretRef"), "secretRef").get("name"));
                Map<String, Object> s = k8s.get("Secret/" + name);
                assertNotNull(s, "Secret " + name + " (template)");
                map(s.get("stringData"), name).forEach((k, v) -> env.put(k, String.valueOf(v)));
            }
        }
        if (c.get("env") != null) {
            for (Object o : list(c.get("env"), "env")) {
                Map<String, Object> e = map(o, "env item");
                env.put(String.valueOf(e.get("name")), String.valueOf(e.getOrDefault("value", "(from a reference)")));
            }
        }
        return env;
    }

    @Test
    void theDeploymentGetsEveryRequiredVariableAndOnlyVariablesTheServerReads() throws Exception {
        Map<String, Map<String, Object>> k8s = k8s();
        assertEquals(2, at(k8s.get("Deployment/eventbus"), "spec").get("replicas"));
        Map<String, String> env = podEnvironment(k8s);
        Set<String> missing = new TreeSet<>(REQUIRED);
        missing.removeAll(env.keySet());
        assertEquals(Set.of(), missing, "the Deployment lacks required variables");
        assertEquals("json", env.get("EVENTBUS_LOG_FORMAT"));

        Set<String> known = known();
        Set<String> unknown = new TreeSet<>();
        for (var d : k8s.entrySet()) {
            if (d.getKey().startsWith("ConfigMap/") || d.getKey().startsWith("Secret/")) {
                for (String field : List.of("data", "stringData")) {
                    if (d.getValue().get(field) instanceof Map<?, ?> m) {
                        for (Object k : m.keySet()) {
                            if (String.valueOf(k).startsWith("EVENTBUS_") && !known.contains(String.valueOf(k))) {
                                unknown.add(d.getKey() + ": " + k);
                            }
                        }
                    }
                }
            }
        }
        env.keySet().stream()
                .filter(k -> k.startsWith("EVENTBUS_") && !known.contains(k))
                .forEach(k -> unknown.add("Deployment: " + k));
        assertEquals(Set.of(), unknown, "set but read nowhere");
    }

    @Test
    void everyReplicaMountsTheOneJwtKeyPairFromASecret() throws IOException {
        Map<String, Map<String, Object>> k8s = k8s();
        Map<String, String> env = podEnvironment(k8s);
        Path privateKey = Path.of(env.get("EVENTBUS_JWT_PRIVATE_KEY"));
        Path publicKey = Path.of(env.get("EVENTBUS_JWT_PUBLIC_KEY").replaceFirst("^file:", ""));
        assertEquals(privateKey.getParent(), publicKey.getParent(), "both keys from one mount");

        Map<String, Object> c = busContainer(k8s);
        String volume = null;
        for (Object o : list(c.get("volumeMounts"), "volumeMounts")) {
            Map<String, Object> vm = map(o, "volumeMount");
            if (Path.of(String.valueOf(vm.get("mountPath"))).equals(privateKey.getParent())) {
                volume = String.valueOf(vm.get("name"));
                assertEquals(Boolean.TRUE, vm.get("readOnly"));
            }
        }
        assertNotNull(volume, "a volume is mounted at " + privateKey.getParent());
        String secretName = null;
        for (Object o : list(
                at(k8s.get("Deployment/eventbus"), "spec", "template", "spec").get("volumes"), "vols")) {
            Map<String, Object> v = map(o, "volume");
            if (volume.equals(v.get("name"))) {
                secretName =
                        String.valueOf(map(v.get("secret"), "secret volume").get("secretName"));
            }
        }
        assertNotNull(secretName, "volume " + volume + " is a Secret");
        Map<String, Object> secret = k8s.get("Secret/" + secretName);
        assertNotNull(secret, "the template has Secret " + secretName);
        assertEquals(
                Set.of(
                        privateKey.getFileName().toString(),
                        publicKey.getFileName().toString()),
                map(secret.get("stringData"), secretName).keySet());
    }

    @Test
    void theProbesAskTheHealthEndpointsOnTheHttpPortAndAllowForTheStart() throws Exception {
        Map<String, Map<String, Object>> k8s = k8s();
        Map<String, Object> c = busContainer(k8s);
        int port = httpPort(podEnvironment(k8s));
        Map<String, Integer> ports = new TreeMap<>();
        for (Object o : list(c.get("ports"), "ports")) {
            Map<String, Object> p = map(o, "port");
            ports.put(String.valueOf(p.get("name")), (Integer) p.get("containerPort"));
        }
        Map<String, String> expected = Map.of(
                "startupProbe", "/health/started",
                "readinessProbe", "/health/ready",
                "livenessProbe", "/health/live");
        for (var e : expected.entrySet()) {
            Map<String, Object> probe = map(c.get(e.getKey()), e.getKey());
            Map<String, Object> get = map(probe.get("httpGet"), e.getKey() + ".httpGet");
            String path = String.valueOf(get.get("path"));
            assertTrue(HEALTH.contains(path), e.getKey() + " asks " + path);
            assertEquals(e.getValue(), path, e.getKey());
            Object p = get.get("port");
            assertEquals(port, p instanceof Integer i ? i : ports.get(String.valueOf(p)), e.getKey() + " port");
        }
        // a 25-40 s start, with room: liveness only counts once the startup probe succeeded
        Map<String, Object> startup = map(c.get("startupProbe"), "startupProbe");
        int budget = (Integer) startup.get("periodSeconds") * (Integer) startup.get("failureThreshold");
        assertTrue(budget >= 90 && budget <= 300, "startup budget " + budget + " s");

        Map<String, Object> pod = at(k8s.get("Deployment/eventbus"), "spec", "template", "spec");
        assertTrue((Integer) pod.get("terminationGracePeriodSeconds") >= 30);

        Map<String, Object> service = at(k8s.get("Service/eventbus"), "spec");
        Object target =
                map(list(service.get("ports"), "service ports").get(0), "port").get("targetPort");
        assertEquals(port, target instanceof Integer i ? i : ports.get(String.valueOf(target)), "Service targetPort");
    }

    /** @return a JVM size option (e.g. -Xmx512m) in MiB */
    static long jvmMiB(List<String> options, String prefix) {
        String v = options.stream()
                .filter(o -> o.startsWith(prefix))
                .findFirst()
                .orElseThrow()
                .substring(prefix.length())
                .toLowerCase(Locale.ROOT);
        long n = Long.parseLong(v.replaceAll("[kmg]$", ""));
        return v.endsWith("g") ? n * 1024 : v.endsWith("k") ? n / 1024 : v.endsWith("m") ? n : n / (1024 * 1024);
    }

    /** @return a Kubernetes memory quantity (Mi or Gi) in MiB */
    static long quantityMiB(Object q) {
        String s = String.valueOf(q);
        if (s.endsWith("Gi")) {
            return Long.parseLong(s.substring(0, s.length() - 2)) * 1024;
        }
        assertTrue(s.endsWith("Mi"), "memory in Mi or Gi: " + s);
        return Long.parseLong(s.substring(0, s.length() - 2));
    }

    @Test
    void theMemoryLimitHoldsTheHeapAndMetaspaceOfJvmOptionsAndScalingStaysWithinTheDatabase() throws Exception {
        List<String> jvm = Files.readAllLines(ROOT.resolve("liberty-config/jvm.options")).stream()
                .map(String::strip)
                .toList();
        long heap = jvmMiB(jvm, "-Xmx");
        long metaspace = jvmMiB(jvm, "-XX:MaxMetaspaceSize=");
        Map<String, Map<String, Object>> k8s = k8s();
        Map<String, Object> resources = map(busContainer(k8s).get("resources"), "resources");
        long limit = quantityMiB(map(resources.get("limits"), "limits").get("memory"));
        long request = quantityMiB(map(resources.get("requests"), "requests").get("memory"));
        assertTrue(limit >= heap + metaspace + 192, "limit " + limit + " MiB for heap " + heap + " + " + metaspace);
        assertEquals(limit, request, "memory request = limit: the heap is fixed, the pod is never overcommitted");
        assertNotNull(map(resources.get("requests"), "requests").get("cpu"), "the HPA needs a CPU request");

        Map<String, Object> hpa = at(k8s.get("HorizontalPodAutoscaler/eventbus"), "spec");
        assertEquals(
                "autoscaling/v2", k8s.get("HorizontalPodAutoscaler/eventbus").get("apiVersion"));
        assertEquals(
                "eventbus", map(hpa.get("scaleTargetRef"), "scaleTargetRef").get("name"));
        Map<String, Object> metric = map(list(hpa.get("metrics"), "metrics").get(0), "metric");
        assertEquals("cpu", map(metric.get("resource"), "resource").get("name"));
        assertEquals(2, hpa.get("minReplicas"));
        // PostgreSQL's default max_connections (100) less its 3 reserved for superusers
        int pool = Integer.parseInt(podEnvironment(k8s)
                .getOrDefault("EVENTBUS_DB_POOL_MAX", serverVariables().get("eventbus.db.pool.max")));
        int max = (Integer) hpa.get("maxReplicas");
        assertTrue(max * pool <= 97, max + " replicas x " + pool + " connections fit max_connections");

        Map<String, Object> labels = at(k8s.get("Deployment/eventbus"), "spec", "template", "metadata", "labels");
        Map<String, Object> pdb = at(k8s.get("PodDisruptionBudget/eventbus"), "spec", "selector", "matchLabels");
        Map<String, Object> svc = at(k8s.get("Service/eventbus"), "spec", "selector");
        assertTrue(labels.entrySet().containsAll(pdb.entrySet()), "the PDB selects the pods");
        assertTrue(labels.entrySet().containsAll(svc.entrySet()), "the Service selects the pods");
    }

    // ---------------------------------------------------------------- Dockerfile

    /** @return the Dockerfile's instructions, continuation lines joined, comments dropped */
    static List<String> dockerfile() throws IOException {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String line : Files.readAllLines(DEPLOY.resolve("Dockerfile"))) {
            String s = line.strip();
            if (s.startsWith("#") || (s.isEmpty() && cur.length() == 0)) {
                continue;
            }
            if (s.endsWith("\\")) {
                cur.append(s, 0, s.length() - 1).append(' ');
            } else {
                cur.append(s);
                out.add(cur.toString().replaceAll("\\s+", " ").strip());
                cur.setLength(0);
            }
        }
        return out;
    }

    static String pomProperty(String pom, String name) throws IOException {
        Matcher m =
                Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(Files.readString(ROOT.resolve(pom)));
        assertTrue(m.find(), name + " in " + pom);
        return m.group(1);
    }

    /** @return destination to source of every COPY in the final stage, ARG defaults substituted */
    static Map<String, String> finalStageCopies(List<String> instructions) {
        Map<String, String> args = new TreeMap<>();
        Map<String, String> copies = new LinkedHashMap<>();
        for (String i : instructions) {
            if (i.startsWith("FROM ")) {
                copies.clear();
            } else if (i.startsWith("ARG ") && i.contains("=")) {
                String a = i.substring(4);
                args.put(a.substring(0, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
            } else if (i.startsWith("COPY ")) {
                String s = i;
                for (var a : args.entrySet()) {
                    s = s.replace("${" + a.getKey() + "}", a.getValue());
                }
                List<String> words = new ArrayList<>(List.of(s.substring(5).split(" ")));
                words.removeIf(w -> w.startsWith("--"));
                String dest = words.remove(words.size() - 1);
                for (String src : words) {
                    String file = src.substring(src.lastIndexOf('/') + 1);
                    copies.put(dest.endsWith("/") ? dest + file : dest, src);
                }
            }
        }
        return copies;
    }

    @Test
    void theImageGetsEveryFileServerXmlReferencesWhereTheServerLooksForIt() throws Exception {
        List<String> instructions = dockerfile();
        String from = instructions.stream()
                .filter(i -> i.startsWith("ARG LIBERTY_IMAGE="))
                .findFirst()
                .orElseThrow();
        assertTrue(
                from.contains("icr.io/appcafe/open-liberty:" + pomProperty("pom.xml", "liberty.runtime.version") + "-"),
                "the Liberty of pom.xml: " + from);
        assertTrue(instructions.contains("RUN features.sh"), "kernel-slim gets server.xml's features");
        Map<String, String> copies = finalStageCopies(instructions);

        for (String f : List.of("server.xml", "jvm.options", "bootstrap.properties")) {
            assertEquals("liberty-config/" + f, copies.get("/config/" + f), f);
        }

        Document server = serverXml();
        // applications: relative locations are in ${server.config.dir}/apps
        NodeList apps = server.getElementsByTagName("enterpriseApplication");
        assertEquals(1, apps.getLength());
        String ear = ((Element) apps.item(0)).getAttribute("location");
        assertEquals(
                "ear/target/" + pomProperty("ear/pom.xml", "finalName") + ".ear",
                copies.getOrDefault("/config/apps/" + ear, "(nothing)").replaceFirst("^/src/", ""),
                "the EAR the ear module builds, at server.xml's location /config/apps/" + ear + ": " + copies);
        assertEquals(
                0,
                server.getElementsByTagName("webApplication").getLength(),
                "an application in server.xml itself would be missing from the image");

        // the JDBC driver: <library><fileset dir="${shared.resource.dir}/jdbc" includes="postgresql-*.jar"/>
        Element fileset = (Element) server.getElementsByTagName("fileset").item(0);
        String dir = fileset.getAttribute("dir").replace("${shared.resource.dir}", "/opt/ol/wlp/usr/shared/resources");
        String glob = fileset.getAttribute("includes").replace(".", "\\.").replace("*", "[^/]*");
        String pg = pomProperty("pom.xml", "postgresql.version");
        List<String> pgArgs = instructions.stream()
                .filter(i -> i.startsWith("ARG POSTGRESQL_JDBC_VERSION"))
                .toList();
        assertEquals(2, pgArgs.size(), "the version in both stages");
        pgArgs.forEach(a -> assertEquals("ARG POSTGRESQL_JDBC_VERSION=" + pg, a, "pom.xml's postgresql.version"));
        String driver = "postgresql-" + pg + ".jar";
        assertTrue(copies.containsKey(dir + "/" + driver), "driver " + driver + " in " + dir + ": " + copies.keySet());
        assertTrue(driver.matches(glob), driver + " matches " + fileset.getAttribute("includes"));

        // includes: every required one is in the image; the optional example app is left out
        NodeList includes = server.getElementsByTagName("include");
        for (int i = 0; i < includes.getLength(); i++) {
            Element inc = (Element) includes.item(i);
            String location = inc.getAttribute("location").replace("${server.config.dir}", "/config");
            if ("true".equals(inc.getAttribute("optional"))) {
                assertFalse(copies.containsKey(location), location + " (optional) stays out of the image");
            } else {
                assertTrue(copies.containsKey(location), location + " is in the image");
            }
        }
        assertTrue(Files.isRegularFile(ROOT.resolve("liberty-config/example-app.xml")));
    }
}
