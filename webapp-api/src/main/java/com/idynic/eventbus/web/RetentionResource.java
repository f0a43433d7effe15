package com.idynic.eventbus.web;

import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.ErrorCode;
import com.idynic.eventbus.api.InvalidFieldException;
import com.idynic.eventbus.broker.RetentionManager;
import com.idynic.eventbus.broker.spi.RetentionPolicy;
import com.idynic.eventbus.broker.spi.RetentionStore;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
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
import java.util.Map;

/** Retention policies per event type, the global default, and on-demand runs. */
@Path("/v1/retention")
@RolesAllowed({"operator", "admin"})
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
public class RetentionResource {
    @Inject
    RetentionManager retention;

    @Inject
    RetentionStore store;

    static final long MAX_AGE_SECONDS = 3_153_600_000L;

    @GET
    public Response get() {
        JsonArrayBuilder a = Json.createArrayBuilder();
        retention.policies().forEach(p -> a.add(view(p)));
        JsonObjectBuilder b = Json.createObjectBuilder()
                .add("defaultMaxAgeSeconds", retention.defaultMaxAge().toSeconds())
                .add("policies", a)
                .add("removedTotal", retention.removedTotal());
        if (retention.last() != null) {
            b.add("lastRun", report(retention.last()));
        }
        return SubscriptionsResource.ok(b.build());
    }

    /** {@code {"maxAgeSeconds":604800,"maxCount":1000000}} for one event type. */
    @PUT
    @Path("{eventType}")
    @RolesAllowed("admin")
    public Response put(
            @PathParam("eventType") String eventType, @HeaderParam("Content-Type") String ct, InputStream body) {
        JsonObject o = JsonBodies.read(ct, body, SubscriptionsResource.MAX_BODY);
        if (!eventType.matches("[A-Za-z0-9]+([._-][A-Za-z0-9]+)*") || eventType.length() > 200) {
            throw new InvalidFieldException("eventType", "must be an exact event type");
        }
        if (!(o.get("maxAgeSeconds") instanceof JsonNumber age)
                || !age.isIntegral()
                || age.bigDecimalValue().compareTo(java.math.BigDecimal.ONE) < 0
                || age.bigDecimalValue().compareTo(java.math.BigDecimal.valueOf(MAX_AGE_SECONDS)) > 0) {
            throw new InvalidFieldException(
                    "maxAgeSeconds", "must be a whole number of seconds from 1 to " + MAX_AGE_SECONDS + " (100 years)");
        }
        Long count = null;
        JsonValue c = o.get("maxCount");
        if (c != null && c.getValueType() != JsonValue.ValueType.NULL) {
            if (!(c instanceof JsonNumber n)
                    || !n.isIntegral()
                    || n.bigDecimalValue().compareTo(java.math.BigDecimal.ONE) < 0
                    || n.bigDecimalValue().compareTo(java.math.BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
                throw new InvalidFieldException("maxCount", "must be a positive integer");
            }
            count = n.longValue();
        }
        RetentionPolicy p = new RetentionPolicy(eventType, Duration.ofSeconds(age.longValue()), count);
        store.save(p);
        return SubscriptionsResource.ok(view(p));
    }

    @DELETE
    @Path("{eventType}")
    @RolesAllowed("admin")
    public Response delete(@PathParam("eventType") String eventType) {
        if (!store.delete(eventType)) {
            throw new BusException(
                    ErrorCode.NOT_FOUND, "No retention policy for '" + eventType + "'", Map.of("eventType", eventType));
        }
        return Response.noContent().build();
    }

    /** Runs retention now and reports what was removed. */
    @POST
    @Path("run")
    @RolesAllowed("admin")
    public Response run() {
        return SubscriptionsResource.ok(report(retention.runOnce()));
    }

    private static JsonObject view(RetentionPolicy p) {
        JsonObjectBuilder b = Json.createObjectBuilder()
                .add("eventType", p.eventType())
                .add("maxAgeSeconds", p.maxAge().toSeconds());
        if (p.maxCount() != null) {
            b.add("maxCount", p.maxCount());
        }
        return b.build();
    }

    private static JsonObject report(RetentionManager.Report r) {
        JsonObjectBuilder removed = Json.createObjectBuilder();
        r.removed().forEach(removed::add);
        return Json.createObjectBuilder()
                .add("at", r.at().toString())
                .add("removed", removed)
                .add("total", r.total())
                .build();
    }
}
