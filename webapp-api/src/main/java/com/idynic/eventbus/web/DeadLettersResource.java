package com.idynic.eventbus.web;

import com.idynic.eventbus.api.InvalidFieldException;
import com.idynic.eventbus.broker.DeadLetters;
import com.idynic.eventbus.subscribers.SubscriptionDeadLetters;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.List;

/**
 * The dead-letter queue of one subscription: list, inspect, redrive (one, a selection or all; to that
 * subscription only, in order) and discard. Every change is audited with the caller's identity.
 */
@Path("/v1/subscriptions/{id}/dead-letters")
@ApplicationScoped
@RolesAllowed({"subscriber", "operator", "admin"})
@Produces(MediaType.APPLICATION_JSON)
public class DeadLettersResource {
    @Inject
    SubscriptionDeadLetters deadLetters;

    @Inject
    Caller caller;

    /**
     * Pages through dead letters in delivery order: {@code ?eventType=&error=<text in the last
     * error>&limit=100&after=<next from the last page>}; {@code count} counts all that match.
     */
    @GET
    public Response list(
            @PathParam("id") String id,
            @QueryParam("eventType") String eventType,
            @QueryParam("error") String error,
            @QueryParam("limit") @DefaultValue("100") int limit,
            @QueryParam("after") @DefaultValue("0") long after) {
        DeadLetters.Page page = deadLetters.list(caller.account(), id, eventType, error, after, limit);
        JsonArrayBuilder a = Json.createArrayBuilder();
        page.deadLetters().forEach(d -> a.add(Views.status(d)));
        var b = Json.createObjectBuilder().add("count", page.count()).add("deadLetters", a);
        page.next().ifPresent(next -> b.add("next", next));
        return SubscriptionsResource.ok(b.build());
    }

    /**
     * One dead letter: the event, its last error, every attempt and the parked sequence it heads or belongs
     * to (its first 1,000 event ids; {@code parkedSequenceTruncated} says when there are more).
     */
    @GET
    @Path("{eventId}")
    public Response inspect(@PathParam("id") String id, @PathParam("eventId") String eventId) {
        DeadLetters.Inspection i = deadLetters.inspect(caller.account(), id, eventId);
        JsonArrayBuilder sequence = Json.createArrayBuilder();
        i.parkedSequence().forEach(sequence::add);
        JsonArrayBuilder attempts = Json.createArrayBuilder();
        i.attempts().forEach(x -> attempts.add(Views.attempt(x)));
        var b = Json.createObjectBuilder()
                .add("deadLetter", Views.status(i.deadLetter()))
                .add("parkedSequence", sequence)
                .add("parkedSequenceTruncated", i.parkedSequenceTruncated())
                .add("attempts", attempts);
        i.event().ifPresent(e -> b.add("event", e.toJson()));
        return SubscriptionsResource.ok(b.build());
    }

    /** Redrives {@code {"eventIds":[...]}} or {@code {"all":true}}; idempotent. */
    @POST
    @Path("redrive")
    @RolesAllowed({"operator", "admin"})
    public Response redrive(@PathParam("id") String id, @HeaderParam("Content-Type") String ct, InputStream body) {
        JsonObject o = JsonBodies.read(ct, body, SubscriptionsResource.MAX_BODY);
        int n = deadLetters.redrive(caller.account(), id, selection(o));
        return SubscriptionsResource.ok(
                Json.createObjectBuilder().add("redriven", n).build());
    }

    /** Discards {@code {"eventIds":[...],"reason":"..."}} or {@code {"all":true,"reason":"..."}}; idempotent. */
    @POST
    @Path("discard")
    @RolesAllowed({"operator", "admin"})
    public Response discard(@PathParam("id") String id, @HeaderParam("Content-Type") String ct, InputStream body) {
        JsonObject o = JsonBodies.read(ct, body, SubscriptionsResource.MAX_BODY);
        int n = deadLetters.discard(caller.account(), id, selection(o), JsonBodies.stringField(o, "reason", null));
        return SubscriptionsResource.ok(
                Json.createObjectBuilder().add("discarded", n).build());
    }

    /** @return the event ids given, or null for {@code "all": true} */
    private static List<String> selection(JsonObject o) {
        if (JsonBodies.boolField(o, "all", false)) {
            return null;
        }
        if (!o.containsKey("eventIds")) {
            throw new InvalidFieldException(
                    "eventIds",
                    "is required: give either \"eventIds\": [\"<event id>\", ...] (up to 500) or \"all\": true");
        }
        return JsonBodies.strings(o, "eventIds", 500);
    }
}
