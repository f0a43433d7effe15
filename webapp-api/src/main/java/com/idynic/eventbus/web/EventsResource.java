package com.idynic.eventbus.web;

import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.EnvelopeParser;
import com.idynic.eventbus.api.ErrorCode;
import com.idynic.eventbus.api.EventEnvelope;
import com.idynic.eventbus.api.InvalidFieldException;
import com.idynic.eventbus.api.PublishReceipt;
import com.idynic.eventbus.api.Timestamps;
import com.idynic.eventbus.broker.Backpressure;
import com.idynic.eventbus.broker.PublishService;
import com.idynic.eventbus.broker.PublishSettings;
import com.idynic.eventbus.broker.spi.DeliveryHistory;
import com.idynic.eventbus.broker.spi.EventSearch;
import com.idynic.eventbus.broker.spi.EventStore;
import com.idynic.eventbus.broker.spi.StoredEvent;
import com.idynic.eventbus.security.Permissions;
import com.idynic.eventbus.security.RateLimit;
import com.idynic.eventbus.security.RateLimiter;
import com.idynic.eventbus.security.Role;
import com.idynic.eventbus.security.ServiceAccount;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
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

/** {@code POST /v1/events} (publish) and {@code GET /v1/events/{id}} (look up). */
@Path("/v1/events")
@ApplicationScoped
@RolesAllowed({"publisher", "operator", "admin"})
@Produces(MediaType.APPLICATION_JSON)
public class EventsResource {
    @Inject
    PublishService publisher;

    @Inject
    EventStore events;

    @Inject
    DeliveryHistory deliveryStore;

    @Inject
    EventSearch search;

    @Inject
    Caller caller;

    @Inject
    RateLimiter rateLimiter;

    @Inject
    RateLimit defaultRateLimit;

    @Inject
    Backpressure backpressure;

    @Inject
    BusMetrics metrics;

    private static final java.util.regex.Pattern IDEMPOTENCY_KEY =
            java.util.regex.Pattern.compile("[\\x21-\\x7e]{1,200}");

    @Inject
    BodyLimits bodyLimits;

    @Inject
    PublishSettings publishSettings;

