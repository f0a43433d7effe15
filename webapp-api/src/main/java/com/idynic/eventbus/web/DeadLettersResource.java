package com.idynic.eventbus.web;

import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.ErrorCode;
import com.idynic.eventbus.api.InvalidFieldException;
import com.idynic.eventbus.broker.DeadLetters;
import com.idynic.eventbus.broker.spi.DeadLetterStore;
import com.idynic.eventbus.broker.spi.DeliveryHistory;
import com.idynic.eventbus.broker.spi.DeliveryStatus;
import com.idynic.eventbus.broker.spi.EventStore;
import com.idynic.eventbus.security.Permissions;
import com.idynic.eventbus.subscribers.SubscriptionRegistry;
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
import java.util.Map;

/**
 * The dead-letter queue of one subscription: list, inspect, redrive (one, a selection or all; to that
 * subscription only, in order) and discard. Every change is audited with the caller's identity.
 */
@Path("/v1/subscriptions/{id}/dead-letters")
@ApplicationScoped
@RolesAllowed({"subscriber", "operator", "admin"})
@Produces(MediaType.APPLICATION_JSON)
public class DeadLettersResource {
    private static final int MAX_PARKED_SHOWN = 1000;

    @Inject
    SubscriptionRegistry registry;

    @Inject
    Caller caller;

    @Inject
    DeadLetterStore deliveries;

    @Inject
    DeliveryHistory history;

    @Inject
    EventStore events;

    @Inject
    DeadLetters deadLetters;

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
        existing(id);
        if (limit < 1 || limit > 500) {
            throw new BusException(
                    ErrorCode.VALIDATION_ERROR, "limit must be between 1 and 500", Map.of("field", "limit"));
        }
        List<DeliveryStatus> page = deliveries.deadLetters(id, eventType, error, after, limit);
        JsonArrayBuilder a = Json.createArrayBuilder();
        page.forEach(d -> a.add(Views.status(d)));
        var b = Json.createObjectBuilder()
                .add("count", deliveries.deadLetterCount(id, eventType, error))
                .add("deadLetters", a);
        if (page.size() == limit) {
            b.add("next", page.get(page.size() - 1).deliveryId());
        }
        return SubscriptionsResource.ok(b.build());
    }

    /**
     * One dead letter: the event, its last error, every attempt and the parked sequence it heads or belongs
     * to (its first 1,000 event ids; {@code parkedSequenceTruncated} says when there are more).
     */
    @GET
    @Path("{eventId}")
    public Response inspect(@PathParam("id") String id, @PathParam("eventId") String eventId) {
        var s = existing(id);
        DeliveryStatus d = deliveries
                .deadLetter(id, eventId)
                .orElseThrow(() -> new BusException(
                        ErrorCode.NOT_FOUND,
                        "Event '" + eventId + "' is not in the dead-letter queue of '" + id + "'",
                        Map.of("eventId", eventId)));
        List<String> parked =
                d.deadGroup() == null ? List.of() : deliveries.parkedSequence(id, d.deadGroup(), MAX_PARKED_SHOWN + 1);
        JsonArrayBuilder sequence = Json.createArrayBuilder();
        parked.stream().limit(MAX_PARKED_SHOWN).forEach(sequence::add);
        JsonArrayBuilder attempts = Json.createArrayBuilder();
        history.attemptsOf(eventId).stream()
                .filter(x -> x.subscriptionId().equals(id))
                .forEach(x -> attempts.add(Views.attempt(x)));
        var b = Json.createObjectBuilder()
                .add("deadLetter", Views.status(d))
                .add("parkedSequence", sequence)
                .add("parkedSequenceTruncated", parked.size() > MAX_PARKED_SHOWN)
                .add("attempts", attempts);
        events.find(eventId)
                .filter(e -> caller.account().has(com.idynic.eventbus.security.Role.OPERATOR)
                        || registry.mayRead(s, e.envelope().eventType()))
                .ifPresent(e -> b.add("event", e.envelope().toJson()));
        return SubscriptionsResource.ok(b.build());
    }

    /** Redrives {@code {"eventIds":[...]}} or {@code {"all":true}}; idempotent. */
    @POST
    @Path("redrive")
    @RolesAllowed({"operator", "admin"})
    public Response redrive(@PathParam("id") String id, @HeaderParam("Content-Type") String ct, InputStream body) {
        JsonObject o = JsonBodies.read(ct, body, SubscriptionsResource.MAX_BODY);
        existing(id);
        int n = deadLetters.redrive(id, selection(o), caller.name());
        return SubscriptionsResource.ok(
                Json.createObjectBuilder().add("redriven", n).build());
    }

    /** Discards {@code {"eventIds":[...],"reason":"..."}} or {@code {"all":true,"reason":"..."}}; idempotent. */
    @POST
    @Path("discard")
    @RolesAllowed({"operator", "admin"})
    public Response discard(@PathParam("id") String id, @HeaderParam("Content-Type") String ct, InputStream body) {
        JsonObject o = JsonBodies.read(ct, body, SubscriptionsResource.MAX_BODY);
        existing(id);
        int n = deadLetters.discard(id, selection(o), JsonBodies.stringField(o, "reason", null), caller.name());
        return SubscriptionsResource.ok(
                Json.createObjectBuilder().add("discarded", n).build());
    }

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

    private com.idynic.eventbus.subscribers.Subscription existing(String id) {
        var s = registry.find(id).orElseThrow(() -> SubscriptionsResource.notFound(id));
        Permissions.checkReader(caller.account(), id, s.owner());
        return s;
    }
}
