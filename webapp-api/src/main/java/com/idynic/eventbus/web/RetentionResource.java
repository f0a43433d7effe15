package com.idynic.eventbus.web;

import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.CachedJson;
import com.idynic.eventbus.api.ErrorCode;
import com.idynic.eventbus.api.Timestamps;
import com.idynic.eventbus.broker.RetentionPolicyView;
import com.idynic.eventbus.broker.RetentionRunView;
import com.idynic.eventbus.broker.RetentionService;
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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.net.URI;
import java.util.Locale;
import java.util.Map;

/** Retention policies per event type, the global default, and runs: started on demand, followed by id. */
@Path("/v1/retention")
@RolesAllowed({"operator", "admin"})
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
public class RetentionResource {
    @Inject
    RetentionService retention;

    @Inject
    Caller caller;

    @GET
    public Response get() {
        RetentionService.Overview now = retention.overview();
        JsonArrayBuilder a = CachedJson.createArrayBuilder();
        now.policies().forEach(p -> a.add(view(p)));
        JsonObjectBuilder b = CachedJson.createObjectBuilder()
                .add("defaultMaxAgeSeconds", now.defaultMaxAge().toSeconds())
                .add("policies", a)
                .add("removedTotal", now.removedTotal());
        now.lastRun().ifPresent(r -> b.add("lastRun", view(r)));
        return SubscriptionsResource.ok(b.build());
    }

    /** {@code {"maxAgeSeconds":604800,"maxCount":1000000}} for one event type. */
    @PUT
    @Path("{eventType}")
    @RolesAllowed("admin")
    public Response put(
            @PathParam("eventType") String eventType, @HeaderParam("Content-Type") String ct, InputStream body) {
        JsonObject o = JsonBodies.read(ct, body, SubscriptionsResource.MAX_BODY);
        RetentionPolicyView p = retention.savePolicy(caller.name(), eventType, o);
        return SubscriptionsResource.ok(view(p));
    }

    @DELETE
    @Path("{eventType}")
    @RolesAllowed("admin")
    public Response delete(@PathParam("eventType") String eventType) {
        retention.deletePolicy(caller.name(), eventType);
        return Response.noContent().build();
    }

    /**
     * Starts a run in the background: 202 with its id and {@code href}, or 409 {@code ALREADY_RUNNING}
     * naming the run that is running (one at a time, across servers).
     */
    @POST
    @Path("run")
    @RolesAllowed("admin")
    public Response run() {
        RetentionService.Start start = retention.start(caller.name());
        RetentionRunView r = start.run();
        if (!start.started()) {
            throw new BusException(
                    ErrorCode.ALREADY_RUNNING,
                    "Retention run " + r.id() + " is running; follow it at " + href(r),
                    Map.of("runningId", r.id(), "href", href(r)));
        }
        return Response.status(202)
                .location(URI.create(href(r)))
                .entity(view(r).toString())
                .build();
    }

    /** A run's state ({@code running}, {@code done}, {@code failed}), removed counts per type and batches. */
    @GET
    @Path("runs/{runId}")
    public Response runStatus(@PathParam("runId") String runId) {
        return SubscriptionsResource.ok(view(retention.run(runId)));
    }

    private static JsonObject view(RetentionPolicyView p) {
        JsonObjectBuilder b = CachedJson.createObjectBuilder()
                .add("eventType", p.eventType())
                .add("maxAgeSeconds", p.maxAge().toSeconds());
        if (p.maxCount() != null) {
            b.add("maxCount", p.maxCount());
        }
        return b.build();
    }

    private static String href(RetentionRunView r) {
        return "/v1/retention/runs/" + r.id();
    }

    static JsonObject view(RetentionRunView r) {
        JsonObjectBuilder removed = CachedJson.createObjectBuilder();
        r.removed().forEach(removed::add);
        JsonObjectBuilder b = CachedJson.createObjectBuilder()
                .add("id", r.id())
                .add("state", r.state().toLowerCase(Locale.ROOT))
                .add("href", href(r))
                .add("trigger", r.trigger())
                .add("startedAt", Timestamps.format(r.startedAt()))
                .add("updatedAt", Timestamps.format(r.updatedAt()))
                .add("batches", r.batches())
                .add("removed", removed)
                .add("total", r.total());
        if (r.eventType() != null) {
            b.add("eventType", r.eventType());
        }
        if (r.finishedAt() != null) {
            b.add("finishedAt", Timestamps.format(r.finishedAt()));
        }
        if (r.error() != null) {
            b.add("error", r.error());
        }
        return b.build();
    }
}
