package com.idynic.eventbus.it;

import static com.idynic.eventbus.it.Stack.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every spelling of a path that reaches a resource (path parameters on any segment, dot segments,
 * doubled slashes, percent-encoded letters, trailing slash) meets the same authentication and stored
 * permission checks. On Open Liberty the path-parameter and trailing-slash spellings reach the resource
 * (the control asserts it: those are the ones a check on the raw URI missed); the others answer 404 and
 * are held to "never 2xx". In short: a token whose service lost its role, whose key was revoked, or whose service the
 * bus does not know never gets through, on any route family.
 */
class PathSpellingIT {
    static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
    static final String VICTIM = "victim-" + SUFFIX;
    static String demoted;
    static String revoked;
    static String unknown;

    /** One GET per route family; each answers 200 to the admin (replay and retention run ids added below). */
    static final List<String> ROUTES = new ArrayList<>(List.of(
            "/v1/services",
            "/v1/services/" + VICTIM,
            "/v1/services/" + VICTIM + "/keys",
            "/v1/subscriptions",
            "/v1/subscriptions/profile-service",
            "/v1/subscriptions/profile-service/dead-letters",
            "/v1/schemas",
            "/v1/retention",
            "/v1/events?type=user.created",
            "/v1/alerts",
            "/v1/alerts/history",
            "/v1/alerts/rules",
            "/v1/alerts/rules/queue-depth"));

    @BeforeAll
    static void tokens() throws Exception {
        Stack.awaitReady();
        HttpResponse<String> replay = Stack.postJson(
                "/v1/subscriptions/profile-service/replays",
                "{\"from\":\"" + Instant.now() + "\",\"eventTypes\":[\"user.created\"],\"ratePerSecond\":100}");
        assertEquals(202, replay.statusCode(), replay.body());
        ROUTES.add("/v1/subscriptions/profile-service/replays/" + json(replay).getString("id"));
        HttpResponse<String> run = Stack.postJson("/v1/retention/run", "{}");
        assertTrue(run.statusCode() == 202 || run.statusCode() == 409, run.body());
        ROUTES.add("/v1/retention/runs/"
                + (run.statusCode() == 202
                        ? json(run).getString("id")
                        : json(run).getJsonObject("details").getString("runningId")));
        ROUTES.add("/v1/schemas/user.created/versions");
        AuthIT.service(VICTIM, "{\"roles\":[\"publisher\"]}");
        String demotedName = "demoted-" + SUFFIX;
        demoted = Stack.token(AuthIT.service(demotedName, "{\"roles\":[\"admin\"]}"));
        put("/v1/services/" + demotedName, "{\"roles\":[\"subscriber\"],\"subscribe\":[\"*\"]}");

        String revokedName = "revoked-" + SUFFIX;
        String key = AuthIT.service(revokedName, "{\"roles\":[\"admin\"]}");
        revoked = Stack.token(key);
        String keyId = key.split("_")[1];
        HttpResponse<String> del = Stack.send(
                HttpRequest.newBuilder(URI.create(Stack.baseUrl() + "/v1/services/" + revokedName + "/keys/" + keyId))
                        .DELETE());
        assertEquals(204, del.statusCode(), del.body());

        long now = Instant.now().getEpochSecond();
        unknown = AuthIT.jwt(
                AuthIT.busKey(),
                Json.createObjectBuilder()
                        .add("iss", "idynic-event-bus")
                        .add("aud", "idynic-event-bus")
                        .add("sub", "ghost-" + SUFFIX)
                        .add("upn", "ghost-" + SUFFIX)
                        .add("groups", Json.createArrayBuilder().add("admin"))
                        .add("iat", now - 10)
                        .add("exp", now + 600)
                        .add("jti", UUID.randomUUID().toString())
                        .build());
    }

