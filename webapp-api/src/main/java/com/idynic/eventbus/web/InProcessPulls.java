package com.idynic.eventbus.web;

import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.CachedJson;
import com.idynic.eventbus.api.ErrorCode;
import com.idynic.eventbus.security.Credentials;
import com.idynic.eventbus.security.Role;
import com.idynic.eventbus.security.ServiceAccount;
import com.idynic.eventbus.subscribers.SubscriptionPulls;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.management.ObjectName;

/**
 * The pull API for co-deployed apps without HTTP: the client library of an app on this server ({@code
 * ObserverBridge}) leases, acknowledges and nacks its subscription's events through this endpoint, registered in the
 * JVM's platform MBean server as {@value #NAME}, on its own thread, with no token, request or JSON over a socket.
 * It answers exactly as the REST API does ({@link PullCalls}): the caller presents its service's API key, which is
 * checked as a token exchange checks it (again at least every {@link #RECHECK}, so a revoked key or a service
 * deleted stops in-process delivery within that time), the service must hold a role that may pull (as {@code
 * /v1/subscriptions} requires), own the subscription, and may still read each event's type when it is leased (the
 * subscribe permission, read from the service directory at that moment). Nothing here decides more than the REST
 * resource does; it only removes the transport.
 */
@ApplicationScoped
public class InProcessPulls implements InProcessPullsMBean {
    /** The endpoint's name in the platform MBean server. */
    public static final String NAME = "com.idynic.eventbus:type=InProcessPulls";

    /** How long a checked key is trusted before it is checked against the store again. */
    static final Duration RECHECK = Duration.ofSeconds(1);

    /** A backstop only: a long poll is answered by the bus when its wait ends, never this late. */
    private static final long LATE_MARGIN_MILLIS = 5_000;

    private static final Logger LOG = Logger.getLogger(InProcessPulls.class.getName());

    @Inject
    SubscriptionPulls pulls;

    @Inject
    Credentials credentials;

    @Inject
    Clock clock;

    private final Map<String, Checked> checked = new ConcurrentHashMap<>();
    private volatile Optional<ObjectName> registered = Optional.empty();

    private record Checked(ServiceAccount service, Instant at) {}

    void start(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        // the bean instance itself, not the CDI proxy
        registered = PlatformMBeans.register(NAME, this, InProcessPullsMBean.class);
    }

    @PreDestroy
    void stop() {
        PlatformMBeans.unregister(registered);
    }

    @Override
    public String call(String apiKey, String operation, String subscription, String body) {
        Thread t = Thread.currentThread();
        ClassLoader callers = t.getContextClassLoader();
        t.setContextClassLoader(InProcessPulls.class.getClassLoader());
        try {
            JsonObject answer = answer(apiKey, operation, subscription, body == null ? "{}" : body);
            return CachedJson.createObjectBuilder()
                    .add("status", 200)
                    .add("body", answer)
                    .build()
                    .toString();
        } catch (BusException e) {
            return refusal(e.errorCode(), e.getMessage(), e.details());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "in-process " + operation + " on subscription " + subscription + " failed", e);
            return refusal(
                    ErrorCode.INTERNAL_ERROR,
                    "The bus could not answer: " + e.getClass().getSimpleName(),
                    Map.of());
        } finally {
            t.setContextClassLoader(callers);
        }
    }

    private JsonObject answer(String apiKey, String operation, String subscription, String text) {
        ServiceAccount me = caller(apiKey);
        JsonObject body = JsonBodies.read(
                "application/json",
                new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
                PullCalls.MAX_BODY);
        return switch (operation) {
            case "pull" -> PullCalls.events(await(PullCalls.Pull.of(body), me, subscription));
            case "ack" -> PullCalls.ack(pulls, me, subscription, body);
            case "nack" -> PullCalls.nack(pulls, me, subscription, body);
            default -> throw new BusException(
                    ErrorCode.NOT_FOUND, "No pull operation '" + operation + "'", Map.of("operation", operation));
        };
    }

    private List<com.idynic.eventbus.broker.spi.Leased> await(PullCalls.Pull p, ServiceAccount me, String id) {
        CompletableFuture<List<com.idynic.eventbus.broker.spi.Leased>> answer = p.ask(pulls, me, id);
        try {
            return answer.get(p.waitMillis() + LATE_MARGIN_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            answer.cancel(false);
            Thread.currentThread().interrupt();
            return List.of();
        } catch (CancellationException | TimeoutException e) {
            answer.cancel(false);
            return List.of();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** The key's service, checked against the store at most {@link #RECHECK} ago. */
    private ServiceAccount caller(String apiKey) {
        if (apiKey == null || apiKey.isBlank()) {
            throw new BusException(ErrorCode.UNAUTHORIZED, "An API key is required", Map.of("field", "apiKey"));
        }
        Instant now = clock.instant();
        Checked c = checked.get(apiKey);
        if (c == null || !now.isBefore(c.at().plus(RECHECK))) {
            try {
                c = new Checked(credentials.verify(apiKey).service(), now);
            } catch (BusException refused) {
                checked.remove(apiKey);
                throw refused;
            }
            if (checked.size() > 1_000) {
                checked.clear();
            }
            checked.put(apiKey, c);
        }
        ServiceAccount me = c.service();
        if (!(me.has(Role.SUBSCRIBER) || me.has(Role.OPERATOR))) {
            throw new BusException(
                    ErrorCode.FORBIDDEN,
                    "Service '" + me.name() + "' may not pull: it needs the subscriber, operator or admin role",
                    Map.of());
        }
        return me;
    }

    private static String refusal(String code, String message, Map<String, ?> details) {
        return "{\"status\":" + Errors.status(code) + ",\"body\":" + Errors.json(code, message, details) + "}";
    }
}
