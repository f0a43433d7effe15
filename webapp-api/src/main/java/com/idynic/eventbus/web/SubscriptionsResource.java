package com.idynic.eventbus.web;

import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.ErrorCode;
import com.idynic.eventbus.api.InvalidFieldException;
import com.idynic.eventbus.broker.LongPolls;
import com.idynic.eventbus.broker.PullService;
import com.idynic.eventbus.broker.Signal;
import com.idynic.eventbus.broker.spi.Leased;
import com.idynic.eventbus.security.Permissions;
import com.idynic.eventbus.security.Role;
import com.idynic.eventbus.security.ServiceAccount;
import com.idynic.eventbus.subscribers.Replays;
import com.idynic.eventbus.subscribers.SubscriberHealth;
import com.idynic.eventbus.subscribers.Subscription;
import com.idynic.eventbus.subscribers.SubscriptionJson;
import com.idynic.eventbus.subscribers.SubscriptionRegistry;
import com.idynic.eventbus.subscribers.SubscriptionSettings;
import com.idynic.eventbus.subscribers.Target;
import com.idynic.eventbus.subscribers.WebhookDelivery;
import com.idynic.eventbus.subscribers.spi.ReplayStore;
import jakarta.annotation.Resource;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.CompletionCallback;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/** Subscriptions ({@code /v1/subscriptions}): CRUD, pause/resume, and pull delivery (pull, ack, nack). */
@Path("/v1/subscriptions")
@ApplicationScoped
@RolesAllowed({"subscriber", "operator", "admin"})
@Produces(MediaType.APPLICATION_JSON)
public class SubscriptionsResource {
    static final long MAX_BODY = 64 * 1024;

    /** A backstop only: a long poll is answered by {@link LongPolls} when its wait ends, never this late. */
    private static final long LATE_MARGIN_MILLIS = 5_000;

    @Inject
    SubscriptionRegistry registry;

    @Inject
    Caller caller;

    @Inject
    SubscriptionSettings settings;

    @Inject
    PullService pulls;

    @Inject
    LongPolls longPolls;

    /** Writes long polls' answers, so that neither the long-poll timer nor its leasing threads wait on a client. */
    @Resource(lookup = "java:comp/DefaultManagedExecutorService")
    ExecutorService responder;

    @Inject
    WebhookDelivery webhooks;

    @Inject
    Replays replays;

    @Inject
    @Enqueued
    Signal enqueued;

    @GET
    public Response list() {
        JsonArrayBuilder a = Json.createArrayBuilder();
        ServiceAccount me = caller.account();
        registry.all().stream()
                .filter(s -> me.has(Role.OPERATOR) || me.name().equals(s.owner()))
                .forEach(s -> a.add(view(s, false)));
        return ok(Json.createObjectBuilder().add("subscriptions", a).build());
    }

    @GET
    @Path("{id}")
    public Response get(@PathParam("id") String id) {
        return ok(view(readable(id), false));
    }