    /**
     * Answers 202 with a receipt only after the event and its outbox row are committed. Refused before
     * anything is stored: 403 when the caller may not publish the type or source, 429 when its rate
     * limit is used up or the bus is overloaded. An {@code Idempotency-Key} is the calling service's own:
     * the same key from another service is a different key.
     */
    @POST
    @RolesAllowed({"publisher", "admin"})
    public Response publish(
            @HeaderParam("Content-Type") String contentType,
            @HeaderParam("Idempotency-Key") String idempotencyKey,
            InputStream body) {
        if (idempotencyKey != null && !IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
            throw new InvalidFieldException("Idempotency-Key", "must be 1-200 printable ASCII characters");
        }
        var envelope = EnvelopeParser.parse(JsonBodies.readEnvelope(contentType, body, bodyLimits.eventBytes()));
        ServiceAccount service = caller.account();
        Permissions.checkPublish(service, envelope.eventType(), envelope.source());
        admit(service, rateLimitOf(service), 1);
        PublishReceipt r =
                publisher.publish(envelope, service.name(), idempotencyKey, publishSettings.idempotencyWindow());
        var json = Json.createObjectBuilder()
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
     * event). Repeating a batch is safe: every event comes back {@code duplicate}.
     */
    @POST
    @Path("batch")
    @RolesAllowed({"publisher", "admin"})
    public Response publishBatch(
            @HeaderParam("Content-Type") String contentType,
            @HeaderParam("Idempotency-Key") String idempotencyKey,
            InputStream body) {
        if (idempotencyKey != null) {
            throw new InvalidFieldException(
                    "Idempotency-Key", "is not used by batch publish: each event's id makes a repeat safe");
        }
        List<JsonObject> array = JsonBodies.readBatch(
                contentType, body, bodyLimits.batchBytes(), bodyLimits.batchEvents(), bodyLimits.eventBytes());
        ServiceAccount service = caller.account();
        List<EventEnvelope> envelopes = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            try {
                EventEnvelope e = EnvelopeParser.parse(array.get(i));
                Permissions.checkPublish(service, e.eventType(), e.source());
                envelopes.add(e);
            } catch (BusException refused) {
                throw PublishService.ofBatchEvent(i, refused);
            }
        }
        RateLimit limit = rateLimitOf(service);
        if (envelopes.size() > limit.burst()) {
            throw new InvalidFieldException(
                    "[]",
                    "holds " + envelopes.size() + " events, more than service '" + service.name()
                            + "' may publish at once (its burst is " + limit.burst() + "); send smaller batches");
        }
        admit(service, limit, envelopes.size());
        var results = Json.createArrayBuilder();
        int accepted = 0;
        int duplicates = 0;
        int rejected = 0;
        for (PublishService.BatchResult r : publisher.publishAll(envelopes)) {
            var item = Json.createObjectBuilder().add("eventId", r.eventId());
            if (r.refused() != null) {
                rejected++;
                item.add("status", "rejected")
                        .add("errorCode", r.refused().errorCode())
                        .add("message", r.refused().getMessage());
            } else {
                if (r.duplicate()) {
                    duplicates++;
                } else {
                    accepted++;
                }
                item.add("status", r.duplicate() ? "duplicate" : "accepted")
                        .add("timestamp", Timestamps.format(r.receipt().acceptedAt()))
                        .add("receipt", r.receipt().receipt());
            }
            results.add(item);
        }
        var json = Json.createObjectBuilder()
                .add("status", "accepted")
                .add("accepted", accepted)
                .add("duplicates", duplicates)
                .add("rejected", rejected)
                .add("receipts", results)
                .build();
        return Response.accepted(json.toString()).build();
    }

    private RateLimit rateLimitOf(ServiceAccount service) {
        return service.rateLimit() == null ? defaultRateLimit : service.rateLimit();
    }

    /**
     * Lets {@code events} events of {@code service} in, or refuses them before anything is stored: 429 when
     * its rate limit is used up or the bus is overloaded.
     */
    private void admit(ServiceAccount service, RateLimit limit, int events) {
        Duration wait = rateLimiter.acquire(service.name(), limit, events);
        if (!wait.isZero()) {
            metrics.refused("rate_limited");
            throw new BusException(
                    ErrorCode.RATE_LIMITED,
                    "Service '" + service.name() + "' is over its publish rate of " + limit.perSecond() + "/s",
                    Map.of(
                            "service", service.name(),
                            "perSecond", limit.perSecond(),
                            "burst", limit.burst(),
                            "retryAfterSeconds", (wait.toMillis() + 999) / 1000));
        }
        try {
            backpressure.check();
        } catch (BusException e) {
            metrics.refused("overloaded");
            throw e;
        }
    }

    /**
     * Searches stored events: {@code ?correlationId=&type=&source=&from=&to=&limit=100&after=}, in
     * publish order, each with its delivery state per subscription; {@code next} continues the list.
     */
    @GET
    @RolesAllowed({"operator", "admin"})
    public Response search(
            @jakarta.ws.rs.QueryParam("type") String type,
            @jakarta.ws.rs.QueryParam("correlationId") String correlationId,
            @jakarta.ws.rs.QueryParam("source") String source,
            @jakarta.ws.rs.QueryParam("from") String from,
            @jakarta.ws.rs.QueryParam("to") String to,
            @jakarta.ws.rs.QueryParam("limit") @jakarta.ws.rs.DefaultValue("100") int limit,
            @jakarta.ws.rs.QueryParam("after") @jakarta.ws.rs.DefaultValue("0") long after) {
        if (limit < 1 || limit > 500) {
            throw new InvalidFieldException("limit", "must be between 1 and 500");
        }
        var hits = search.search(new EventSearch.Criteria(
                type, correlationId, source, time("from", from), time("to", to), after, limit));
        jakarta.json.JsonArrayBuilder a = Json.createArrayBuilder();
        for (EventSearch.Hit h : hits) {
            jakarta.json.JsonArrayBuilder states = Json.createArrayBuilder();
            h.deliveries().forEach(d -> states.add(Views.status(d)));
            a.add(Json.createObjectBuilder()
                    .add("event", h.event().envelope().toJson())
                    .add("receipt", h.event().receipt().receipt())
                    .add("acceptedAt", Timestamps.format(h.event().receipt().acceptedAt()))
                    .add("relayed", h.event().relayed())
                    .add("deliveries", states));
        }
        var body = Json.createObjectBuilder().add("events", a);
        if (hits.size() == limit) {
            body.add("next", hits.get(hits.size() - 1).seq());
        }
        return Response.ok(body.build().toString()).build();
    }

    private static java.time.Instant time(String field, String value) {
        if (value == null) {
            return null;
        }
        try {
            return java.time.OffsetDateTime.parse(value).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            throw new InvalidFieldException(field, "must be an ISO-8601 time with offset");
        }
    }

    /** Where the event stands for every subscription, and every delivery attempt. */
    @GET
    @RolesAllowed({"operator", "admin"})
    @Path("{id}/deliveries")
    public Response deliveries(@PathParam("id") String id) {
        find(id);
        jakarta.json.JsonArrayBuilder states = Json.createArrayBuilder();
        deliveryStore.statusOf(id).forEach(d -> states.add(Views.status(d)));
        jakarta.json.JsonArrayBuilder attempts = Json.createArrayBuilder();
        deliveryStore.attemptsOf(id).forEach(a -> attempts.add(Views.attempt(a)));
        return Response.ok(Json.createObjectBuilder()
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
        StoredEvent e;
        try {
            e = events.find(id).orElse(null);
        } catch (RuntimeException ex) {
            throw new BusException(ErrorCode.STORAGE_UNAVAILABLE, "The event store is unavailable", Map.of());
        }
        ServiceAccount me = caller.account();
        boolean visible = e != null
                && (me.has(Role.OPERATOR)
                        || (me.mayPublish(e.envelope().eventType())
                                && me.mayUseSource(e.envelope().source())));
        if (!visible) {
            // a publisher sees only events it could have published; others look missing, not forbidden
            throw new BusException(ErrorCode.NOT_FOUND, "No event with id '" + id + "'", Map.of("eventId", id));
        }
        var json = Json.createObjectBuilder()
                .add("event", e.envelope().toJson())
                .add("receipt", e.receipt().receipt())
                .add("acceptedAt", Timestamps.format(e.receipt().acceptedAt()))
                .add("relayed", e.relayed());
        if (e.position() != null) {
            json.add(
                    "kafka",
                    Json.createObjectBuilder()
                            .add("topic", e.position().topic())
                            .add("partition", e.position().partition())
                            .add("offset", e.position().offset()));
        }
        return Response.ok(json.build().toString()).build();
    }
}
