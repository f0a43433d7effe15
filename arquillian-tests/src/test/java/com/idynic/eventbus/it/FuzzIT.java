package com.idynic.eventbus.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sends 10,000 generated malformed or hostile requests (seeded: the same run every time, override
 * with {@code -Dfuzz.seed}) across the API and asserts: never a 5xx, every answer is the error JSON,
 * nothing is stored, and the server stays ready.
 */
class FuzzIT {
    static final int REQUESTS = Integer.getInteger("fuzz.requests", 10_000);
    static final long SEED = Long.getLong("fuzz.seed", 20261127L);

    static final String[] HOSTILE = {
        "'; drop table eb_event; --",
        "\" or 1=1 --",
        "<script>alert(1)</script>",
        "javascript:alert(1)",
        "${jndi:ldap://x/a}",
        "../../etc/passwd",
        "%00",
        "\u0000",
        "\u001b[31m",
        "\t\r\n",
        "\ud83d\ude00 emoji",
        "\u202e reversed",
        "a".repeat(300),
        " ",
        "",
        "null",
        "{}",
        "1e999999",
    };

    @BeforeAll
    static void ready() {
        Stack.awaitReady();
    }

    record Req(String method, String path, String contentType, byte[] body, boolean authorized) {}

    static String hostile(Random r) {
        return HOSTILE[r.nextInt(HOSTILE.length)];
    }

    static String q(String s) {
        return jakarta.json.Json.createValue(s).toString();
    }

