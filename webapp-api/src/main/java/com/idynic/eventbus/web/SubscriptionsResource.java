package com.idynic.eventbus.web;

import com.idynic.eventbus.api.CachedJson;
import com.idynic.eventbus.subscribers.Subscription;
import com.idynic.eventbus.subscribers.SubscriptionJson;
import com.idynic.eventbus.subscribers.SubscriptionPulls;
import com.idynic.eventbus.subscribers.SubscriptionService;
import com.idynic.eventbus.subscribers.delivery.SubscriberHealth;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
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

/** Subscriptions ({@code /v1/subscriptions}): CRUD, pause/resume, and pull delivery (pull, ack, nack). */
@Path("/v1/subscriptions")
@ApplicationScoped
@RolesAllowed({"subscriber", "operator", "admin"})
@Produces(MediaType.APPLICATION_JSON)
public class SubscriptionsResource {
    static final long MAX_BODY = PullCalls.MAX_BODY;

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
        JsonArrayBuilder a = CachedJson.createArrayBuilder();
        subscriptions.list(caller.account()).forEach(s -> a.add(view(s, false)));
        return ok(CachedJson.createObjectBuilder().add("subscriptions", a).build());
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
            JsonObject replay = CachedJson.createObjectBuilder()
                    .add("id", history.id())
                    .add("href", ReplaysResource.href(history))
                    .add("state", history.state())
                    .build();
            answer =
                    CachedJson.createObjectBuilder(answer).add("replay", replay).build();
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
        PullCalls.Pull p = PullCalls.Pull.of(JsonBodies.read(ct, body, MAX_BODY));
        longPolls.resume(
                p.ask(pulls, caller.account(), id), p.waitMillis(), response, got -> ok(PullCalls.events(got)));
    }

    /** Marks leased events delivered: {@code {"eventIds":["evt-1"]}}. */
    @POST
    @Path("{id}/ack")
    public Response ack(@PathParam("id") String id, @HeaderParam("Content-Type") String ct, InputStream body) {
        return ok(PullCalls.ack(pulls, caller.account(), id, JsonBodies.read(ct, body, MAX_BODY)));
    }

    /**
     * Returns leased events for a retry per the subscription's policy, or with {@code "reject": true}
     * sends them straight to the dead-letter queue: {@code {"eventIds":["evt-1"],"reason":"..."}}.
     */
    @POST
    @Path("{id}/nack")
    public Response nack(@PathParam("id") String id, @HeaderParam("Content-Type") String ct, InputStream body) {
        return ok(PullCalls.nack(pulls, caller.account(), id, JsonBodies.read(ct, body, MAX_BODY)));
    }

    static Response ok(JsonObject o) {
        return Response.ok(o.toString()).build();
    }

    private JsonObject view(Subscription s, boolean withSecret) {
        JsonObjectBuilder b = CachedJson.createObjectBuilder(SubscriptionJson.write(s, withSecret));
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
            JsonObjectBuilder l = CachedJson.createObjectBuilder()
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
        JsonObjectBuilder hb = CachedJson.createObjectBuilder()
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
