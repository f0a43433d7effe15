package com.idynic.eventbus.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Who may open each console page: anonymous callers go to the sign-in page, a subscriber's key opens no
 * session, an operator opens every operator page but not the admin ones, an admin opens all; the session
 * cookie is HttpOnly and SameSite=Strict, and ends at sign-out or when the key is revoked.
 */
class ConsoleAccessIT {
    static final List<String> OPERATOR_PAGES = List.of(
            "/admin/",
            "/admin/index.xhtml",
            "/admin/events.xhtml",
            "/admin/dead-letters.xhtml",
            "/admin/subscriptions.xhtml",
            "/admin/replays.xhtml",
            "/admin/flows.xhtml",
            "/admin/catalog.xhtml",
            "/admin/alerts.xhtml",
            "/admin/audit.xhtml");
    static final List<String> ADMIN_PAGES = List.of("/admin/services.xhtml", "/admin/schemas.xhtml");
    static final Pattern VIEW_STATE_INPUT = Pattern.compile("<input[^>]*name=\"jakarta.faces.ViewState\"[^>]*>");
    static final Pattern NONCE = Pattern.compile("PrimeFaces\\.csp\\.init\\('([^']+)'\\)");
    static final Pattern VALUE = Pattern.compile("value=[\"']([^\"']*)[\"']");

    @BeforeAll
    static void ready() {
        Stack.awaitReady();
    }

    /** A browser-like client: its own cookies, redirects not followed. */
    static final class Session {
        final CookieManager cookies = new CookieManager();
        final HttpClient http = HttpClient.newBuilder()
                .cookieHandler(cookies)
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        HttpResponse<String> lastSignIn;

        HttpResponse<String> get(String path) {
            return send(
                    HttpRequest.newBuilder(URI.create(Stack.baseUrl() + path)).GET());
        }

        HttpResponse<String> send(HttpRequest.Builder b) {
            try {
                return http.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        /** @return the value of this client's session cookie */
        String sessionId() {
            return cookies.getCookieStore().getCookies().stream()
                    .filter(c -> c.getName().equals("JSESSIONID"))
                    .map(java.net.HttpCookie::getValue)
                    .reduce((a, b) -> {
                        throw new AssertionError("two session cookies: " + a + ", " + b);
                    })
                    .orElseThrow(() -> new AssertionError("no session cookie"));
        }

        /** Posts the sign-in form as a browser would; @return the answer */
        HttpResponse<String> signIn(String key) {
            HttpResponse<String> page = get("/admin/sign-in.xhtml");
            assertEquals(200, page.statusCode(), page.body());
            String form = "signIn=signIn&signIn_SUBMIT=1&signIn%3AapiKey=" + enc(key) + "&signIn%3Asubmit="
                    + hidden(page.body());
            lastSignIn = send(HttpRequest.newBuilder(URI.create(Stack.baseUrl() + "/admin/sign-in.xhtml"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)));
            return lastSignIn;
        }

        /** @return the view state and the CSP nonce that PrimeFaces' script adds to every post from the page */
        static String hidden(String html) {
            Matcher nonce = NONCE.matcher(html);
            assertTrue(nonce.find(), "no nonce");
            return "&jakarta.faces.ViewState=" + enc(viewState(html)) + "&primefaces.nonce=" + enc(nonce.group(1));
        }

        static String viewState(String html) {
            Matcher input = VIEW_STATE_INPUT.matcher(html);
            assertTrue(input.find(), "no view state in " + html.substring(Math.max(0, html.length() - 600)));
            Matcher value = VALUE.matcher(input.group());
            assertTrue(value.find(), input.group());
            return value.group(1);
        }

        static String enc(String s) {
            return URLEncoder.encode(s, StandardCharsets.UTF_8);
        }
    }

    static void assertGoesToSignIn(HttpResponse<String> r, String path) {
        assertEquals(302, r.statusCode(), path + ": " + r.body());
        assertTrue(
                r.headers().firstValue("Location").orElse("").endsWith("/admin/sign-in.xhtml"),
                path + " -> " + r.headers().firstValue("Location"));
    }

    static Session signedIn(String roles) {
        String key = AuthIT.service(WebhookIT.unique("console-acl-"), "{\"roles\":[" + roles + "]}");
        Session s = new Session();
        HttpResponse<String> r = s.signIn(key);
        assertEquals(302, r.statusCode(), r.body());
        assertTrue(
                r.headers().firstValue("Location").orElse("").endsWith("/admin/index.xhtml"),
                r.headers().toString());
        return s;
    }

    @Test
    void anonymousCallersAreSentToTheSignInPageFromEveryPage() {
        Session anonymous = new Session();
        for (String path : concat(OPERATOR_PAGES, ADMIN_PAGES)) {
            assertGoesToSignIn(anonymous.get(path), path);
        }
        HttpResponse<String> signIn = anonymous.get("/admin/sign-in.xhtml");
        assertEquals(200, signIn.statusCode());
        assertTrue(signIn.body().contains("API key"), signIn.body());
    }

    @Test
    void aSubscribersKeyOpensNoSessionAndSaysWhy() {
        String key = AuthIT.service(WebhookIT.unique("console-acl-"), "{\"roles\":[\"subscriber\",\"publisher\"]}");
        Session s = new Session();
        HttpResponse<String> r = s.signIn(key);
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("has no operator or admin role"), r.body());
        for (String path : OPERATOR_PAGES) {
            assertGoesToSignIn(s.get(path), path);
        }
        HttpResponse<String> wrong = new Session().signIn("ebk_nope.nope");
        assertTrue(wrong.body().contains("This API key is not valid"), wrong.body());
    }

