package com.idynic.eventbus.devstack;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Map;

/**
 * Both ends of the control port: the server a running stack listens with, and the client that {@code stop}
 * uses, which finds the port ({@code DEVSTACK_CONTROL}) and the token ({@code DEVSTACK_CONTROL_TOKEN}) in the
 * env file.
 */
final class ControlPort {
    private ControlPort() {}

    /**
     * Serves {@code POST /shutdown} and {@code POST /<service>/stop|kill|start|status} on loopback, for requests that
     * carry {@code Authorization: Bearer <token>}: other local users must not stop or restart the stack.
     *
     * @param port the port to listen on, 0 for any
     * @param onShutdown runs after {@code /shutdown} is answered
     * @return the started server
     */
    static HttpServer serve(int port, String token, Map<String, Service> services, Runnable onShutdown)
            throws IOException {
        byte[] expected = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        http.createContext("/", ex -> {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            if (auth == null || !MessageDigest.isEqual(expected, auth.getBytes(StandardCharsets.UTF_8))) {
                ex.getResponseHeaders().set("WWW-Authenticate", "Bearer");
                respond(ex, 401, "unauthorized; send Authorization: Bearer <DEVSTACK_CONTROL_TOKEN from the env file>");
                return;
            }
            if (!ex.getRequestMethod().equals("POST")) {
                ex.getResponseHeaders().set("Allow", "POST");
                respond(ex, 405, "method not allowed; use POST");
                return;
            }
            String[] parts = ex.getRequestURI().getPath().split("/");
            int status = 200;
            String body;
            try {
                if (parts.length == 2 && parts[1].equals("shutdown")) {
                    body = "stopping";
                } else if (parts.length == 3 && services.containsKey(parts[1])) {
                    Service s = services.get(parts[1]);
                    switch (parts[2]) {
                        case "stop" -> s.stop();
                        case "start" -> s.start();
                        case "kill" -> s.kill();
                        default -> {}
                    }
                    body = s.name() + (s.running() ? " running" : " stopped");
                } else {
                    status = 404;
                    body = "unknown; try /postgres|kafka|redis/stop|kill|start|status or /shutdown";
                }
            } catch (Exception e) {
                status = 500;
                body = e.toString();
            }
            respond(ex, status, body);
            if (parts.length == 2 && parts[1].equals("shutdown")) {
                onShutdown.run();
            }
        });
        http.start();
        return http;
    }

    private static void respond(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, head ? -1 : b.length);
        try (OutputStream out = ex.getResponseBody()) {
            if (!head) {
                out.write(b);
            }
        }
    }

    /**
     * Sends {@code POST path} to the stack whose env file names the control port and token, and prints the
     * answer.
     */
    static void send(Path envFile, String path) throws Exception {
        if (!Files.exists(envFile)) {
            System.out.println("devstack: nothing to stop (" + envFile + " missing)");
            return;
        }
        String base = null;
        String token = "";
        for (String line : Files.readAllLines(envFile)) {
            if (line.startsWith("DEVSTACK_CONTROL=")) {
                base = line.substring("DEVSTACK_CONTROL=".length());
            } else if (line.startsWith("DEVSTACK_CONTROL_TOKEN=")) {
                token = line.substring("DEVSTACK_CONTROL_TOKEN=".length());
            }
        }
        try {
            HttpResponse<String> r = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(base + path))
                                    .header("Authorization", "Bearer " + token)
                                    .POST(HttpRequest.BodyPublishers.noBody())
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            System.out.println("devstack: " + (r.statusCode() == 200 ? "" : r.statusCode() + " ") + r.body());
        } catch (IOException e) {
            System.out.println("devstack: not running (" + e.getMessage() + ")");
        }
    }
}
