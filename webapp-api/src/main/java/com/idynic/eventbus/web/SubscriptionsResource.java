package com.idynic.eventbus.web;

import com.idynic.eventbus.api.TraceContext;
import com.idynic.eventbus.broker.spi.Leased;
import com.idynic.eventbus.subscribers.Subscription;
import com.idynic.eventbus.subscribers.SubscriptionJson;
import com.idynic.eventbus.subscribers.SubscriptionPulls;
import com.idynic.eventbus.subscribers.SubscriptionService;
import com.idynic.eventbus.subscribers.delivery.SubscriberHealth;
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
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;

/** Subscriptions ({@code /v1/subscriptions}): CRUD, pause/resume, and pull delivery (pull, ack, nack). */
@Path("/v1/subscriptions")
@ApplicationScoped
@RolesAllowed({"subscriber", "operator", "admin"})
@Produces(MediaType.APPLICATION_JSON)
public class SubscriptionsResource {
    static final long MAX_BODY = 64 * 1024;

    @Inject
    SubscriptionService subscriptions;

    @Inject
    SubscriptionPulls pulls;

    @Inject
    Caller caller;

    @Inject
    LongPollAnswers longPolls;

    @Inject
    com.idynic.eventbus.admin.Monitoring monitoring;

    @GET
    public Response list() {
        JsonArrayBuilder a = Json.createArrayBuilder();
        subscriptions.list(caller.account()).forEach(s -> a.add(view(s, false)));
        return ok(Json.createObjectBuilder().add("subscriptions", a).build());
    }

    @GET
    @Path("{id}")
    public Response get(@PathParam("id") String id) {
        return ok(view(subscriptions.get(caller.account(), id), false));
    }

    /**
     * Creates (201) or replaces (200) the subscription {@code id} (the rules: {@link SubscriptionService#save}).
     * A webhook's signing secret is returned only in this response, when it is new. A new subscription whose
     * {@code startPosition} is not {@code latest} gets its history through a replay, named under {@code replay}
     * ({@code id}, {@code href} of its progress, {@code state}).
     */
    @PUT
    @Path("{id}")
    public Response put(@PathParam("id") String id, @HeaderParam("Content-Type") String ct, InputStream body) {
        JsonObject o = JsonBodies.read(ct, body, MAX_BODY);
        SubscriptionService.Saved saved = subscriptions.save(caller.account(), id, o);
        JsonObject answer = view(saved.subscription(), saved.showSecret());
        if (saved.history().isPresent()) {
            var history = saved.history().get();
            JsonObject replay = Json.createObjectBuilder()
                    .add("id", history.id())
                    .add("href", ReplaysResource.href(history))
                    .add("state", history.state())
                    .build();
            answer = Json.createObjectBuilder(answer).add("replay", replay).build();
        }
        return Response.status(saved.created() ? 201 : 200)
                .entity(answer.toString())
                .build();
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id) {
        subscriptions.delete(caller.account(), id);
        return Response.noContent().build();
    }

    /** Pauses a subscription: its events are still queued, and handed out nowhere until it is resumed. */
    @POST
    @Path("{id}/pause")
    public Response pause(@PathParam("id") String id) {
        return ok(view(subscriptions.pause(caller.account(), id), false));
    }

    /**
     * Resumes a paused or disabled subscription and closes its circuit; the events queued meanwhile flow,
     * per key in publish order.
     */
    @POST
    @Path("{id}/resume")
    public Response resume(@PathParam("id") String id) {
        return ok(view(subscriptions.resume(caller.account(), id), false));
    }

    /**
     * Leases events: {@code {"maxEvents":10,"waitMillis":5000,"ackDeadlineMillis":30000}}. A long poll holds
     * no request thread while it waits ({@link com.idynic.eventbus.broker.LongPolls}); it is answered with the
     * first events leased, or with none when {@code waitMillis} ends. Each event comes with the {@code
     * traceparent} of this delivery: the event's trace id, a new parent id.
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
        var answer = pulls.pull(caller.account(), id, max, Duration.ofMillis(wait), Duration.ofMillis(deadline));
        longPolls.resume(answer, wait, response, SubscriptionsResource::events);
    }

    private static Response events(List<Leased> got) {
        JsonArrayBuilder a = Json.createArrayBuilder();
        for (Leased l : got) {
            a.add(Json.createObjectBuilder()
                    .add("event", l.event().envelope().toJson())
                    .add(
                            TraceContext.HEADER,
                            TraceContext.forDelivery(l.event().envelope()).traceparent())
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
        int n = pulls.ack(caller.account(), id, ids);
        return ok(Json.createObjectBuilder().add("settled", n).build());
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
        int n = pulls.nack(caller.account(), id, ids, reason, reject);
        return ok(Json.createObjectBuilder().add("settled", n).build());
    }

    static Response ok(JsonObject o) {
        return Response.ok(o.toString()).build();
    }

    private JsonObject view(Subscription s, boolean withSecret) {
        JsonObjectBuilder b = Json.createObjectBuilder(SubscriptionJson.write(s, withSecret));
        subscriptions.health(s).ifPresent(h -> b.add("health", health(h)));
        lag(s.id()).ifPresent(l -> b.add("lag", l));
        return b.build();
    }

    /**
     * @return the subscription's queue now (the operator's figures, {@code Monitoring}): depth, dead letters and the
     *     age of the oldest owed delivery; empty while the figures cannot be read
     */
    private java.util.Optional<JsonObjectBuilder> lag(String id) {
        com.idynic.eventbus.admin.Overview o;
        try {
            o = monitoring.overview();
        } catch (RuntimeException figuresUnavailable) {
            return java.util.Optional.empty();
        }
        return o.subscription(id).map(f -> {
            JsonObjectBuilder l = Json.createObjectBuilder()
                    .add("queueDepth", f.figures().queueDepth())
                    .add("deadLetters", f.figures().deadLetters());
            if (f.figures().lag() != null) {
                l.add("oldestPendingAgeSeconds", f.figures().lag().toSeconds());
            } else {
                l.addNull("oldestPendingAgeSeconds");
            }
            return l;
        });
    }

    private static JsonObjectBuilder health(SubscriberHealth.Snapshot h) {
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
        return hb;
    }
}
