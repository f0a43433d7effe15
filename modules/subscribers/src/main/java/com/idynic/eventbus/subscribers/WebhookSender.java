package com.idynic.eventbus.subscribers;

import com.idynic.eventbus.broker.AttemptResult;
import com.idynic.eventbus.broker.spi.Leased;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * POSTs one event to a webhook, signed per Standard Webhooks, and reports the outcome: 2xx is success,
 * anything else or a timeout is a failure; {@code Retry-After} on 429/503 is passed on.
 *
 * @since 0.2.0
 */
public final class WebhookSender {
    private final HttpClient http;
    private final Clock clock;

    /** @param executor runs the HTTP client's callbacks (a managed executor in the server) */
    public WebhookSender(Executor executor, Clock clock) {
        this.http = HttpClient.newBuilder()
                .executor(executor)
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.clock = clock;
    }

    /** @return completes (never exceptionally) with the attempt's outcome */
    public CompletableFuture<AttemptResult> send(Subscription s, Leased l) {
        Instant started = clock.instant();
        String body = l.event().envelope().toJson().toString();
        String id = l.event().envelope().id();
        String ts = String.valueOf(started.getEpochSecond());
        Target t = s.target();
        HttpRequest req;
        try {
            req = HttpRequest.newBuilder(URI.create(t.url()))
                    .timeout(t.timeout())
                    .header("Content-Type", "application/json")
                    .header("webhook-id", id)
                    .header("webhook-timestamp", ts)
                    .header("webhook-signature", WebhookSignature.sign(t.secret(), id, ts, body))
                    .header("eventbus-attempt", String.valueOf(l.attempt()))
                    .header("eventbus-subscription", s.id())
                    .header("eventbus-replay", String.valueOf(l.replay()))
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build();
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(result(
                    AttemptResult.Outcome.FAILURE, started, t.url(), null, "invalid request: " + e.getMessage(), null));
        }
        return http.sendAsync(req, HttpResponse.BodyHandlers.discarding()).handle((res, ex) -> {
            if (ex != null) {
                Throwable cause = ex instanceof CompletionException && ex.getCause() != null ? ex.getCause() : ex;
                String why = cause instanceof HttpTimeoutException
                        ? "timed out after " + t.timeout().toMillis() + " ms"
                        : cause.getClass().getSimpleName() + ": " + cause.getMessage();
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
