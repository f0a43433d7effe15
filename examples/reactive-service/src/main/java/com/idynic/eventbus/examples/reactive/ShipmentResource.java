package com.idynic.eventbus.examples.reactive;

import com.idynic.eventbus.connector.OutgoingEvent;
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
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/** Demo endpoints: publish a shipment through the emitter, and list what the consumer received. */
@Path("/")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
public class ShipmentResource {
    @Inject
    @Channel("shipments-out")
    Emitter<OutgoingEvent> shipments;

    @Inject
    @ConfigProperty(name = "mp.messaging.outgoing.shipments-out.type")
    String type;

    @Inject
    Received received;

    /** Answers 202 once the bus stored the shipment event with the given {@code id}, 502 when it refused it. */
    @POST
    @Path("shipments")
    @Consumes(MediaType.APPLICATION_JSON)
    public void ship(JsonObject shipment, @Suspended AsyncResponse response) {
        String id = shipment.getString("id");
        String orderId = shipment.getString("orderId");
        OutgoingEvent event =
                OutgoingEvent.of(type, Map.of("orderId", orderId)).withId(id).withOrderingKey(orderId);
        shipments
                .send(event)
                .whenComplete((ok, refused) -> response.resume(
                        refused == null
                                ? Response.accepted(Json.createObjectBuilder()
                                                .add("eventId", id)
                                                .build())
                                        .build()
                                : Response.status(502)
                                        .entity(Json.createObjectBuilder()
                                                .add("error", String.valueOf(refused.getMessage()))
                                                .build())
                                        .build()));
    }

    /** @return {@code [{"id","orderingKey","attempt","outcome"}, …]} in arrival order */
    @GET
    @Path("received")
    public String received() {
        JsonArrayBuilder a = Json.createArrayBuilder();
        for (Received.Delivery d : received.all()) {
            a.add(Json.createObjectBuilder()
                    .add("id", d.id())
                    .add("orderingKey", d.orderingKey() == null ? "" : d.orderingKey())
                    .add("attempt", d.attempt())
                    .add("outcome", d.outcome()));
        }
        return a.build().toString();
    }
}
