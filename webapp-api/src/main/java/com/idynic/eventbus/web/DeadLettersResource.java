package com.idynic.eventbus.web;

import com.idynic.eventbus.api.CachedJson;
import com.idynic.eventbus.api.InvalidFieldException;
import com.idynic.eventbus.api.Timestamps;
import com.idynic.eventbus.broker.BulkRedriveView;
import com.idynic.eventbus.broker.BulkRedrives;
import com.idynic.eventbus.broker.DeadLetterFilter;
import com.idynic.eventbus.broker.DeadLetters;
import com.idynic.eventbus.broker.export.Export;
import com.idynic.eventbus.broker.export.TableExport;
import com.idynic.eventbus.subscribers.SubscriptionDeadLetters;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.DELETE;
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
import jakarta.ws.rs.core.StreamingOutput;
import java.io.InputStream;
import java.net.URI;
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
     * error>&deadFrom=<ISO-8601>&deadTo=<ISO-8601>&limit=100&after=<next from the last page>}; {@code count}
     * counts all that match. A dead letter redriven before carries {@code redriveCount} and {@code redrivenAt}.
     */
    @GET
    public Response list(
            @PathParam("id") String id,
            @QueryParam("eventType") String eventType,
            @QueryParam("error") String error,
            @QueryParam("deadFrom") String deadFrom,
            @QueryParam("deadTo") String deadTo,
            @QueryParam("limit") @DefaultValue("100") int limit,
            @QueryParam("after") @DefaultValue("0") long after) {
        DeadLetters.Page page = deadLetters.list(
                caller.account(), id, DeadLetters.filter(eventType, error, deadFrom, deadTo), after, limit);
        JsonArrayBuilder a = CachedJson.createArrayBuilder();
        page.deadLetters().forEach(d -> a.add(Views.status(d)));
        var b = CachedJson.createObjectBuilder().add("count", page.count()).add("deadLetters", a);
        page.next().ifPresent(next -> b.add("next", next));
        return SubscriptionsResource.ok(b.build());
    }

    /**
     * Exports the dead letters matching the list's filters, streamed: {@code ?format=csv|json&eventType=&error=
     * &deadFrom=&deadTo=}; at most 100,000 rows (JSON ends with {@code "exported"} and {@code "truncated"}).
     */
    @GET
    @Path("export")
    @Produces({"text/csv", MediaType.APPLICATION_JSON})
    public Response export(
            @PathParam("id") String id,
            @QueryParam("format") @DefaultValue("csv") String format,
            @QueryParam("eventType") String eventType,
            @QueryParam("error") String error,
            @QueryParam("deadFrom") String deadFrom,
            @QueryParam("deadTo") String deadTo) {
        TableExport.Format f = TableExport.Format.parse(format);
        return download(
                deadLetters.export(caller.account(), id, DeadLetters.filter(eventType, error, deadFrom, deadTo), f));
    }

    /** @return the export streamed as an attachment */
    static Response download(Export export) {
        return Response.ok((StreamingOutput) export::writeTo)
                .type(export.format().mediaType())
                .header("Content-Disposition", "attachment; filename=\"" + export.fileName() + "\"")
                .header("X-Export-Limit", TableExport.MAX_ROWS)
                .build();
    }

    /**
     * One dead letter: the event, its last error, every attempt and the parked sequence it heads or belongs
     * to (its first 1,000 event ids; {@code parkedSequenceTruncated} says when there are more).
     */
    @GET
    @Path("{eventId}")
    public Response inspect(@PathParam("id") String id, @PathParam("eventId") String eventId) {
        DeadLetters.Inspection i = deadLetters.inspect(caller.account(), id, eventId);
        JsonArrayBuilder sequence = CachedJson.createArrayBuilder();
        i.parkedSequence().forEach(sequence::add);
        JsonArrayBuilder attempts = CachedJson.createArrayBuilder();
        i.attempts().forEach(x -> attempts.add(Views.attempt(x)));
        var b = CachedJson.createObjectBuilder()
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
                CachedJson.createObjectBuilder().add("redriven", n).build());
    }

    /** Discards {@code {"eventIds":[...],"reason":"..."}} or {@code {"all":true,"reason":"..."}}; idempotent. */
    @POST
    @Path("discard")
    @RolesAllowed({"operator", "admin"})
    public Response discard(@PathParam("id") String id, @HeaderParam("Content-Type") String ct, InputStream body) {
        JsonObject o = JsonBodies.read(ct, body, SubscriptionsResource.MAX_BODY);
        int n = deadLetters.discard(caller.account(), id, selection(o), JsonBodies.stringField(o, "reason", null));
        return SubscriptionsResource.ok(
                CachedJson.createObjectBuilder().add("discarded", n).build());
    }

    /**
     * Redrives every dead letter matching a filter, as a throttled background job: {@code {"eventType":"...",
     * "error":"<text in the last error>","deadFrom":"<ISO-8601>","deadTo":"<ISO-8601>","ratePerSecond":50,
     * "dryRun":true}} (every field optional). A dry run answers 200 with the exact {@code count} that would be
     * redriven and its {@code etaSeconds}, changing nothing; a start answers 202 with the job and its
     * {@code Location} (the dead letters matching at that moment are its {@code total}), or 409
     * {@code ALREADY_RUNNING} naming the subscription's running bulk redrive in {@code details.runningId}.
     */
    @POST
    @Path("redrives")
    @RolesAllowed({"operator", "admin"})
    public Response redriveAll(@PathParam("id") String id, @HeaderParam("Content-Type") String ct, InputStream body) {
        JsonObject o = JsonBodies.read(ct, body, SubscriptionsResource.MAX_BODY);
        DeadLetterFilter filter = DeadLetters.filter(
                JsonBodies.stringField(o, "eventType", null),
                JsonBodies.stringField(o, "error", null),
                JsonBodies.stringField(o, "deadFrom", null),
                JsonBodies.stringField(o, "deadTo", null));
        Double rate = null;
        if (o.containsKey("ratePerSecond")) {
            if (!(o.get("ratePerSecond") instanceof JsonNumber n)) {
                throw new InvalidFieldException("ratePerSecond", "must be a number");
            }
            rate = n.doubleValue();
        }
        if (JsonBodies.boolField(o, "dryRun", false)) {
            BulkRedrives.DryRun d = deadLetters.dryRunRedriveAll(caller.account(), id, filter, rate);
            return SubscriptionsResource.ok(CachedJson.createObjectBuilder()
                    .add("subscriptionId", d.subscriptionId())
                    .add("dryRun", true)
                    .add("filter", filter(d.filter()))
                    .add("count", d.count())
                    .add("ratePerSecond", d.ratePerSecond())
                    .add("etaSeconds", d.etaSeconds())
                    .build());
        }
        BulkRedriveView job = deadLetters.redriveAll(caller.account(), id, filter, rate);
        return Response.status(202)
                .location(URI.create(href(job)))
                .entity(view(job).toString())
                .build();
    }

    /** A bulk redrive's progress: {@code done} of {@code total}, {@code etaSeconds}, {@code state}. */
    @GET
    @Path("redrives/{redriveId}")
    public Response redriveAllProgress(@PathParam("id") String id, @PathParam("redriveId") String redriveId) {
        return SubscriptionsResource.ok(view(deadLetters.redriveAllProgress(caller.account(), id, redriveId)));
    }

    /**
     * Cancels a bulk redrive: it stops before its next step; what it redrove stays redriven. Idempotent: 200 with
     * the job in its final state.
     */
    @DELETE
    @Path("redrives/{redriveId}")
    @RolesAllowed({"operator", "admin"})
    public Response cancelRedriveAll(@PathParam("id") String id, @PathParam("redriveId") String redriveId) {
        return SubscriptionsResource.ok(view(deadLetters.cancelRedriveAll(caller.account(), id, redriveId)));
    }

    static JsonObject view(BulkRedriveView j) {
        JsonObjectBuilder b = CachedJson.createObjectBuilder()
                .add("id", j.id())
                .add("subscriptionId", j.subscriptionId())
                .add("filter", filter(j.filter()))
                .add("ratePerSecond", j.ratePerSecond())
                .add("state", j.state())
                .add("total", j.total())
                .add("done", j.done())
                .add("etaSeconds", j.etaSeconds())
                .add("startedBy", j.startedBy())
                .add("createdAt", Timestamps.format(j.createdAt()))
                .add("updatedAt", Timestamps.format(j.updatedAt()))
                .add("href", href(j));
        if (j.error() != null) {
            b.add("error", j.error());
        }
        return b.build();
    }

    private static JsonObject filter(DeadLetterFilter f) {
        JsonObjectBuilder b = CachedJson.createObjectBuilder();
        if (f.eventType() != null) {
            b.add("eventType", f.eventType());
        }
        if (f.errorContains() != null) {
            b.add("error", f.errorContains());
        }
        if (f.deadFrom() != null) {
            b.add("deadFrom", Timestamps.format(f.deadFrom()));
        }
        if (f.deadTo() != null) {
            b.add("deadTo", Timestamps.format(f.deadTo()));
        }
        return b.build();
    }

    /** @return the path at which a bulk redrive's progress is read (and it is cancelled) */
    static String href(BulkRedriveView j) {
        return "/v1/subscriptions/" + j.subscriptionId() + "/dead-letters/redrives/" + j.id();
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
