package com.idynic.eventbus.web;

import com.idynic.eventbus.api.CachedJson;
import com.idynic.eventbus.subscribers.ReplayService;
import com.idynic.eventbus.subscribers.ReplayView;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.net.URI;
import java.util.List;

/** Replays of stored events to one subscription: start (or dry-run) and follow progress. */
@Path("/v1/subscriptions/{id}/replays")
@ApplicationScoped
@RolesAllowed({"operator", "admin"})
@Produces(MediaType.APPLICATION_JSON)
public class ReplaysResource {
    @Inject
    ReplayService replays;

    @Inject
    Caller caller;

    /**
     * {@code {"from":"earliest"|"2026-11-27T10:00:00Z"|"evt-123","to":"...","eventTypes":["order.*"],
     * "ratePerSecond":100,"source":"auto"|"postgresql","dryRun":false}}: 202 with the job and its
     * {@code Location}, 409 {@code ALREADY_RUNNING} naming the subscription's running replay, or 200 with the
     * count for a dry run. {@code auto} reads the Kafka topic where it still holds the range, for replays of
     * every event type. A dry run's {@code total} is exact up to 10,000; beyond that it is 10,000 with
     * {@code "countCapped": true}; its {@code readFrom} and {@code etaSeconds} say where the job would read
     * and how long it would take.
     */
    @POST
    public Response start(@PathParam("id") String id, @HeaderParam("Content-Type") String ct, InputStream body) {
        JsonObject o = JsonBodies.read(ct, body, SubscriptionsResource.MAX_BODY);
        ReplayService.Request request = new ReplayService.Request(
                JsonBodies.stringField(o, "from", "earliest"),
                JsonBodies.stringField(o, "to", null),
                o.containsKey("eventTypes") ? JsonBodies.strings(o, "eventTypes", 100) : List.of(),
                o.get("ratePerSecond") instanceof JsonNumber n ? n.doubleValue() : null,
                JsonBodies.stringField(o, "source", "auto"),
                JsonBodies.boolField(o, "dryRun", false));
        ReplayService.Started started = replays.start(caller.name(), id, request);
        if (started.dryRun().isPresent()) {
            ReplayService.DryRun d = started.dryRun().get();
            return SubscriptionsResource.ok(CachedJson.createObjectBuilder(view(d.job()))
                    .add("countCapped", d.countCapped())
                    .add("etaSeconds", d.etaSeconds())
                    .build());
        }
        return Response.status(202)
                .location(URI.create(href(started.job())))
                .entity(view(started.job()).toString())
                .build();
    }

    /**
     * Progress: done/total, rate and ETA. Operators read any replay; a subscription's owner reads the
     * replays of its own subscription (the one its {@code startPosition} started, for instance).
     */
    @GET
    @Path("{replayId}")
    @RolesAllowed({"subscriber", "operator", "admin"})
    public Response get(@PathParam("id") String id, @PathParam("replayId") String replayId) {
        return SubscriptionsResource.ok(view(replays.progress(caller.account(), id, replayId)));
    }

    /** Cancels a running replay (operators and admins, audited); idempotent: an ended one is answered as it is. */
    @DELETE
    @Path("{replayId}")
    public Response cancel(@PathParam("id") String id, @PathParam("replayId") String replayId) {
        return SubscriptionsResource.ok(view(replays.cancel(caller.name(), id, replayId)));
    }

    static JsonObject view(ReplayView j) {
        JsonArrayBuilder types = CachedJson.createArrayBuilder();
        j.eventTypes().forEach(types::add);
        JsonObjectBuilder b = CachedJson.createObjectBuilder()
                .add("id", j.id())
                .add("subscriptionId", j.subscriptionId())
                .add("from", j.from())
                .add("eventTypes", types)
                .add("ratePerSecond", j.ratePerSecond())
                .add("state", j.state())
                .add("total", j.total())
                .add("done", j.done())
                .add("etaSeconds", j.etaSeconds())
                .add("source", j.source());
        if (!j.dryRun()) {
            b.add("href", href(j));
        }
        if (j.readFrom() != null) {
            b.add("readFrom", j.readFrom());
        }
        if (j.to() != null) {
            b.add("to", j.to().toString());
        }
        if (j.error() != null) {
            b.add("error", j.error());
        }
        return b.build();
    }

    /** @return the path at which a replay's progress is read */
    static String href(ReplayView j) {
        return "/v1/subscriptions/" + j.subscriptionId() + "/replays/" + j.id();
    }
}
