package com.idynic.eventbus.subscribers.delivery;

import com.idynic.eventbus.api.TraceContext;
import com.idynic.eventbus.broker.AttemptResult;
import com.idynic.eventbus.broker.spi.Leased;
import com.idynic.eventbus.cloudevents.CloudEventMapping;
import com.idynic.eventbus.subscribers.AddressGuard;
import com.idynic.eventbus.subscribers.Subscription;
import com.idynic.eventbus.subscribers.Target;
import com.idynic.eventbus.subscribers.WebhookSignature;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.Security;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * POSTs one event to a webhook in the subscription's format (the seed's JSON or a CloudEvent in binary or
 * structured mode), signed per Standard Webhooks over the exact body sent, and reports the outcome: 2xx is success,
 * anything else or a timeout is a failure; {@code Retry-After} on 429/503 is passed on. Each attempt carries a
 * {@code traceparent} header: the event's trace id with a new parent id, the attempt's own span.
 *
 * <p>The target passes the {@link AddressGuard} again before every call, since its DNS answer may have changed
 * since registration (DNS rebinding); a refused target fails the attempt without a connection. The client
 * connects to the address that was checked because both lookups share the JVM's positive DNS cache: the
 * guard's lookup (on the executor, just before the call) fills or reads the cache entry for the host, and
 * the client's own lookup of the same host name moments later reads that entry. The JDK client takes no
 * resolver or socket factory, and calling the checked IP instead of the name would need a {@code Host} header
 * the client refuses to set (a JVM-wide switch) and would break SNI and certificate checks for https. The
 * cache keeps an answer for {@code networkaddress.cache.ttl} seconds (30 unless configured; the JDK reads
 * the setting once, when the server first resolves a name, so it cannot be set from here); with 0 there is
 * no cache and no pinning, which this class warns about when it starts. What remains is an entry that
 * expires in the moment between the two lookups: a call caught there may use a new answer the guard has not
 * checked (later calls are refused by their own check); over https it ends in a failed certificate check.
 *
 * <p>Every transport failure (refused, reset, empty reply, DNS, TLS, a target the guard refuses) reads
 * {@value #CONNECTION_FAILED}, so a subscriber learns nothing about the network behind the bus; the cause is
 * logged at {@code FINE}. A call that outlives the subscription's timeout reads {@code timed out after N ms};
 * an answer other than 2xx reads as its status.
 *
 * @since 0.2.0
 */
public final class WebhookSender {
    /** The error recorded for every transport failure, whatever its cause. */
    public static final String CONNECTION_FAILED = "connection failed";

    private static final Logger LOG = Logger.getLogger(WebhookSender.class.getName());

    private final HttpClient http;
    private final Executor executor;
    private final Clock clock;
    private final CloudEventMapping cloudEvents;
    private final AddressGuard guard;

    /**
     * @param executor runs the address check and the HTTP client's callbacks (a managed executor in the server)
     * @param guard checks each target before it is called
     */
    public WebhookSender(Executor executor, Clock clock, AddressGuard guard) {
        this.http = HttpClient.newBuilder()
                .executor(executor)
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER)
                .proxy(HttpClient.Builder.NO_PROXY)
                .build();
        this.executor = executor;
        this.clock = clock;
        this.cloudEvents = new CloudEventMapping(clock);
        this.guard = guard;
        String ttl = Security.getProperty("networkaddress.cache.ttl");
        String dnsCacheSeconds = ttl != null ? ttl : System.getProperty("sun.net.inetaddr.ttl", "");
        if ("0".equals(dnsCacheSeconds.trim())) {
            LOG.warning("the JVM's DNS cache is off (networkaddress.cache.ttl=0): webhook calls are no longer pinned"
                    + " to the address the guard checked, which leaves room for DNS rebinding; use a positive value");
        }
    }

    /** @return completes (never exceptionally) with the attempt's outcome */
    public CompletableFuture<AttemptResult> send(Subscription s, Leased l) {
        return send(s, l, null);
    }

    /**
     * @param traceparent the attempt's own trace context (its span, when spans are recorded), or null for a new child
     *     of the event's context
     * @return completes (never exceptionally) with the attempt's outcome
     * @since 0.20.0
     */
    public CompletableFuture<AttemptResult> send(Subscription s, Leased l, String traceparent) {
        Instant started = clock.instant();
        Target t = s.target();
        String id = l.event().envelope().id();
        String ts = String.valueOf(started.getEpochSecond());
        HttpRequest req;
        try {
            CloudEventMapping.Encoded message = cloudEvents.encode(l.event().envelope(), t.format());
            String body = new String(message.body(), StandardCharsets.UTF_8);
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(t.url())).timeout(t.timeout());
            message.headers().forEach(b::header);
            req = b.header("webhook-id", id)
                    .header("webhook-timestamp", ts)
                    .header("webhook-signature", WebhookSignature.sign(t.secret(), id, ts, body))
                    .header("eventbus-attempt", String.valueOf(l.attempt()))
                    .header("eventbus-subscription", s.id())
                    .header("eventbus-replay", String.valueOf(l.replay()))
                    .header(
                            TraceContext.HEADER,
                            traceparent != null
                                    ? traceparent
                                    : TraceContext.forDelivery(l.event().envelope())
                                            .traceparent())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(message.body()))
                    .build();
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(result(
                    AttemptResult.Outcome.FAILURE, started, t.url(), null, "invalid request: " + e.getMessage(), null));
        }
        CompletableFuture<HttpResponse<Void>> call;
        try {
            call = CompletableFuture.runAsync(() -> admit(req.uri()), executor)
                    .thenCompose(v -> http.sendAsync(req, HttpResponse.BodyHandlers.discarding()));
        } catch (RejectedExecutionException e) {
            call = CompletableFuture.failedFuture(e);
        }
        return call.handle((res, ex) -> {
            if (ex != null) {
                Throwable cause = ex instanceof CompletionException && ex.getCause() != null ? ex.getCause() : ex;
                LOG.log(Level.FINE, cause, () -> "webhook call to " + t.url() + " for " + s.id() + " failed");
                String why = cause instanceof HttpTimeoutException && !(cause instanceof HttpConnectTimeoutException)
                        ? "timed out after " + t.timeout().toMillis() + " ms"
                        : CONNECTION_FAILED;
                return result(AttemptResult.Outcome.FAILURE, started, t.url(), null, why, null);
            }
            int status = res.statusCode();
            if (status / 100 == 2) {
                return result(AttemptResult.Outcome.SUCCESS, started, t.url(), status, null, null);
            }
            Duration retryAfter = status == 429 || status == 503
                    ? retryAfter(res.headers().firstValue("Retry-After").orElse(null))
                    : null;
            return result(AttemptResult.Outcome.FAILURE, started, t.url(), status, null, retryAfter);
        });
    }

    private void admit(URI target) {
        try {
            guard.check(target);
        } catch (AddressGuard.Refused e) {
            throw new CompletionException(e);
        }
    }

    private AttemptResult result(
            AttemptResult.Outcome o, Instant started, String url, Integer status, String error, Duration retryAfter) {
        return new AttemptResult(
                o, started, Duration.between(started, clock.instant()), url, status, error, retryAfter);
    }

    /** @return the delay a {@code Retry-After} header asks for (seconds or an HTTP date), or null */
    Duration retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(header.trim())));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(header.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(clock.instant(), at.toInstant());
                return d.isNegative() ? Duration.ZERO : d;
            } catch (RuntimeException notADate) {
                return null;
            }
        }
    }
}