    /**
     * Creates (201) or replaces (200) the subscription {@code id}. A webhook's signing secret is
     * returned only in this response, when it is new; replacing without a secret keeps the old one. A new
     * subscription whose {@code startPosition} is not {@code latest} gets its history through a replay,
     * named under {@code replay} ({@code id}, {@code href} of its progress, {@code state}). A replace without
     * {@code state} keeps the current state (a restarting client must not resume what an operator paused),
     * and the reason for a state is the bus's, never the caller's.
     */
    @PUT
    @Path("{id}")
    public Response put(@PathParam("id") String id, @HeaderParam("Content-Type") String ct, InputStream body) {
        JsonObject o = JsonBodies.read(ct, body, MAX_BODY);
        ServiceAccount me = caller.account();
        if (!o.containsKey("owner")) {
            String owner = registry.find(id).map(Subscription::owner).orElse(me.name());
            o = Json.createObjectBuilder(o).add("owner", owner).build();
        }
        Subscription s = SubscriptionJson.read(id, o);
        if (!s.owner().equals(me.name()) && !me.has(Role.ADMIN)) {
            throw new BusException(
                    ErrorCode.FORBIDDEN,
                    "Service '" + me.name() + "' may only create subscriptions it owns",
                    Map.of("service", me.name(), "field", "owner"));
        }
        Permissions.checkSubscribe(me, s.eventTypes());
        Optional<Subscription> before = registry.find(id);
        String keptState = o.containsKey("state")
                ? s.state()
                : before.map(Subscription::state).orElse(s.state());
        String keptReason = before.filter(b -> b.state().equals(keptState))
                .map(Subscription::disabledReason)
                .orElse(null);
        s = s.withState(keptState, keptReason);
        if (before.isPresent()) {
            Permissions.checkOwner(me, id, before.get().owner());
        } else {
            String owner = s.owner();
            long owned =
                    registry.all().stream().filter(x -> x.owner().equals(owner)).count();
            int max = me.maxSubscriptions() == null ? settings.maxPerService() : me.maxSubscriptions();
            if (owned >= max && !me.has(Role.ADMIN)) {
                throw new BusException(
                        ErrorCode.QUOTA_EXCEEDED,
                        "Service '" + s.owner() + "' already has " + owned + " subscriptions (limit " + max + ")",
                        Map.of("service", s.owner(), "limit", max));
            }
        }
        boolean secretGiven =
                o.containsKey("target") && o.get("target") instanceof JsonObject t && t.containsKey("secret");
        if (!secretGiven
                && before.isPresent()
                && before.get().target().secret() != null
                && s.target().isPush()) {
            Target t = s.target();
            s = s.withTarget(new Target(t.type(), t.url(), before.get().target().secret(), t.timeout()));
        }
        boolean created = registry.save(s);
        ReplayStore.Job history = null;
        if (created && !"latest".equals(s.startPosition())) {
            try {
                history = replays.start(
                        s, s.startPosition(), null, List.of(), settings.replayDefaultRate(), "auto", false);
            } catch (InvalidFieldException e) {
                registry.delete(id);
                throw new InvalidFieldException(
                        "startPosition", String.valueOf(e.details().get("error")));
            }
        }
        boolean showSecret = s.target().isPush()
                && (secretGiven || before.isEmpty() || before.get().target().secret() == null);
        JsonObject answer = view(s, showSecret);
        if (history != null) {
            JsonObject replay = Json.createObjectBuilder()
                    .add("id", history.id())
                    .add("href", ReplaysResource.href(history))
                    .add("state", history.state())
                    .build();
            answer = Json.createObjectBuilder(answer).add("replay", replay).build();
        }
        return Response.status(created ? 201 : 200).entity(answer.toString()).build();
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id) {
        existing(id);
        if (!registry.delete(id)) {
            throw notFound(id);
        }
        return Response.noContent().build();
    }

    /** Pauses a subscription: its events are still queued, and handed out nowhere until it is resumed. */
    @POST
    @Path("{id}/pause")
    public Response pause(@PathParam("id") String id) {
        readable(id);
        return ok(view(registry.changeState(id, "paused", null).orElseThrow(() -> notFound(id)), false));
    }

    /**
     * Resumes a paused or disabled subscription and closes its circuit; the events queued meanwhile flow,
     * per key in publish order.
     */
    @POST
    @Path("{id}/resume")
    public Response resume(@PathParam("id") String id) {
        readable(id);
        Subscription s = registry.changeState(id, "active", null).orElseThrow(() -> notFound(id));
        webhooks.reset(id);
        enqueued.raise();
        return ok(view(s, false));
    }

    /**
     * Leases events: {@code {"maxEvents":10,"waitMillis":5000,"ackDeadlineMillis":30000}}. A long poll holds
     * no request thread while it waits ({@link LongPolls}); it is answered with the first events leased, or
     * with none when {@code waitMillis} ends.
     */
    @POST
    @Path("{id}/pull")
    public void pull(
            @PathParam("id") String id,
            @HeaderParam("Content-Type") String ct,
            InputStream body,
            @Suspended AsyncResponse response) {
        JsonObject o = JsonBodies.read(ct, body, MAX_BODY);
        int max = JsonBodies.intField(o, "maxEvents", 10, 1, 500);
        int wait = JsonBodies.intField(o, "waitMillis", 0, 0, 30_000);
        int deadline = JsonBodies.intField(o, "ackDeadlineMillis", 30_000, 1_000, 600_000);
        Subscription s = existing(id);
        if (s.target().isPush()) {
            throw new BusException(
                    ErrorCode.VALIDATION_ERROR,
                    "Subscription '" + id + "' is a webhook subscription; the bus pushes its events",
                    Map.of("field", "target.type"));
        }
        CompletableFuture<List<Leased>> answer = longPolls.pull(
                caller.name(),
                Duration.ofMillis(wait),
                () -> pulls.lease(id, max, Duration.ofMillis(deadline), type -> registry.mayRead(s, type)));
        if (answer.isDone() && !answer.isCompletedExceptionally()) {
            response.resume(events(answer.join()));
            return;
        }
        response.register((CompletionCallback) failure -> answer.cancel(false));
        // LongPolls answers every poll when its wait ends, or as soon as a lease running at that moment returns:
        // a slow database can hold that lease past the margin, and what it leases must be answered, not dropped
        // (its events would wait out their ack deadline with an attempt counted), so the backstop waits on
        response.setTimeoutHandler(late -> {
            if (!answer.isDone()) {
                late.setTimeout(LATE_MARGIN_MILLIS, TimeUnit.MILLISECONDS);
            }
        });
        response.setTimeout(wait + LATE_MARGIN_MILLIS, TimeUnit.MILLISECONDS);
        answer.whenCompleteAsync(
                (got, failure) -> {
                    if (failure == null) {
                        response.resume(events(got));
                    } else if (!(failure instanceof CancellationException)) {
                        response.resume(
                                failure instanceof CompletionException c && c.getCause() != null
                                        ? c.getCause()
                                        : failure);
                    }
                },
                responder);
    }

