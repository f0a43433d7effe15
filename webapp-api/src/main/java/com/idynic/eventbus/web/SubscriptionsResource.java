package com.idynic.eventbus.web;

import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.ErrorCode;
import com.idynic.eventbus.api.InvalidFieldException;
import com.idynic.eventbus.broker.PullService;
import com.idynic.eventbus.broker.spi.Leased;
import com.idynic.eventbus.subscribers.Subscription;
import com.idynic.eventbus.subscribers.SubscriptionRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Subscriptions ({@code /v1/subscriptions}) and pull delivery (pull, ack, nack). */
@Path("/v1/subscriptions")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
public class SubscriptionsResource {
    private static final long MAX_BODY = 64 * 1024;

    @Inject
    SubscriptionRegistry registry;

    @Inject
    PullService pulls;

    @GET
    public Response list() {
        JsonArrayBuilder a = Json.createArrayBuilder();
        registry.all().forEach(s -> a.add(json(s)));
        return Response.ok(Json.createObjectBuilder()
                        .add("subscriptions", a)
                        .build()
                        .toString())
                .build();
    }

    @GET
    @Path("{id}")
    public Response get(@PathParam("id") String id) {
        return Response.ok(json(existing(id)).toString()).build();
    }

    /** Creates (201) or replaces (200) the subscription {@code id}. */
    @PUT
    @Path("{id}")
    public Response put(@PathParam("id") String id, @HeaderParam("Content-Type") String ct, InputStream body) {
        JsonObject o = JsonBodies.read(ct, body, MAX_BODY);
        JsonObject target = o.containsKey("target") ? object(o, "target") : JsonValue.EMPTY_JSON_OBJECT;
        Subscription s = new Subscription(
                id,
                JsonBodies.stringField(o, "owner", id),
                selectors(o),
                JsonBodies.stringField(target, "type", "pull"),
                JsonBodies.stringField(o, "ordering", "ordered"),
                JsonBodies.stringField(o, "state", "active"));
        boolean created = registry.save(s);
        return Response.status(created ? 201 : 200).entity(json(s).toString()).build();
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id) {
        if (!registry.delete(id)) {
            throw notFound(id);
        }
        return Response.noContent().build();
    }

    /** Leases events: {@code {"maxEvents":10,"waitMillis":5000,"ackDeadlineMillis":30000}}. */
    @POST
    @Path("{id}/pull")
    public Response pull(@PathParam("id") String id, @HeaderParam("Content-Type") String ct, InputStream body)
            throws InterruptedException {
        JsonObject o = JsonBodies.read(ct, body, MAX_BODY);
        int max = JsonBodies.intField(o, "maxEvents", 10, 1, 500);
        int wait = JsonBodies.intField(o, "waitMillis", 0, 0, 30_000);
        int deadline = JsonBodies.intField(o, "ackDeadlineMillis", 30_000, 1_000, 600_000);
        existing(id);
        List<Leased> got = pulls.pull(id, max, Duration.ofMillis(wait), Duration.ofMillis(deadline));
        JsonArrayBuilder a = Json.createArrayBuilder();
        for (Leased l : got) {
            a.add(Json.createObjectBuilder()
                    .add("event", l.event().envelope().toJson())
                    .add("attempt", l.attempt()));
        }
        return Response.ok(Json.createObjectBuilder().add("events", a).build().toString())
                .build();
    }

    /** Marks leased events delivered: {@code {"eventIds":["evt-1"]}}. */
    @POST
    @Path("{id}/ack")
    public Response ack(@PathParam("id") String id, @HeaderParam("Content-Type") String ct, InputStream body) {
        List<String> ids = eventIds(JsonBodies.read(ct, body, MAX_BODY));
        existing(id);
        return settled(pulls.ack(id, ids));
    }

    /** Returns leased events for redelivery: {@code {"eventIds":["evt-1"],"reason":"..."}}. */
    @POST
    @Path("{id}/nack")
    public Response nack(@PathParam("id") String id, @HeaderParam("Content-Type") String ct, InputStream body) {
        JsonObject o = JsonBodies.read(ct, body, MAX_BODY);
        List<String> ids = eventIds(o);
        String reason = JsonBodies.stringField(o, "reason", "nack");
        existing(id);
        return settled(pulls.nack(id, ids, reason.length() > 2000 ? reason.substring(0, 2000) : reason));
    }

    private static Response settled(int n) {
        return Response.ok(Json.createObjectBuilder().add("settled", n).build().toString())
                .build();
    }

    private Subscription existing(String id) {
        return registry.find(id).orElseThrow(() -> notFound(id));
    }

    private static BusException notFound(String id) {
        return new BusException(
                ErrorCode.NOT_FOUND, "No subscription with id '" + id + "'", Map.of("subscriptionId", id));
    }

    private static JsonObject object(JsonObject o, String field) {
        if (o.get(field).getValueType() != JsonValue.ValueType.OBJECT) {
            throw new InvalidFieldException(field, "must be a JSON object");
        }
        return o.getJsonObject(field);
    }

    private static List<String> selectors(JsonObject o) {
        return strings(o, "eventTypes", 100);
    }

    private static List<String> eventIds(JsonObject o) {
        return strings(o, "eventIds", 500);
    }

    private static List<String> strings(JsonObject o, String field, int max) {
        JsonValue v = o.get(field);
        if (v == null || v.getValueType() != JsonValue.ValueType.ARRAY) {
            throw new InvalidFieldException(field, "must be an array of strings");
        }
        JsonArray a = v.asJsonArray();
        if (a.isEmpty() || a.size() > max) {
            throw new InvalidFieldException(field, "must hold 1 to " + max + " entries");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i).getValueType() != JsonValue.ValueType.STRING) {
                throw new InvalidFieldException(field + "[" + i + "]", "must be a string");
            }
            out.add(a.getString(i));
        }
        return out;
    }

    private static JsonObject json(Subscription s) {
        JsonArrayBuilder types = Json.createArrayBuilder();
        s.eventTypes().forEach(types::add);
        return Json.createObjectBuilder()
                .add("id", s.id())
                .add("owner", s.owner())
                .add("eventTypes", types)
                .add("target", Json.createObjectBuilder().add("type", s.target()))
                .add("ordering", s.ordering())
                .add("state", s.state())
                .build();
    }
}
