package com.idynic.eventbus.bench;

import java.io.IOException;
import java.net.CookieHandler;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The operator console as a browser sees it, without running scripts: signs in with an API key through the sign-in
 * form (its Faces view state, PrimeFaces' script nonce and the session cookie), then loads pages whole. Used to time the overview page.
 */
final class ConsoleSession {
    private static final Pattern VIEW_STATE =
            Pattern.compile("name=\"jakarta\\.faces\\.ViewState\"[^>]*value=\"([^\"]+)\"");

    /** PrimeFaces' script nonce of the page, which a postback must send back as {@code primefaces.nonce}. */
    private static final Pattern NONCE = Pattern.compile("'nonce-([^']+)'");

    private final URI base;
    private final HttpClient http;

    private ConsoleSession(URI base) {
        this.base = base;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .cookieHandler(new Jar())
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(BusClient.TIMEOUT)
                .build();
    }

    /**
     * @param base the bus's base URL
     * @param apiKey an operator's or admin's key
     * @return a signed-in session
     * @throws IOException when the sign-in form is not there or the key is refused
     */
    static ConsoleSession signIn(URI base, String apiKey) throws IOException, InterruptedException {
        ConsoleSession s = new ConsoleSession(base);
        HttpResponse<String> form = s.get("/admin/sign-in.xhtml");
        Matcher m = VIEW_STATE.matcher(form.body());
        if (form.statusCode() != 200 || !m.find()) {
            throw new IOException("GET /admin/sign-in.xhtml answered " + form.statusCode() + " without a form");
        }
        Matcher nonce = NONCE.matcher(
                form.headers().firstValue("Content-Security-Policy").orElse(""));
        if (!nonce.find()) {
            throw new IOException("GET /admin/sign-in.xhtml answered without a script nonce");
        }
        String body = "signIn=signIn&signIn_SUBMIT=1&signIn%3AapiKey=" + enc(apiKey) + "&signIn%3Asubmit="
                + "&jakarta.faces.ViewState=" + enc(m.group(1)) + "&primefaces.nonce=" + enc(nonce.group(1));
        HttpResponse<String> r = s.http.send(
                HttpRequest.newBuilder(base.resolve("/admin/sign-in.xhtml"))
                        .timeout(BusClient.TIMEOUT)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200 || !r.body().contains("Signed in as")) {
            throw new IOException("console sign-in answered " + r.statusCode() + " at " + r.uri());
        }
        return s;
    }

    /** @return the whole answer of {@code GET path} */
    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(base.resolve(path))
                        .timeout(BusClient.TIMEOUT)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /**
     * Keeps the console's cookies and sends them back. The session cookie is {@code Secure}: a browser sends it to
     * {@code http://127.0.0.1} (a secure context), Java's {@code CookieManager} does not over plain HTTP.
     */
    private static final class Jar extends CookieHandler {
        private final Map<String, String> cookies = new ConcurrentHashMap<>();

        @Override
        public Map<String, List<String>> get(URI uri, Map<String, List<String>> requestHeaders) {
            if (cookies.isEmpty()) {
                return Map.of();
            }
            return Map.of(
                    "Cookie",
                    List.of(cookies.entrySet().stream()
                            .map(e -> e.getKey() + "=" + e.getValue())
                            .collect(Collectors.joining("; "))));
        }

        @Override
        public void put(URI uri, Map<String, List<String>> responseHeaders) {
            responseHeaders.forEach((name, values) -> {
                if ("Set-Cookie".equalsIgnoreCase(name)) {
                    for (String c : values) {
                        String pair = c.split(";", 2)[0];
                        int eq = pair.indexOf('=');
                        if (eq > 0) {
                            cookies.put(
                                    pair.substring(0, eq).trim(),
                                    pair.substring(eq + 1).trim());
                        }
                    }
                }
            });
        }
    }
}
