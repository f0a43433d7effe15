package com.idynic.eventbus.web;

import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.CachedJson;
import com.idynic.eventbus.api.EnvelopeParser;
import com.idynic.eventbus.api.InvalidFieldException;
import com.idynic.eventbus.api.PublishReceipt;
import com.idynic.eventbus.api.Timestamps;
import com.idynic.eventbus.api.TraceContext;
import com.idynic.eventbus.broker.EventQueries;
import com.idynic.eventbus.broker.EventView;
import com.idynic.eventbus.broker.PublishGate;
import com.idynic.eventbus.broker.PublishService;
import com.idynic.eventbus.broker.export.TableExport;
import com.idynic.eventbus.cloudevents.CloudEventMapping;
import com.idynic.eventbus.runtime.BodyLimits;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/** {@code POST /v1/events} (publish) and {@code GET /v1/events/{id}} (look up). */
@Path("/v1/events")
@ApplicationScoped
@RolesAllowed({"publisher", "operator", "admin"})
@Produces(MediaType.APPLICATION_JSON)
public class EventsResource {
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7e]{1,200}");

    @Inject
    PublishGate gate;

    @Inject
    EventQueries queries;

    @Inject
    Caller caller;

    @Inject
    BodyLimits bodyLimits;

    @Inject
    Clock clock;

    private CloudEventMapping cloudEvents;

    @PostConstruct
    void mapping() {
        cloudEvents = new CloudEventMapping(clock);
    }

    /**
     * Answers 202 with a receipt only after the event and its outbox row are committed. Refused before
     * anything is stored: 403 when the caller may not publish the type or source, 429 when its rate
     * limit is used up or the bus is overloaded. An {@code Idempotency-Key} is the calling service's own:
     * the same key from another service is a different key. A valid W3C {@code traceparent} header is the event's
     * trace context (over {@code metadata.traceparent}); an invalid one is ignored and a new trace started.
     * Besides the seed's JSON, the body may be a CloudEvent: binary mode ({@code ce-*} headers, {@code data} as
     * the body), structured mode ({@code application/cloudevents+json}) or a batch
     * ({@code application/cloudevents-batch+json}, answered as {@code POST /v1/events/batch} is); {@link
     * CloudEventMapping} maps it to the envelope, and it is checked and stored as the seed's JSON is.
     */
    @POST
    @RolesAllowed({"publisher", "admin"})
    public Response publish(
            @HeaderParam("Content-Type") String contentType,
            @HeaderParam("Idempotency-Key") String idempotencyKey,
            @HeaderParam(TraceContext.HEADER) String traceparent,
            @Context HttpHeaders headers,
            InputStream body) {
        if (idempotencyKey != null && !IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
            throw new InvalidFieldException("Idempotency-Key", "must be 1-200 printable ASCII characters");
        }
        beforeBody(body, bodyLimits.batchBytes());
        CloudEventMapping.Mode mode =
                CloudEventMapping.mode(contentType, headers.getRequestHeaders().keySet());
        if (mode == CloudEventMapping.Mode.BATCH) {
            return publishBatch(contentType, idempotencyKey, traceparent, body, cloudEvents::seedFromStructured);
        }
        var request = JsonBodies.readEnvelope(contentType, body, bodyLimits.eventBytes());
        var envelope =
                switch (mode) {
                    case BINARY -> cloudEvents.fromBinary(headers.getRequestHeaders(), request);
                    case STRUCTURED -> cloudEvents.fromStructured(request);
                    default -> EnvelopeParser.parse(request, clock);
                };
        PublishReceipt r = gate.publish(caller.account(), envelope, idempotencyKey, traceparent);
        var json = CachedJson.createObjectBuilder()
                .add("status", "accepted")
                .add("eventId", r.eventId())
                .add("timestamp", Timestamps.format(r.acceptedAt()))
                .add("receipt", r.receipt())
                .build();
        return Response.accepted(json.toString()).build();
    }

    /**
     * Publishes a JSON array of envelopes in one request and one transaction. Every event is checked first
     * (envelope, permissions, schema): one bad event refuses the batch with 400/403 naming it as
     * {@code [i]}, and nothing is stored. The batch takes one rate-limit token per event. Answers 202 after
     * the commit with one result per event in request order: {@code accepted}, {@code duplicate} (the same
     * event was accepted before: its original receipt) or {@code rejected} (its id belongs to a different
     * event). Repeating a batch is safe: every event comes back {@code duplicate}. A {@code traceparent} header
     * applies to every event of the batch.
     */
    @POST
    @Path("batch")
    @RolesAllowed({"publisher", "admin"})
    public Response publishBatch(
            @HeaderParam("Content-Type") String contentType,
            @HeaderParam("Idempotency-Key") String idempotencyKey,
            @HeaderParam(TraceContext.HEADER) String traceparent,
            InputStream body) {
        return publishBatch(contentType, idempotencyKey, traceparent, body, BATCH_AS_IS);
    }

    /** {@code POST /v1/events/batch}'s elements are seed envelopes already. */
    private static final UnaryOperator<JsonObject> BATCH_AS_IS = UnaryOperator.identity();

    /**
     * Holds or refuses the publish while the bus is behind ({@link PublishGate#beforeBody()}), before a byte of its
     * body is read; a refused body is read to {@code limit} and discarded, so the client gets the answer.
     */
    private void beforeBody(InputStream body, long limit) {
        try {
            gate.beforeBody();
        } catch (BusException refused) {
            JsonBodies.discard(body, limit);
            throw refused;
        }
    }

    /** @param toSeed turns each element of the array into a seed envelope (identity, or from a CloudEvent) */
    private Response publishBatch(
            String contentType,
            String idempotencyKey,
            String traceparent,
            InputStream body,
            UnaryOperator<JsonObject> toSeed) {
        if (idempotencyKey != null) {
            throw new InvalidFieldException(
                    "Idempotency-Key", "is not used by batch publish: each event's id makes a repeat safe");
        }
        if (toSeed == BATCH_AS_IS) {
            beforeBody(body, bodyLimits.batchBytes());
        }
        List<JsonObject> array = JsonBodies.readBatch(
                contentType, body, bodyLimits.batchBytes(), bodyLimits.batchEvents(), bodyLimits.eventBytes());
        List<JsonObject> seeds = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            try {
                seeds.add(toSeed.apply(array.get(i)));
            } catch (BusException refused) {
                throw PublishService.ofBatchEvent(i, refused);
            }
        }
        return Response.accepted(batchView(gate.publishAll(caller.account(), seeds, traceparent))
                        .toString())
                .build();
    }

    private static JsonObject batchView(List<PublishService.BatchResult> results) {
        JsonArrayBuilder receipts = CachedJson.createArrayBuilder();
        int[] counts = new int[3];
        for (PublishService.BatchResult r : results) {
            JsonObjectBuilder item = CachedJson.createObjectBuilder().add("eventId", r.eventId());
            if (r.refused() != null) {
                counts[2]++;
                item.add("status", "rejected")
                        .add("errorCode", r.refused().errorCode())
                        .add("message", r.refused().getMessage());
            } else {
                counts[r.duplicate() ? 1 : 0]++;
                item.add("status", r.duplicate() ? "duplicate" : "accepted")
                        .add("timestamp", Timestamps.format(r.receipt().acceptedAt()))
                        .add("receipt", r.receipt().receipt());
            }
            receipts.add(item);
        }
        return CachedJson.createObjectBuilder()
                .add("status", "accepted")
                .add("accepted", counts[0])
                .add("duplicates", counts[1])
                .add("rejected", counts[2])
                .add("receipts", receipts)
                .build();
    }

    /**
     * Searches stored events: {@code ?correlationId=&type=&source=&from=&to=&limit=100&after=}, in
     * publish order, each with its delivery state per subscription; {@code next} continues the list.
     */
    @GET
    @RolesAllowed({"operator", "admin"})
    public Response search(
            @QueryParam("type") String type,
            @QueryParam("correlationId") String correlationId,
            @QueryParam("traceId") String traceId,
            @QueryParam("source") String source,
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("limit") @DefaultValue("100") int limit,
            @QueryParam("after") @DefaultValue("0") long after) {
        EventQueries.Page page =
                queries.search(caller.account(), type, correlationId, traceId, source, from, to, after, limit);
        JsonArrayBuilder a = CachedJson.createArrayBuilder();
        for (EventQueries.Hit h : page.events()) {
            JsonArrayBuilder states = CachedJson.createArrayBuilder();
            h.deliveries().forEach(d -> states.add(Views.status(d)));
            a.add(CachedJson.createObjectBuilder()
                    .add("event", h.event().envelope().toJson())
                    .add("receipt", h.event().receipt().receipt())
                    .add("acceptedAt", Timestamps.format(h.event().receipt().acceptedAt()))
                    .add("relayed", h.event().relayed())
                    .add("deliveries", states));
        }
        var body = CachedJson.createObjectBuilder().add("events", a);
        page.next().ifPresent(next -> body.add("next", next));
        return Response.ok(body.build().toString()).build();
    }

    /**
     * Exports what the search finds, streamed: the search's filters plus {@code format=csv|json}; in publish
     * order, at most 100,000 rows (JSON ends with {@code "exported"} and {@code "truncated"}).
     */
    @GET
    @RolesAllowed({"operator", "admin"})
    @Path("export")
    @Produces({"text/csv", MediaType.APPLICATION_JSON})
    public Response export(
            @QueryParam("format") @DefaultValue("csv") String format,
            @QueryParam("type") String type,
            @QueryParam("correlationId") String correlationId,
            @QueryParam("traceId") String traceId,
            @QueryParam("source") String source,
            @QueryParam("from") String from,
            @QueryParam("to") String to) {
        TableExport.Format f = TableExport.Format.parse(format);
        return DeadLettersResource.download(
                queries.export(caller.account(), type, correlationId, traceId, source, from, to, f));
    }

    /** Where the event stands for every subscription, and every delivery attempt. */
    @GET
    @RolesAllowed({"operator", "admin"})
    @Path("{id}/deliveries")
    public Response deliveries(@PathParam("id") String id) {
        EventQueries.Deliveries d = queries.deliveries(caller.account(), id);
        JsonArrayBuilder states = CachedJson.createArrayBuilder();
        d.statuses().forEach(s -> states.add(Views.status(s)));
        JsonArrayBuilder attempts = CachedJson.createArrayBuilder();
        d.attempts().forEach(a -> attempts.add(Views.attempt(a)));
        return Response.ok(CachedJson.createObjectBuilder()
                        .add("eventId", id)
                        .add("deliveries", states)
                        .add("attempts", attempts)
                        .build()
                        .toString())
                .build();
    }

    /** The stored event, its receipt and whether it has reached Kafka. */
    @GET
    @Path("{id}")
    public Response find(@PathParam("id") String id) {
        EventView e = queries.find(caller.account(), id);
        var json = CachedJson.createObjectBuilder()
                .add("event", e.envelope().toJson())
                .add("receipt", e.receipt().receipt())
                .add("acceptedAt", Timestamps.format(e.receipt().acceptedAt()))
                .add("relayed", e.relayed());
        if (e.position() != null) {
            json.add(
                    "kafka",
                    CachedJson.createObjectBuilder()
                            .add("topic", e.position().topic())
                            .add("partition", e.position().partition())
                            .add("offset", e.position().offset()));
        }
        return Response.ok(json.build().toString()).build();
    }
}
