import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A webhook receiver to try the bus with, on this machine: answers every POST with 204 and prints the
 * event id, the attempt and the body. With {@code WEBHOOK_SECRET=whsec_…} (the secret the subscription's
 * create response showed) it also verifies the Standard Webhooks signature and answers 401 to a call
 * without a valid one, as a real receiver should.
 *
 * <p>{@code java examples/webhook-receiver/Receiver.java [port [host]]}, by default 127.0.0.1:8088, which
 * {@code ./eventbus run} allows as a webhook target. Ctrl-C stops it.
 */
public class Receiver {
    private static final long TOLERANCE_SECONDS = 300;

    public static void main(String[] args) throws IOException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8088;
        String host = args.length > 1 ? args[1] : "127.0.0.1";
        String secret = System.getenv("WEBHOOK_SECRET");
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
        server.createContext("/", exchange -> answer(exchange, secret));
        server.start();
        System.out.println("webhook receiver on http://" + host + ":" + port + "/"
                + (secret == null ? "" : " (verifying signatures)") + "; Ctrl-C stops it");
    }

    private static void answer(HttpExchange exchange, String secret) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String id = exchange.getRequestHeaders().getFirst("webhook-id");
            String timestamp = exchange.getRequestHeaders().getFirst("webhook-timestamp");
            String signatures = exchange.getRequestHeaders().getFirst("webhook-signature");
            int status = 204;
            if (!"POST".equals(exchange.getRequestMethod())) {
                status = 405;
            } else if (secret != null && !verified(secret, id, timestamp, body, signatures)) {
                status = 401;
            }
            System.out.println(exchange.getRequestURI().getPath() + " " + id + " attempt "
                    + exchange.getRequestHeaders().getFirst("eventbus-attempt") + " -> " + status + ": " + body);
            exchange.sendResponseHeaders(status, -1);
        } finally {
            exchange.close();
        }
    }

    /** The README's check: HMAC-SHA256 over {@code id.timestamp.body}, one of the {@code v1,} values, recent. */
    static boolean verified(String secret, String id, String timestamp, String body, String signatures) {
        if (id == null || timestamp == null || signatures == null || !secret.startsWith("whsec_")) {
            return false;
        }
        try {
            long age = Math.abs(System.currentTimeMillis() / 1000 - Long.parseLong(timestamp));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring(6)), "HmacSHA256"));
            byte[] expected = ("v1,"
                            + Base64.getEncoder()
                                    .encodeToString(mac.doFinal(
                                            (id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8))))
                    .getBytes(StandardCharsets.UTF_8);
            return age <= TOLERANCE_SECONDS
                    && Arrays.stream(signatures.split(" "))
                            .anyMatch(s -> MessageDigest.isEqual(expected, s.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }
}