    static String seg(Random r) {
        String s = hostile(r)
                .replace("/", "")
                .replace("\\", "")
                .replace("\u0000", "")
                .replace("%00", "x");
        return s.isBlank()
                ? "x%20y"
                : URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A publish body with at least one certain defect. */
    static String badEvent(Random r) {
        String id = "\"id\":" + q("evt-fuzz-" + r.nextInt(1_000_000));
        String type = "\"eventType\":\"user.created\"";
        String source = "\"source\":\"fuzz-service\"";
        String data = "\"data\":{\"userId\":" + q(hostile(r)) + ",\"email\":\"a@b.co\"}";
        return switch (r.nextInt(12)) {
            case 0 -> "{\"id\":" + q("evt " + hostile(r)) + "," + type + "," + source + "," + data + "}";
            case 1 -> "{" + id + ",\"eventType\":" + q(hostile(r) + " x") + "," + source + "," + data + "}";
            case 2 -> "{" + id + "," + type + ",\"source\":" + q("s " + hostile(r)) + "," + data + "}";
            case 3 -> "{" + id + "," + type + "," + source + "}";
            case 4 -> "{" + id + "," + type + "," + source + ",\"data\":"
                    + List.of("[]", "1", "\"x\"", "true").get(r.nextInt(4)) + "}";
            case 5 -> "{" + id + "," + type + "," + source + "," + data + "," + q(hostile(r) + "_unknown") + ":1}";
            case 6 -> "{" + id + "," + type + "," + source + "," + data + ",\"timestamp\":" + q(hostile(r)) + "}";
            case 7 -> "{" + id + "," + type + "," + source + "," + data + ",\"metadata\":{\"correlationId\":"
                    + List.of("5", "[]", "{}", "true").get(r.nextInt(4)) + "}}";
            case 8 -> "{" + id + "," + type + "," + source + ",\"data\":" + "{\"a\":".repeat(33 + r.nextInt(3000)) + "1"
                    + "}".repeat(0) + "}";
            case 9 -> "{" + id + ",\"eventType\":"
                    + List.of("1", "null", "[]", "{}").get(r.nextInt(4)) + "," + source + "," + data + "}";
            case 10 -> "{" + id + "," + type + "," + source + ",\"data\":{\"userId\":\"u\",\"email\":" + q(hostile(r))
                    + "}}";
            default -> {
                String valid = "{" + id + "," + type + "," + source + "," + data + "}";
                yield valid.substring(0, r.nextInt(valid.length() - 1));
            }
        };
    }

    static String badJson(Random r) {
        return switch (r.nextInt(8)) {
            case 0 -> "";
            case 1 -> "{";
            case 2 -> "[" + "[".repeat(r.nextInt(5000));
            case 3 -> "{\"a\":" + "1".repeat(400) + "e99999999}";
            case 4 -> q(hostile(r));
            case 5 -> "{\"a\":" + q(hostile(r)) + ",}";
            case 6 -> "nul";
            default -> "{" + q(hostile(r)) + ":" + q(hostile(r)) + "}";
        };
    }

    static byte[] bytes(Random r, String s) {
        if (r.nextInt(10) == 0) {
            byte[] b = new byte[1 + r.nextInt(64)];
            r.nextBytes(b);
            b[0] = (byte) 0xC3;
            if (b.length > 1) {
                b[1] = (byte) 0x28;
            }
            return b;
        }
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Spells a path another way that names the same resource (a path parameter, a percent-encoded
     * letter, a dot segment, a doubled slash or a trailing slash), as a client trying to get around a
     * route check would.
     */
    static String respell(Random r, String pathAndQuery) {
        int q = pathAndQuery.indexOf('?');
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        String query = q < 0 ? "" : pathAndQuery.substring(q);
        String[] seg = path.substring(1).split("/", -1);
        int at = r.nextInt(seg.length);
        String s = seg[at];
        seg[at] = switch (r.nextInt(6)) {
            case 0 -> s + ";x=" + r.nextInt(100);
            case 1 -> s.isEmpty() || !Character.isLetter(s.charAt(0))
                    ? s + ";"
                    : "%" + Integer.toHexString(s.charAt(0)) + s.substring(1);
            case 2 -> "./" + s;
            case 3 -> "zz/../" + s;
            case 4 -> "/" + s;
            default -> s + "/";
        };
        return "/" + String.join("/", seg) + query;
    }

    static Req next(Random r) {
        Req plain = nextPlain(r);
        if (r.nextInt(4) != 0) {
            return plain;
        }
        return new Req(plain.method(), respell(r, plain.path()), plain.contentType(), plain.body(), plain.authorized());
    }

    static Req nextPlain(Random r) {
        boolean auth = r.nextInt(10) != 0;
        String json = "application/json";
        String ct = r.nextInt(20) == 0
                ? List.of("text/plain", "application/xml", hostile(r).replaceAll("[^\\x20-\\x7e]", ""))
                        .get(r.nextInt(3))
                : json;
        String sub = "fuzz-sub-" + seg(r);
        return switch (r.nextInt(13)) {
            case 0, 1, 2 -> new Req("POST", "/v1/events", ct, bytes(r, badEvent(r)), auth);
            case 3 -> new Req(
                    "POST",
                    "/v1/events/batch",
                    ct,
                    bytes(r, r.nextBoolean() ? "[" + badEvent(r) + "," + badEvent(r) + "]" : badJson(r)),
                    auth);
            case 4 -> new Req(
                    "PUT",
                    "/v1/subscriptions/" + sub,
                    ct,
                    bytes(
                            r,
                            r.nextBoolean()
                                    ? badJson(r)
                                    : "{\"eventTypes\":[\"user.created\"],\"target\":{\"type\":" + q(hostile(r) + "!")
                                            + ",\"url\":" + q(hostile(r)) + "}}"),
                    auth);
            case 5 -> new Req(
                    "POST",
                    "/v1/subscriptions/" + sub + "/"
                            + List.of(
                                            "pull",
                                            "ack",
                                            "nack",
                                            "pause",
                                            "replays",
                                            "dead-letters/redrive",
                                            "dead-letters/redrives")
                                    .get(r.nextInt(7)),
                    ct,
                    bytes(r, badJson(r)),
                    auth);
            case 6 -> new Req(
                    "POST",
                    "/v1/schemas/" + seg(r) + "/versions",
                    ct,
                    bytes(
                            r,
                            r.nextBoolean()
                                    ? badJson(r)
                                    : "{\"type\":" + q(hostile(r)) + ",\"properties\":" + q(hostile(r)) + "}"),
                    auth);
            case 7 -> new Req(
                    "PUT",
                    "/v1/retention/" + (r.nextBoolean() ? seg(r) : "user.created"),
                    ct,
                    bytes(
                            r,
                            r.nextBoolean()
                                    ? badJson(r)
                                    : "{\"maxAgeSeconds\":"
                                            + List.of("-1", "0", "\"x\"", "1.5", "1e400")
                                                    .get(r.nextInt(5)) + "}"),
                    auth);
            case 8 -> new Req(
                    "PUT",
                    "/v1/services/" + seg(r),
                    ct,
                    bytes(
                            r,
                            "{\"roles\":"
                                    + List.of("1", "{}", "[1]", "[" + q(hostile(r) + "!") + "]", "[\"admin\"")
                                            .get(r.nextInt(5))
                                    + "}"),
                    auth);
            case 10 -> alertRule(r, ct, auth);
            case 11 -> asyncApi(r, ct, auth);
            case 9 -> new Req(
                    "POST",
                    "/v1/auth/token",
                    ct,
                    bytes(r, r.nextBoolean() ? badJson(r) : "{\"apiKey\":" + q(hostile(r)) + "}"),
                    r.nextBoolean());
            default -> new Req(
                    "GET",
                    switch (r.nextInt(9)) {
                        case 0 -> "/v1/events/" + seg(r);
                        case 1 -> "/v1/retention/runs/" + seg(r);
                        case 2 -> "/v1/subscriptions/" + sub + "/replays/" + seg(r);
                        case 3 -> "/v1/catalog/" + seg(r);
                        case 4 -> "/v1/audit?"
                                + List.of("limit", "before", "from", "to").get(r.nextInt(4)) + "=" + seg(r);
                        case 5 -> "/v1/subscriptions/" + sub + "/dead-letters/redrives/" + seg(r);
                        case 6 -> "/v1/subscriptions/" + sub + "/dead-letters/export?format=" + seg(r) + "&deadFrom="
                                + seg(r);
                        case 7 -> "/v1/events/export?format=" + seg(r) + "&from=" + seg(r);
                        default -> "/v1/events?limit=" + seg(r) + "&from=" + seg(r);
                    },
                    null,
                    null,
                    auth);
        };
    }

    /**
     * An alert rule request that must be refused: a body with at least one certain defect (created or replaced rules
     * would answer 2xx), a history page with a hostile parameter, or a rule id that names no rule.
     */
    static Req alertRule(Random r, String ct, boolean auth) {
        String defect =
                switch (r.nextInt(6)) {
                    case 0 -> "\"metric\":" + q(hostile(r) + "!") + ",\"operator\":\">\",\"threshold\":1";
                    case 1 -> "\"metric\":\"queue_depth\",\"operator\":" + q(hostile(r) + "=") + ",\"threshold\":1";
                    case 2 -> "\"metric\":\"queue_depth\",\"operator\":\">\",\"threshold\":"
                            + List.of("-1", "\"x\"", "1e999", "null", "[]").get(r.nextInt(5));
                    case 3 -> "\"metric\":\"queue_depth\",\"operator\":\">\",\"threshold\":1,\"notify\":{\"url\":"
                            + q(hostile(r)) + "}";
                    case 4 -> "\"metric\":\"outbox_backlog\",\"operator\":\">\",\"threshold\":1,\"subscription\":"
                            + q(hostile(r));
                    default -> "\"metric\":\"queue_depth\",\"operator\":\">\",\"threshold\":1," + q(hostile(r) + "_x")
                            + ":1";
                };
        String body = "{\"name\":" + q("fuzz " + hostile(r)) + "," + defect + "}";
        return switch (r.nextInt(5)) {
            case 0 -> new Req("POST", "/v1/alerts/rules", ct, bytes(r, r.nextBoolean() ? body : badJson(r)), auth);
            case 1 -> new Req("PUT", "/v1/alerts/rules/" + seg(r), ct, bytes(r, body), auth);
            case 2 -> new Req("PUT", "/v1/alerts/rules/queue-depth", ct, bytes(r, body), auth);
            case 3 -> r.nextBoolean()
                    ? new Req("DELETE", "/v1/alerts/rules/fuzz-" + seg(r), null, null, auth)
                    : new Req("DELETE", "/v1/subscriptions/fuzz-" + seg(r) + "/replays/" + seg(r), null, null, auth);
            default -> new Req(
                    "GET", "/v1/alerts/history?" + (r.nextBoolean() ? "limit=" : "before=") + seg(r), null, null, auth);
        };
    }

    /**
     * The AsyncAPI document takes no input: any other method (with a hostile body) or a path below it must be refused.
     */
    static Req asyncApi(Random r, String ct, boolean auth) {
        return r.nextBoolean()
                ? new Req(
                        List.of("POST", "PUT", "DELETE", "PATCH").get(r.nextInt(4)),
                        "/v1/asyncapi",
                        ct,
                        bytes(r, badJson(r)),
                        auth)
                : new Req("GET", "/v1/asyncapi/" + seg(r), null, null, auth);
    }

    @Test
    void tenThousandHostileRequestsGetErrorJsonNeverA5xxAndStoreNothing() throws Exception {
        long eventsBefore = Stack.count("select count(*) from eb_event where source <> ?", "-");
        List<String> rulesBefore = Stack.strings(
                "select id || ' ' || name || ' ' || threshold from eb_alert_rule where id <> ? order by id", "-");
        String token = Stack.token(Stack.adminKey());
        Random r = new Random(SEED);
        List<Req> reqs = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            reqs.add(next(r));
        }
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        AtomicInteger byContainer = new AtomicInteger();
        List<String> problems = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        for (Req q : reqs) {
            done.add(pool.submit(() -> {
                HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(Stack.baseUrl() + q.path()))
                        .method(
                                q.method(),
                                q.body() == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofByteArray(q.body()));
                if (q.contentType() != null && !q.contentType().isBlank()) {
                    b.header("Content-Type", q.contentType());
                }
                if (q.authorized()) {
                    b.header("Authorization", "Bearer " + token);
                }
                HttpResponse<String> res = Stack.raw(b.build());
                statuses.computeIfAbsent(res.statusCode(), k -> new AtomicInteger())
                        .incrementAndGet();
                String why = check(res);
                if (why != null && containerRefusal(q, res)) {
                    byContainer.incrementAndGet();
                    why = null;
                }
                if (why != null && problems.size() < 40) {
                    problems.add(q.method() + " " + q.path() + " -> " + res.statusCode() + " " + why + ": "
                            + res.body().substring(0, Math.min(300, res.body().length())));
                }
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        System.out.println("fuzz: " + REQUESTS + " requests, seed " + SEED + ", statuses " + new TreeMap<>(statuses)
                + ", " + byContainer.get()
                + " refused by Liberty before the API (encoded control characters in the path)");
        if (!problems.isEmpty()) {
            fail(problems.size() + " bad answers, e.g.:\n" + String.join("\n", problems));
        }
        assertEquals(
                eventsBefore, Stack.count("select count(*) from eb_event where source <> ?", "-"), "nothing stored");
        assertEquals(
                rulesBefore,
                Stack.strings(
                        "select id || ' ' || name || ' ' || threshold from eb_alert_rule where id <> ? order by id",
                        "-"),
                "no alert rule created or changed");
        assertEquals(
                200,
                Stack.raw(HttpRequest.newBuilder(URI.create(Stack.baseUrl() + "/health/ready"))
                                .build())
                        .statusCode(),
                "still ready");
        assertTrue(statuses.keySet().stream().allMatch(s -> s >= 400 && s < 500), "only 4xx: " + statuses);
    }

    /** A CloudEvents publish with at least one certain defect, in binary, structured or batched mode. */
    static HttpRequest.Builder badCloudEvent(Random r) {
        String id = "evt-fuzz-ce-" + r.nextInt(1_000_000);
        String h = hostile(r).replaceAll("[^\\x21-\\x7e]", "");
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(Stack.baseUrl() + "/v1/events"));
        switch (r.nextInt(3)) {
            case 0 -> {
                Map<String, String> ce = new TreeMap<>(Map.of(
                        "ce-specversion", "1.0", "ce-id", id, "ce-type", "user.created", "ce-source", "fuzz-service"));
                String attribute = List.of("ce-specversion", "ce-id", "ce-type", "ce-source", "ce-time")
                        .get(r.nextInt(5));
                if (r.nextBoolean() && !attribute.equals("ce-time")) {
                    ce.remove(attribute);
                } else {
                    ce.put(attribute, h.isEmpty() ? "x y" : h + (attribute.equals("ce-time") ? "" : " !"));
                }
                ce.forEach(b::header);
                b.header("Content-Type", r.nextInt(4) == 0 ? "text/plain" : "application/json");
                b.POST(HttpRequest.BodyPublishers.ofByteArray(
                        bytes(r, r.nextBoolean() ? badJson(r) : "{\"userId\":" + q(hostile(r)) + "}")));
            }
            case 1 -> b.header("Content-Type", "application/cloudevents+json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bytes(r, badStructured(r, id))));
            default -> b.header("Content-Type", "application/cloudevents-batch+json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(
                            bytes(r, r.nextBoolean() ? "[" + badStructured(r, id) + "]" : badJson(r))));
        }
        return b;
    }

    static String badStructured(Random r, String id) {
        String rest = "\"id\":" + q(id) + ",\"type\":\"user.created\",\"source\":\"fuzz-service\"";
        return switch (r.nextInt(7)) {
            case 0 -> "{" + rest + ",\"data\":{}}";
            case 1 -> "{\"specversion\":"
                    + List.of("\"0.3\"", "\"2.0\"", "1", "null", q(hostile(r))).get(r.nextInt(5)) + "," + rest
                    + ",\"data\":{}}";
            case 2 -> "{\"specversion\":\"1.0\"," + rest + ",\"time\":" + q(hostile(r)) + ",\"data\":{}}";
            case 3 -> "{\"specversion\":\"1.0\"," + rest + ",\"data_base64\":\"AAAA\"}";
            case 4 -> "{\"specversion\":\"1.0\"," + rest + "," + q(hostile(r) + "X") + ":1,\"data\":{}}";
            case 5 -> "{\"specversion\":\"1.0\"," + rest + ",\"ebmetadata\":" + q(hostile(r) + "]") + ",\"data\":{}}";
            default -> "{\"specversion\":\"1.0\",\"id\":" + q("evt " + hostile(r))
                    + ",\"type\":\"user.created\",\"source\":\"fuzz-service\",\"data\":{}}";
        };
    }

    @Test
    void hostileCloudEventsInEveryModeGetErrorJsonNeverA5xxAndStoreNothing() {
        long eventsBefore = Stack.count("select count(*) from eb_event where source <> ?", "-");
        String token = Stack.token(Stack.adminKey());
        Random r = new Random(SEED + 1);
        Map<Integer, Integer> statuses = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < REQUESTS / 10; i++) {
            HttpResponse<String> res = Stack.raw(
                    badCloudEvent(r).header("Authorization", "Bearer " + token).build());
            statuses.merge(res.statusCode(), 1, Integer::sum);
            String why = check(res);
            if (why != null && problems.size() < 40) {
                problems.add(res.statusCode() + " " + why + ": "
                        + res.body().substring(0, Math.min(300, res.body().length())));
            }
        }
        System.out.println("fuzz (CloudEvents): " + REQUESTS / 10 + " requests, statuses " + statuses);
        if (!problems.isEmpty()) {
            fail(problems.size() + " bad answers, e.g.:\n" + String.join("\n", problems));
        }
        assertEquals(
                eventsBefore, Stack.count("select count(*) from eb_event where source <> ?", "-"), "nothing stored");
    }

    /**
     * The one documented exception to the error JSON: Open Liberty refuses a path holding a
     * percent-encoded control character (e.g. {@code %1B}) with 400 {@code CWWWC0005I} before any
     * application sees it. Only that, only 400, only for such paths.
     */
    static boolean containerRefusal(Req q, HttpResponse<String> res) {
        return res.statusCode() == 400
                && q.path().matches(".*%[01][0-9A-Fa-f].*|.*%7[Ff].*")
                && res.body().contains("CWWWC0005I");
    }

    /** @return why the answer is wrong, or null */
    static String check(HttpResponse<String> res) {
        if (res.statusCode() < 400 || res.statusCode() >= 500) {
            return "status";
        }
        try {
            JsonObject o = Stack.parse(res.body());
            if (!"error".equals(o.getString("status", null))
                    || !(o.get("errorCode") instanceof jakarta.json.JsonString)
                    || !(o.get("message") instanceof jakarta.json.JsonString)
                    || o.get("details") == null
                    || o.get("details").getValueType() != JsonValue.ValueType.OBJECT) {
                return "not the error format";
            }
            if (res.body().contains("Exception") || res.body().contains("\tat ")) {
                return "leaks internals";
            }
            return null;
        } catch (RuntimeException e) {
            return "not JSON";
        }
    }
}
