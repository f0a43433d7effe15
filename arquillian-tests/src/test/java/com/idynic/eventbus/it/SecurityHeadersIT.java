package com.idynic.eventbus.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The console and the API tell browsers and caches how to treat what they serve, refusals included. */
class SecurityHeadersIT {
    static final Map<String, String> CONSOLE = Map.of(
            "Content-Security-Policy",
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self';"
                    + " frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
            "X-Frame-Options",
            "DENY",
            "Referrer-Policy",
            "no-referrer",
            "X-Content-Type-Options",
            "nosniff",
            "Cache-Control",
            "no-store");
    static final Map<String, String> API = Map.of(
            "X-Content-Type-Options", "nosniff",
            "Cache-Control", "no-store",
            "Referrer-Policy", "no-referrer",
            "Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
    static final Pattern INLINE_HANDLER = Pattern.compile("\\son[a-z]+\\s*=", Pattern.CASE_INSENSITIVE);

    @BeforeAll
    static void ready() {
        Stack.awaitReady();
    }

    static HttpResponse<String> anonymous(String path) {
        return Stack.raw(
                HttpRequest.newBuilder(URI.create(Stack.baseUrl() + path)).GET().build());
    }

    static void assertHeaders(Map<String, String> expected, HttpResponse<String> r) {
        expected.forEach((name, value) -> assertEquals(
                value,
                r.headers().firstValue(name).orElse(null),
                name + " on " + r.request().uri().getPath() + " (" + r.statusCode() + ")"));
    }

    @Test
    void theConsoleRunsOnlyItsOwnAndNoncedScriptsAndIsNeverFramedCachedOrSniffed() {
        HttpResponse<String> page = anonymous("/admin/sign-in.xhtml");
        assertEquals(200, page.statusCode(), page.body());
        assertTrue(page.body().contains("idynic-event-bus console"), page.body());
        Map<String, String> others = new java.util.HashMap<>(CONSOLE);
        others.remove("Content-Security-Policy");
        // the page opens a session (its form's state), so the container adds no-cache=set-cookie
        others.put("Cache-Control", "no-store, no-cache=set-cookie");
        assertHeaders(others, page);
        List<String> policies = page.headers().allValues("Content-Security-Policy");
        assertEquals(1, policies.size(), "one policy (a second one would be enforced too): " + policies);
        java.util.regex.Matcher nonce =
                Pattern.compile("script-src 'self' 'nonce-([A-Za-z0-9+/=_-]+)'").matcher(policies.get(0));
        assertTrue(nonce.find(), policies.get(0));
        assertTrue(policies.get(0).contains("frame-ancestors 'none'"), policies.get(0));
        Pattern script = Pattern.compile("<script(?![^>]*\\ssrc=)([^>]*)>");
        java.util.regex.Matcher inline = script.matcher(page.body());
        while (inline.find()) {
            assertTrue(
                    inline.group(1).contains("nonce=\"" + nonce.group(1) + "\""),
                    "inline script without the nonce: " + inline.group());
        }
        assertFalse(INLINE_HANDLER.matcher(page.body()).find(), "no inline event handlers");

        HttpResponse<String> file = anonymous("/admin/jakarta.faces.resource/console/console.css.xhtml");
        assertEquals(200, file.statusCode(), file.body());
        Map<String, String> cached = new java.util.HashMap<>(CONSOLE);
        cached.remove("Cache-Control"); // Faces lets browsers cache its resource files (no data in them)
        assertHeaders(cached, file);
        assertEquals(404, anonymous("/admin/nothing").statusCode());
    }

    @Test
    void apiSuccessesAndRefusalsAreNeitherSniffedNorCachedNorRenderable() {
        HttpResponse<String> ok = Stack.get("/v1/subscriptions");
        assertEquals(200, ok.statusCode(), ok.body());
        assertHeaders(API, ok);

        HttpResponse<String> noToken = AuthIT.call("GET", "/v1/subscriptions", null, null);
        AuthIT.assertError(401, "UNAUTHORIZED", noToken);
        assertHeaders(API, noToken);

        HttpResponse<String> badToken = AuthIT.call("GET", "/v1/subscriptions", "not.a.jwt", null);
        AuthIT.assertError(401, "UNAUTHORIZED", badToken);
        assertHeaders(API, badToken);

        HttpResponse<String> missing = Stack.get("/v1/no-such-resource");
        AuthIT.assertError(404, "NOT_FOUND", missing);
        assertHeaders(API, missing);
    }

    /**
     * The OpenAPI UI is Liberty's own page with Liberty's own policy (its scripts and styles run: OpenApiIT renders it
     * in a browser); it is never framed, sniffed or cached. The API's stricter policy stays on the API.
     */
    @Test
    void theOpenApiUiIsNeverFramedSniffedOrCachedAndItsPolicyLetsOnlyItsOwnScriptsLoad() {
        HttpResponse<String> ui = anonymous("/openapi/ui/");
        assertEquals(200, ui.statusCode(), ui.body());
        assertHeaders(
                Map.of("X-Frame-Options", "DENY", "X-Content-Type-Options", "nosniff", "Cache-Control", "no-store"),
                ui);
        String policy = ui.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(policy.startsWith("default-src 'self'"), policy);
        assertTrue(policy.contains("script-src 'self'"), policy);
        assertFalse(policy.contains("script-src *"), policy);
        assertHeaders(API, Stack.get("/v1/asyncapi"));
    }
}
