package com.idynic.eventbus.sdk.examples;

import com.idynic.eventbus.sdk.WebhookVerifier;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import java.util.function.Consumer;

/** The README's webhook receiver on the JDK's own HTTP server, compiled and run by ReadmeExamplesTest. */
public final class WebhookExamples {
    private WebhookExamples() {}

    /** Adds {@code /hooks/orders} to {@code server}: verified bodies go to {@code handle}, others are answered 401. */
    public static void receiver(HttpServer server, String secret, Consumer<byte[]> handle) {
        // readme:begin webhook
        WebhookVerifier verifier = new WebhookVerifier(secret); // the subscription's whsec_… secret
        server.createContext("/hooks/orders", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes(); // the raw bytes, before any JSON parsing
            Headers h = exchange.getRequestHeaders();
            boolean valid = verifier.isValid(
                    h.getFirst("webhook-id"), h.getFirst("webhook-timestamp"), h.getFirst("webhook-signature"), body);
            if (valid) {
                handle.accept(body);
            }
            exchange.sendResponseHeaders(valid ? 204 : 401, -1);
            exchange.close();
        });
        // readme:end
    }
}