    @Test
    void anOperatorOpensEveryOperatorPageButNoAdminPage() {
        Session s = signedIn("\"operator\"");
        for (String path : OPERATOR_PAGES) {
            HttpResponse<String> r = s.get(path);
            assertEquals(200, r.statusCode(), path + ": " + r.body());
            assertTrue(r.body().contains("Sign out"), path);
            assertFalse(r.body().contains("Services</a>"), "an operator is not shown the admin pages");
        }
        for (String path : ADMIN_PAGES) {
            HttpResponse<String> r = s.get(path);
            assertEquals(403, r.statusCode(), path + ": " + r.body());
            assertTrue(r.body().contains("needs the admin role"), r.body());
        }
        assertEquals(404, s.get("/admin/no-such-page.xhtml").statusCode());
    }

    @Test
    void anAdminOpensTheAdminPages() {
        Session s = signedIn("\"admin\"");
        for (String path : ADMIN_PAGES) {
            HttpResponse<String> r = s.get(path);
            assertEquals(200, r.statusCode(), path + ": " + r.body());
            assertTrue(r.body().contains("Services</a>"), r.body());
        }
    }

    @Test
    void theSessionCookieIsHttpOnlyAndStrictAndEndsAtSignOutOrWhenTheKeyIsRevoked() {
        String name = WebhookIT.unique("console-acl-");
        String key = AuthIT.service(name, "{\"roles\":[\"operator\"]}");
        Session s = new Session();
        s.signIn(key);
        List<String> setCookie = s.lastSignIn.headers().allValues("Set-Cookie");
        assertFalse(setCookie.isEmpty(), "a new session id at sign-in");
        for (String c : setCookie) {
            assertTrue(c.contains("HttpOnly"), c);
            assertTrue(c.contains("SameSite=Strict"), c);
        }
        assertEquals(200, s.get("/admin/index.xhtml").statusCode());
        String keyId = Stack.json(Stack.get("/v1/services/" + name + "/keys"))
                .getJsonArray("keys")
                .getJsonObject(0)
                .getString("keyId");
        HttpResponse<String> revoke = Stack.send(
                HttpRequest.newBuilder(URI.create(Stack.baseUrl() + "/v1/services/" + name + "/keys/" + keyId))
                        .DELETE());
        assertTrue(revoke.statusCode() == 204 || revoke.statusCode() == 200, revoke.body());
        Stack.await(
                Duration.ofSeconds(10),
                "the revoked key's session ends",
                () -> s.get("/admin/index.xhtml").statusCode() == 302);

        Session other = signedIn("\"operator\"");
        HttpResponse<String> index = other.get("/admin/index.xhtml");
        String sessionId = other.sessionId();
        assertEquals(200, withOnly(sessionId, "/admin/index.xhtml").statusCode(), "the session id alone signs in");
        HttpResponse<String> out = other.send(HttpRequest.newBuilder(URI.create(Stack.baseUrl() + "/admin/index.xhtml"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "signOutForm=signOutForm&signOutForm_SUBMIT=1&signOutForm%3AsignOut="
                                + Session.hidden(index.body()))));
        assertGoesToSignIn(out, "sign out");
        assertGoesToSignIn(other.get("/admin/index.xhtml"), "after sign out");
        assertGoesToSignIn(withOnly(sessionId, "/admin/index.xhtml"), "the signed-out session id, replayed");
    }

    /** @return the answer to a GET that carries only this session id (a copied or replayed cookie) */
    static HttpResponse<String> withOnly(String sessionId, String path) {
        return new Session()
                .send(HttpRequest.newBuilder(URI.create(Stack.baseUrl() + path))
                        .header("Cookie", "JSESSIONID=" + sessionId)
                        .GET());
    }

    static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