    private static Response events(List<Leased> got) {
        JsonArrayBuilder a = Json.createArrayBuilder();
        for (Leased l : got) {
            a.add(Json.createObjectBuilder()
                    .add("event", l.event().envelope().toJson())
                    .add("attempt", l.attempt())
                    .add("replay", l.replay()));
        }
        return ok(Json.createObjectBuilder().add("events", a).build());
    }

    /** Marks leased events delivered: {@code {"eventIds":["evt-1"]}}. */
    @POST
    @Path("{id}/ack")
    public Response ack(@PathParam("id") String id, @HeaderParam("Content-Type") String ct, InputStream body) {
        List<String> ids = JsonBodies.strings(JsonBodies.read(ct, body, MAX_BODY), "eventIds", 500);
        Subscription s = existing(id);
        return ok(Json.createObjectBuilder()
                .add("settled", pulls.ack(id, ids, s.target().type()))
                .build());
    }

    /**
     * Returns leased events for a retry per the subscription's policy, or with {@code "reject": true}
     * sends them straight to the dead-letter queue: {@code {"eventIds":["evt-1"],"reason":"..."}}.
     */
    @POST
    @Path("{id}/nack")
    public Response nack(@PathParam("id") String id, @HeaderParam("Content-Type") String ct, InputStream body) {
        JsonObject o = JsonBodies.read(ct, body, MAX_BODY);
        List<String> ids = JsonBodies.strings(o, "eventIds", 500);
        String reason = JsonBodies.stringField(o, "reason", "nack");
        boolean reject = JsonBodies.boolField(o, "reject", false);
        Subscription s = existing(id);
        int n = pulls.nack(
                id,
                ids,
                reason.length() > 2000 ? reason.substring(0, 2000) : reason,
                reject,
                s.retryPolicy(),
                s.target().type());
        return ok(Json.createObjectBuilder().add("settled", n).build());
    }

    /** @return the subscription, when the caller owns it or is an operator (reading, pause, resume) */
    Subscription readable(String id) {
        Subscription s = registry.find(id).orElseThrow(() -> notFound(id));
        Permissions.checkReader(caller.account(), id, s.owner());
        return s;
    }

    /** @return the subscription, when the caller owns it or is an admin (consuming, changing, deleting) */
    Subscription existing(String id) {
        Subscription s = registry.find(id).orElseThrow(() -> notFound(id));
        Permissions.checkOwner(caller.account(), id, s.owner());
        return s;
    }

    static BusException notFound(String id) {
        return new BusException(
                ErrorCode.NOT_FOUND, "No subscription with id '" + id + "'", Map.of("subscriptionId", id));
    }

    static Response ok(JsonObject o) {
        return Response.ok(o.toString()).build();
    }

    private JsonObject view(Subscription s, boolean withSecret) {
        JsonObjectBuilder b = Json.createObjectBuilder(SubscriptionJson.write(s, withSecret));
        if (s.target().isPush()) {
            SubscriberHealth.Snapshot h = webhooks.healthOf(s.id()).snapshot();
            JsonObjectBuilder hb = Json.createObjectBuilder()
                    .add("circuit", h.circuit())
                    .add("successes", h.successes())
                    .add("failures", h.failures())
                    .add("consecutiveFailures", h.consecutiveFailures())
                    .add("averageLatencyMs", Math.round(h.averageLatencyMs()));
            if (h.failingSince() != null) {
                hb.add("failingSince", h.failingSince().toString());
            }
            if (h.lastError() != null) {
                hb.add("lastError", h.lastError());
            }
            b.add("health", hb);
        }
        return b.build();
    }
}
