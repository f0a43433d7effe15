package com.idynic.eventbus.web;

import com.idynic.eventbus.admin.AuditEntry;
import com.idynic.eventbus.admin.AuditTrail;
import com.idynic.eventbus.api.CachedJson;
import com.idynic.eventbus.api.Timestamps;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The audit log ({@code GET /v1/audit}): who did what to which subscription, newest first. Operators read it (they
 * act on the bus and answer for what was done; the console's audit page shows the same to them); admins too.
 */
@Path("/v1/audit")
@ApplicationScoped
@RolesAllowed({"operator", "admin"})
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {
    @Inject
    AuditTrail audit;

    /**
     * {@code ?actor=&action=&subscription=&from=&to=&limit=100&before=<next of the last page>}; {@code from} and
     * {@code to} are ISO-8601 times with offset.
     */
    @GET
    public Response entries(
            @QueryParam("actor") String actor,
            @QueryParam("action") String action,
            @QueryParam("subscription") String subscription,
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("limit") @DefaultValue("100") int limit,
            @QueryParam("before") @DefaultValue("0") long before) {
        AuditTrail.Page page = audit.page(actor, action, subscription, from, to, before, limit);
        JsonArrayBuilder a = CachedJson.createArrayBuilder();
        for (AuditEntry e : page.entries()) {
            JsonObjectBuilder o = CachedJson.createObjectBuilder()
                    .add("id", e.id())
                    .add("at", Timestamps.format(e.at()))
                    .add("actor", e.actor())
                    .add("action", e.action());
            if (e.subscription() != null) {
                o.add("subscription", e.subscription());
            }
            if (e.detail() != null) {
                o.add("detail", e.detail());
            }
            a.add(o);
        }
        JsonObjectBuilder b = CachedJson.createObjectBuilder().add("entries", a);
        if (page.next() != null) {
            b.add("next", page.next());
        }
        return SubscriptionsResource.ok(b.build());
    }
}
