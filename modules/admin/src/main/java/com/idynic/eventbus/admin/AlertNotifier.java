package com.idynic.eventbus.admin;

import com.idynic.eventbus.admin.spi.AlertStore;
import com.idynic.eventbus.api.CachedJson;
import com.idynic.eventbus.api.Timestamps;
import com.idynic.eventbus.subscribers.AddressGuard;
import com.idynic.eventbus.subscribers.WebhookSignature;
import jakarta.json.JsonObjectBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sends alert notifications: each history entry of a rule with a notification URL is POSTed as JSON, signed as
 * webhook deliveries are (Standard Webhooks: {@code webhook-id} {@code alert-<entry id>}, {@code webhook-timestamp},
 * {@code webhook-signature} with the rule's {@code whsec_} secret), after the address guard checked the URL again.
 * A 2xx answer ends it; otherwise it is tried again after 5 s, doubling up to 5 min, until {@code maxAttempts}.
 * A rule's notifications go in order: a later one waits while an earlier one is pending.
 *
 * @since 0.19.0
 */
public final class AlertNotifier {
    private static final Logger LOG = Logger.getLogger(AlertNotifier.class.getName());
    private static final Duration FIRST_RETRY = Duration.ofSeconds(5);
    private static final Duration MAX_RETRY = Duration.ofMinutes(5);
    private static final int BATCH = 20;

    /**
     * @param timeout longest wait for a receiver's answer, e.g. 10 seconds
     * @param maxAttempts calls per notification before it is given up, e.g. 5
     */
    public record Settings(Duration timeout, int maxAttempts) {
        public Settings {
            if (timeout.isNegative() || timeout.isZero() || maxAttempts < 1) {
                throw new IllegalArgumentException("notification timeout and attempts must be positive");
            }
        }
    }

    /** Makes one call. */
    @FunctionalInterface
    public interface Transport {
        /**
         * @return the receiver's HTTP status
         * @throws IOException when no answer came (refused, timed out, refused by the address guard)
         */
        int post(URI target, Map<String, String> headers, String body) throws IOException;
    }

    private final AlertStore store;
    private final Transport transport;
    private final Settings settings;
    private final Clock clock;

    public AlertNotifier(AlertStore store, Transport transport, Settings settings, Clock clock) {
        this.store = store;
        this.transport = transport;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * The transport the server uses: the JDK's HTTP client on {@code executor}, no redirects, no proxy, every
     * target checked by {@code guard} before the call.
     */
    public static Transport http(Executor executor, AddressGuard guard, Duration timeout) {
        HttpClient http = HttpClient.newBuilder()
                .executor(executor)
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .proxy(HttpClient.Builder.NO_PROXY)
                .build();
        return (target, headers, body) -> {
            try {
                guard.check(target);
            } catch (AddressGuard.Refused e) {
                throw new IOException("address refused: " + e.getMessage());
            }
            HttpRequest.Builder b =
                    HttpRequest.newBuilder(target).timeout(timeout).POST(HttpRequest.BodyPublishers.ofString(body));
            headers.forEach(b::header);
            try {
                return http.send(b.build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
        };
    }

    /** @return notifications delivered in this call */
    public int sendDue() {
        Instant now = clock.instant();
        int sent = 0;
        for (AlertEvent e : store.claimNotifications(now, settings.timeout().plusSeconds(5), BATCH)) {
            if (send(e)) {
                sent++;
            }
        }
        return sent;
    }

    private boolean send(AlertEvent e) {
        Optional<AlertRule> rule = store.rule(e.ruleId());
        Optional<String> secret = store.secretOf(e.ruleId());
        if (rule.isEmpty() || rule.get().notifyUrl() == null || secret.isEmpty()) {
            store.notified(
                    e.id(), AlertEvent.Notification.FAILED, "the rule was deleted or has no notification URL", null);
            return false;
        }
        String id = "alert-" + e.id();
        String timestamp = String.valueOf(clock.instant().getEpochSecond());
        String body = body(e, id);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("webhook-id", id);
        headers.put("webhook-timestamp", timestamp);
        headers.put("webhook-signature", WebhookSignature.sign(secret.get(), id, timestamp, body));
        headers.put("eventbus-alert", e.kind().name().toLowerCase(java.util.Locale.ROOT));
        String error;
        try {
            int status = transport.post(URI.create(rule.get().notifyUrl()), headers, body);
            if (status / 100 == 2) {
                store.notified(e.id(), AlertEvent.Notification.SENT, null, null);
                return true;
            }
            error = "HTTP " + status;
        } catch (IOException | RuntimeException failure) {
            LOG.log(Level.FINE, failure, () -> "alert notification " + id + " failed");
            error = failure instanceof IOException
                            && failure.getMessage() != null
                            && failure.getMessage().startsWith("address refused")
                    ? failure.getMessage()
                    : "connection failed";
        }
        if (e.notifyAttempts() >= settings.maxAttempts()) {
            LOG.warning("alert notification " + id + " for rule " + e.ruleId() + " given up after " + e.notifyAttempts()
                    + " attempts: " + error);
            store.notified(e.id(), AlertEvent.Notification.FAILED, error, null);
        } else {
            store.notified(
                    e.id(),
                    AlertEvent.Notification.PENDING,
                    error,
                    clock.instant().plus(retryAfter(e)));
        }
        return false;
    }

    /** @return the wait after the entry's latest attempt: 5 s, doubling, at most 5 min */
    static Duration retryAfter(AlertEvent e) {
        Duration d = FIRST_RETRY;
        for (int i = 1; i < e.notifyAttempts() && d.compareTo(MAX_RETRY) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : d;
    }

    /** @return the notification's JSON */
    static String body(AlertEvent e, String id) {
        JsonObjectBuilder rule = CachedJson.createObjectBuilder()
                .add("id", e.ruleId())
                .add("name", e.ruleName())
                .add("condition", e.condition());
        if (e.subscription() != null) {
            rule.add("subscription", e.subscription());
        }
        JsonObjectBuilder b = CachedJson.createObjectBuilder()
                .add("type", "alert." + e.kind().name().toLowerCase(java.util.Locale.ROOT))
                .add("id", id)
                .add("at", Timestamps.format(e.at()))
                .add("rule", rule)
                .add("message", e.message());
        if (e.value() != null) {
            b.add("value", e.value());
        }
        return b.build().toString();
    }
}
