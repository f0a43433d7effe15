package com.idynic.eventbus.examples.profile;

import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Demo endpoints: place an order (optionally rolled back) and list what the observers received. Both need
 * a bus token ({@link BearerTokenFilter}) with a role named here, as the bus's own API does.
 */
@Path("/")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
public class ProfileResource {
    @Inject
    OrderService orders;

    @Inject
    Received received;

    /** Publishes {@code order.placed}, so it needs a role that may publish on the bus. */
    @POST
    @Path("orders")
    @RolesAllowed("admin")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response place(JsonObject order, @QueryParam("reject") boolean reject) {
        orders.check(order);
        OrderService.Placed placed = orders.place(order, reject);
        if (!placed.committed()) {
            return Response.status(409)
                    .entity(Json.createObjectBuilder()
                            .add("committed", false)
                            .add("eventId", placed.receipt().eventId())
                            .build())
                    .build();
        }
        return Response.ok(Json.createObjectBuilder()
                        .add("committed", true)
                        .add("eventId", placed.receipt().eventId())
                        .add("receipt", placed.receipt().receipt())
                        .build())
                .build();
    }

    /**
     * Shows the ids, types and trace contexts of the last 10,000 events delivered to this app's subscription, and
     * {@code total}, how many since the app started: reading what another service
     * received is an operator's view on the bus too, so a plain subscriber may not.
     */
    @GET
    @Path("received")
    @RolesAllowed({"operator", "admin"})
    public JsonObject received() {
        JsonArrayBuilder a = Json.createArrayBuilder();
        for (Received.Call c : received.calls()) {
            a.add(Json.createObjectBuilder()
                    .add("eventId", c.eventId())
                    .add("type", c.type())
                    .add("attempt", c.attempt())
                    .add("failed", c.failed())
                    .add("receivedAt", c.receivedAt().toString())
                    .add("traceparent", String.valueOf(c.traceparent())));
        }
        return Json.createObjectBuilder()
                .add("calls", a)
                .add("total", received.total())
                .build();
    }
}
