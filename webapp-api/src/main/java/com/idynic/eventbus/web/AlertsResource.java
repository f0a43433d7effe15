package com.idynic.eventbus.web;

import com.idynic.eventbus.admin.AlertEvent;
import com.idynic.eventbus.admin.AlertJson;
import com.idynic.eventbus.admin.AlertRules;
import com.idynic.eventbus.api.CachedJson;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.net.URI;
import java.util.List;

/**
 * Alerts ({@code /v1/alerts}): the active ones, the history, and the rules (list, create, read, replace, delete).
 * Configuring alerts is an operator's task (the seed names it), so operators and admins read and write; every change
 * is audited.
 */
@Path("/v1/alerts")
@ApplicationScoped
@RolesAllowed({"operator", "admin"})
@Produces(MediaType.APPLICATION_JSON)
public class AlertsResource {
    @Inject
    AlertRules alerts;

    @Inject
    Caller caller;

    /** The firing rules, each with the metric's value now. */
    @GET
    public Response active() {
        JsonArrayBuilder a = CachedJson.createArrayBuilder();
        alerts.active().forEach(x -> a.add(AlertJson.write(x)));
        return SubscriptionsResource.ok(
                CachedJson.createObjectBuilder().add("alerts", a).build());
    }

    /** Firings and resolutions, newest first: {@code ?ruleId=&limit=100&before=<next of the last page>}. */
    @GET
    @Path("history")
    public Response history(
            @QueryParam("ruleId") String ruleId,
            @QueryParam("limit") @DefaultValue("100") int limit,
            @QueryParam("before") @DefaultValue("0") long before) {
        List<AlertEvent> page = alerts.history(ruleId, before, limit);
        JsonArrayBuilder a = CachedJson.createArrayBuilder();
        page.forEach(e -> a.add(AlertJson.write(e)));
        JsonObjectBuilder b = CachedJson.createObjectBuilder().add("events", a);
        if (page.size() == limit) {
            b.add("next", page.get(page.size() - 1).id());
        }
        return SubscriptionsResource.ok(b.build());
    }

    @GET
    @Path("rules")
    public Response rules() {
        JsonArrayBuilder a = CachedJson.createArrayBuilder();
        alerts.rules().forEach(r -> a.add(AlertJson.write(r, null)));
        return SubscriptionsResource.ok(
                CachedJson.createObjectBuilder().add("rules", a).build());
    }

    /**
     * Creates a rule (201, {@code Location}); a notification's signing secret is in this answer only. The body:
     * {@link AlertJson#read}.
     */
    @POST
    @Path("rules")
    public Response create(@HeaderParam("Content-Type") String ct, InputStream body) {
        AlertRules.Saved saved =
                alerts.create(caller.name(), AlertJson.read(JsonBodies.read(ct, body, SubscriptionsResource.MAX_BODY)));
        return Response.created(URI.create("/v1/alerts/rules/" + saved.rule().id()))
                .entity(AlertJson.write(saved.rule(), saved.secret()).toString())
                .build();
    }

    @GET
    @Path("rules/{id}")
    public Response rule(@PathParam("id") String id) {
        return SubscriptionsResource.ok(AlertJson.write(alerts.rule(id), null));
    }

    /** Replaces a rule's settings (its state stays); a new signing secret is in this answer only. */
    @PUT
    @Path("rules/{id}")
    public Response replace(@PathParam("id") String id, @HeaderParam("Content-Type") String ct, InputStream body) {
        AlertRules.Saved saved = alerts.replace(
                caller.name(), id, AlertJson.read(JsonBodies.read(ct, body, SubscriptionsResource.MAX_BODY)));
        return SubscriptionsResource.ok(AlertJson.write(saved.rule(), saved.secret()));
    }

    @DELETE
    @Path("rules/{id}")
    public Response delete(@PathParam("id") String id) {
        alerts.delete(caller.name(), id);
        return Response.noContent().build();
    }
}