    static void put(String path, String body) {
        HttpResponse<String> r = Stack.send(HttpRequest.newBuilder(URI.create(Stack.baseUrl() + path))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)));
        assertTrue(r.statusCode() / 100 == 2, r.body());
    }

    /** @return the path written every way that still names the same resource */
    static Set<String> spellings(String pathAndQuery) {
        int q = pathAndQuery.indexOf('?');
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        String query = q < 0 ? "" : pathAndQuery.substring(q);
        String[] seg = path.substring(1).split("/");
        Set<String> out = new LinkedHashSet<>();
        out.add(path);
        for (int i = 0; i < seg.length; i++) {
            out.add(join(seg, i, seg[i] + ";x=y"));
            out.add(join(seg, i, seg[i] + ";"));
            out.add(join(seg, i, "%" + Integer.toHexString(seg[i].charAt(0)) + seg[i].substring(1)));
            out.add(join(seg, i, "%" + Integer.toHexString(seg[i].charAt(0)).toUpperCase() + seg[i].substring(1)));
            out.add(join(seg, i, "./" + seg[i]));
            out.add(join(seg, i, "zz/../" + seg[i]));
            out.add(join(seg, i, "/" + seg[i]));
        }
        out.add(path + "/");
        out.add(path + "/.");
        out.add("/" + path);
        List<String> withQuery = new ArrayList<>();
        out.forEach(p -> withQuery.add(p + query));
        return new LinkedHashSet<>(withQuery);
    }

    private static String join(String[] seg, int at, String replacement) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < seg.length; i++) {
            b.append('/').append(i == at ? replacement : seg[i]);
        }
        return b.toString();
    }

    static HttpResponse<String> get(String path, String token) {
        return AuthIT.call("GET", path, token, null);
    }

    @Test
    void noSpellingOfAnyRouteLetsADemotedRevokedOrUnknownServiceThrough() {
        Map<String, String> refused = Map.of("demoted", demoted, "revoked", revoked, "unknown service", unknown);
        String admin = Stack.token(Stack.adminKey());
        int reached = 0;
        int tried = 0;
        List<String> problems = new ArrayList<>();
        for (String route : ROUTES) {
            assertEquals(200, get(route, admin).statusCode(), "control: the admin reaches " + route);
            for (String spelled : spellings(route)) {
                tried++;
                int asAdmin = get(spelled, admin).statusCode();
                if (asAdmin == 200) {
                    reached++;
                } else if (spelled.contains(";") || spelled.split("\\?")[0].endsWith("/")) {
                    problems.add("control: the admin does not reach " + spelled + " (" + asAdmin + ")");
                }
                for (Map.Entry<String, String> t : refused.entrySet()) {
                    HttpResponse<String> r = get(spelled, t.getValue());
                    boolean ok = asAdmin == 200
                            ? r.statusCode() == 401 && "UNAUTHORIZED".equals(json(r).getString("errorCode"))
                            : r.statusCode() / 100 != 2;
                    if (!ok) {
                        problems.add(t.getKey() + " " + spelled + " -> " + r.statusCode() + " (admin " + asAdmin + ")");
                    }
                }
            }
        }
        assertEquals(List.of(), problems);
        System.out.println("path spellings: " + reached + " of " + tried + " reach a resource");
        assertTrue(reached >= ROUTES.size() * 5, "the path-parameter and trailing-slash spellings reach resources");
    }

    @Test
    void aDemotedAdminCannotMintKeysOrChangeServicesThroughAnySpelling() {
        int before = keys();
        List<String> problems = new ArrayList<>();
        for (String spelled : spellings("/v1/services/" + VICTIM + "/keys")) {
            HttpResponse<String> r = AuthIT.call("POST", spelled, demoted, "{}");
            if (r.statusCode() / 100 == 2) {
                problems.add("POST " + spelled + " -> " + r.statusCode());
            }
        }
        for (String spelled : spellings("/v1/services/" + VICTIM)) {
            HttpResponse<String> r = AuthIT.call("PUT", spelled, demoted, "{\"roles\":[\"admin\"]}");
            if (r.statusCode() / 100 == 2) {
                problems.add("PUT " + spelled + " -> " + r.statusCode());
            }
        }
        assertEquals(List.of(), problems);
        assertEquals(before, keys(), "no key was minted");
        assertEquals(
                List.of("publisher"),
                json(Stack.get("/v1/services/" + VICTIM))
                        .getJsonArray("roles")
                        .getValuesAs(jakarta.json.JsonString.class)
                        .stream()
                        .map(jakarta.json.JsonString::getString)
                        .toList());
    }

    @Test
    void refusalsNameWhatIsMissing() {
        HttpResponse<String> r = get("/v1/services", unknown);
        AuthIT.assertError(401, "UNAUTHORIZED", r);
        assertEquals("ghost-" + SUFFIX, json(r).getJsonObject("details").getString("service"));
        String subscriber = Stack.token(
                AuthIT.service("reader-" + SUFFIX, "{\"roles\":[\"subscriber\"],\"subscribe\":[\"user.*\"]}"));
        r = get("/v1/services", subscriber);
        AuthIT.assertError(403, "FORBIDDEN", r);
        assertEquals(
                List.of("admin"),
                json(r)
                        .getJsonObject("details")
                        .getJsonArray("requiredRoles")
                        .getValuesAs(jakarta.json.JsonString.class)
                        .stream()
                        .map(jakarta.json.JsonString::getString)
                        .toList());
        r = get("/v1/services;x=y", revoked);
        AuthIT.assertError(401, "UNAUTHORIZED", r);
    }

    static int keys() {
        return json(Stack.get("/v1/services/" + VICTIM + "/keys"))
                .getJsonArray("keys")
                .size();
    }
}
