// Benchmark for a running bus (./eventbus run): publish latency and throughput, and end-to-end
// delivery (publish -> webhook receiver) for one ordered and one unordered subscription.
//
//   java bench/Bench.java [--url http://127.0.0.1:9080] [--events 2000] [--concurrency 8] [--keys 16]
//
// Needs only the JDK: the webhook receiver is an in-process HTTP server on 127.0.0.1.
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

public class Bench {
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final Map<String, Long> arrived = new ConcurrentHashMap<>();
    static final Map<String, List<String>> arrivalOrderByKey = new ConcurrentHashMap<>();
    static final AtomicInteger outOfOrder = new AtomicInteger();
    /** When each event's publish started and when its 202 arrived (for the happens-before order check). */
    static final Map<String, long[]> publishWindow = new ConcurrentHashMap<>();

    public static void main(String[] args) throws Exception {
        String url = arg(args, "--url", "http://127.0.0.1:9080");
        int events = Integer.parseInt(arg(args, "--events", "2000"));
        int concurrency = Integer.parseInt(arg(args, "--concurrency", "8"));
        int keys = Integer.parseInt(arg(args, "--keys", "16"));
        String apiKey = arg(args, "--api-key", null);
        if (apiKey == null) {
            apiKey = java.nio.file.Files.readString(java.nio.file.Path.of(".eventbus/data/identity/admin.key")).strip();
        }
        token = token(url, apiKey);

        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.setExecutor(Executors.newFixedThreadPool(64));
        receiver.createContext("/", ex -> {
            long now = System.nanoTime();
            String body = new String(ex.getRequestBody().readAllBytes());
            String id = ex.getRequestHeaders().getFirst("webhook-id");
            if (arrived.putIfAbsent(id, now) == null && ex.getRequestURI().getPath().equals("/ordered")) {
                String key = field(body, "partitionKey");
                arrivalOrderByKey.computeIfAbsent(key, k -> Collections.synchronizedList(new ArrayList<>())).add(id);
            }
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        receiver.start();
        String hook = "http://127.0.0.1:" + receiver.getAddress().getPort();
        String run = Long.toString(System.currentTimeMillis(), 36);

        System.out.printf("# idynic-event-bus benchmark%n%nbus %s, %d events per phase, %d publishers, %d keys%n%n",
                url, events, concurrency, keys);
        System.out.println("| subscription | phase | publish p50 ms | publish p99 ms | publish/s | end-to-end p50 ms | end-to-end p99 ms | delivered/s |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (String mode : List.of("ordered", "unordered")) {
            String type = "bench." + mode + ".r" + run;
            put(url + "/v1/subscriptions/bench-" + mode + "-" + run, "{\"eventTypes\":[\"" + type + "\"],"
                    + "\"target\":{\"type\":\"webhook\",\"url\":\"" + hook + "/" + mode + "\"},\"ordering\":\"" + mode
                    + "\",\"maxConcurrency\":32}");
            Thread.sleep(1500);
            report(mode, "latency (1 publisher, 100 events)", publish(url, type, run + "l", 100, 1, keys, 20));
            report(mode, "throughput", publish(url, type, run + "t", events, concurrency, keys, 0));
            send(HttpRequest.newBuilder(URI.create(url + "/v1/subscriptions/bench-" + mode + "-" + run)).DELETE());
        }
        // A violation: event x was answered 202 before event y was even sent (same key), yet y arrived first.
        long checked = 0;
        for (List<String> ids : arrivalOrderByKey.values()) {
            List<String> arrival = List.copyOf(ids);
            for (int a = 0; a < arrival.size(); a++) {
                for (int b = a + 1; b < arrival.size(); b++) {
                    long[] first = publishWindow.get(arrival.get(a));
                    long[] later = publishWindow.get(arrival.get(b));
                    checked++;
                    if (later[1] < first[0]) {
                        outOfOrder.incrementAndGet();
                    }
                }
            }
        }
        System.out.printf("%nordered subscription: %d same-key pairs checked, %d delivered against publish order%n",
                checked, outOfOrder.get());
        receiver.stop(0);
        System.exit(0);
    }

    record Result(long[] publishNanos, long[] e2eNanos, double publishSeconds, double deliverSeconds, int n) {}

    static Result publish(String url, String type, String run, int n, int threads, int keys, long gapMs) throws Exception {
        long[] pub = new long[n];
        long[] started = new long[n];
        String[] ids = new String[n];
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicInteger next = new AtomicInteger();
        long t0 = System.nanoTime();
        List<Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            fs.add(pool.submit(() -> {
                int i;
                while ((i = next.getAndIncrement()) < n) {
                    String id = "evt-" + run + "-" + type.hashCode() + "-" + String.format("%07d", i);
                    ids[i] = id;
                    String body = "{\"eventType\":\"" + type + "\",\"source\":\"bench\",\"id\":\"" + id
                            + "\",\"data\":{\"i\":" + i + ",\"pad\":\"" + "x".repeat(400) + "\"},"
                            + "\"metadata\":{\"partitionKey\":\"k" + (i % keys) + "\"}}";
                    started[i] = System.nanoTime();
                    HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(url + "/v1/events"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body)));
                    pub[i] = System.nanoTime() - started[i];
                    publishWindow.put(id, new long[] {started[i], started[i] + pub[i]});
                    if (r.statusCode() != 202) {
                        throw new IllegalStateException(r.statusCode() + " " + r.body());
                    }
                    if (gapMs > 0) {
                        Thread.sleep(gapMs);
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        double publishSeconds = (System.nanoTime() - t0) / 1e9;
        pool.shutdown();
        long deadline = System.nanoTime() + 300_000_000_000L;
        while (System.nanoTime() < deadline) {
            boolean all = true;
            for (String id : ids) {
                if (!arrived.containsKey(id)) {
                    all = false;
                    break;
                }
            }
            if (all) {
                break;
            }
            Thread.sleep(20);
        }
        long[] e2e = new long[n];
        long last = 0;
        for (int i = 0; i < n; i++) {
            Long at = arrived.get(ids[i]);
            e2e[i] = at == null ? Long.MAX_VALUE : at - started[i];
            last = Math.max(last, at == null ? 0 : at);
        }
        return new Result(pub, e2e, publishSeconds, (last - t0) / 1e9, n);
    }

    static void report(String mode, String phase, Result r) {
        System.out.printf("| %s | %s | %.1f | %.1f | %.0f | %.1f | %.1f | %.0f |%n", mode, phase,
                pct(r.publishNanos(), 50), pct(r.publishNanos(), 99), r.n() / r.publishSeconds(),
                pct(r.e2eNanos(), 50), pct(r.e2eNanos(), 99), r.n() / r.deliverSeconds());
    }

    static double pct(long[] xs, int p) {
        long[] s = xs.clone();
        java.util.Arrays.sort(s);
        long v = s[Math.min(s.length - 1, (int) Math.ceil(p / 100.0 * s.length) - 1)];
        return v == Long.MAX_VALUE ? Double.NaN : v / 1e6;
    }

    static String field(String json, String name) {
        int i = json.indexOf("\"" + name + "\":\"");
        if (i < 0) {
            return "";
        }
        int s = i + name.length() + 4;
        return json.substring(s, json.indexOf('"', s));
    }

    static void put(String url, String body) throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)));
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException(r.statusCode() + " " + r.body());
        }
    }

    static volatile String token;

    static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return HTTP.send(b.header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Exchanges the API key (default: the embedded mode's dev admin key) for a token. */
    static String token(String url, String apiKey) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/v1/auth/token"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"apiKey\":\"" + apiKey + "\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("token: " + r.statusCode() + " " + r.body());
        }
        return field(r.body(), "accessToken");
    }

    static String arg(String[] args, String name, String dflt) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return dflt;
    }
}
