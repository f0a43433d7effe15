package com.idynic.eventbus.web;

import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.CachedJson;
import com.idynic.eventbus.api.ErrorCode;
import com.idynic.eventbus.api.EventTypes;
import com.idynic.eventbus.api.InvalidFieldException;
import com.idynic.eventbus.api.Timestamps;
import com.idynic.eventbus.schema.Compatibility;
import com.idynic.eventbus.schema.SchemaRegistry;
import com.idynic.eventbus.schema.SchemaVersion;
import com.idynic.eventbus.subscribers.SchemaReaders;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.io.StringReader;
import java.util.List;
import java.util.Map;

/** The schema registry: {@code /v1/schemas/{eventType}/versions}, compatibility mode, deprecation. */
@Path("/v1/schemas")
@RolesAllowed({"publisher", "subscriber", "operator", "admin"})
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
public class SchemasResource {
    private static final long MAX_SCHEMA = 256 * 1024;

    @Inject
    SchemaRegistry registry;

    @Inject
    Caller caller;

    @Inject
    SchemaReaders readers;

    @GET
    public Response types() {
        JsonArrayBuilder a = CachedJson.createArrayBuilder();
        for (String t : registry.types()) {
            a.add(CachedJson.createObjectBuilder()
                    .add("eventType", t)
                    .add("compatibility", registry.mode(t).name())
                    .add("versions", registry.versions(t).size()));
        }
        return SubscriptionsResource.ok(
                CachedJson.createObjectBuilder().add("schemas", a).build());
    }

    @GET
    @Path("{eventType}/versions")
    public Response versions(@PathParam("eventType") String type) {
        JsonArrayBuilder a = CachedJson.createArrayBuilder();
        existing(type).forEach(v -> a.add(view(v)));
        return SubscriptionsResource.ok(CachedJson.createObjectBuilder()
                .add("eventType", type)
                .add("compatibility", registry.mode(type).name())
                .add("versions", a)
                .build());
    }

    /** A version by number, or {@code latest} (newest not deprecated). */
    @GET
    @Path("{eventType}/versions/{version}")
    public Response version(@PathParam("eventType") String type, @PathParam("version") String version) {
        List<SchemaVersion> all = existing(type);
        SchemaVersion v = "latest".equals(version)
                ? all.stream().filter(x -> !x.deprecated()).reduce((a, b) -> b).orElse(all.get(all.size() - 1))
                : all.stream()
                        .filter(x -> String.valueOf(x.version()).equals(version))
                        .findFirst()
                        .orElseThrow(() -> notFound(type, version));
        return SubscriptionsResource.ok(view(v));
    }

    /**
     * Registers {@code {"schema": {...}}} as the next version (201), or refuses it (409
     * INCOMPATIBLE_SCHEMA) naming what breaks; {@code ?dryRun=true} only reports; a schema equal to a
     * registered version answers 200 with that version ({@code "existing": true}).
     */
    @POST
    @Path("{eventType}/versions")
    @RolesAllowed("admin")
    public Response register(
            @PathParam("eventType") String type,
            @QueryParam("dryRun") boolean dryRun,
            @HeaderParam("Content-Type") String ct,
            InputStream body) {
        if (!EventTypes.isType(type)) {
            throw new InvalidFieldException("eventType", "must be an exact event type");
        }
        JsonObject o = JsonBodies.read(ct, body, MAX_SCHEMA);
        if (!(o.get("schema") instanceof JsonObject schema)) {
            throw new InvalidFieldException("schema", "must be a JSON Schema object");
        }
        List<SchemaReaders.Broken> affected =
                readers.brokenBy(type, reads -> registry.breaksReader(type, reads, schema));
        SchemaRegistry.Registration r = registry.register(caller.name(), type, schema, dryRun);
        JsonObject out = registration(type, r, affected, dryRun);
        return Response.status(dryRun || r.existing() ? 200 : 201)
                .entity(out.toString())
                .build();
    }

    private static JsonObject registration(
            String type, SchemaRegistry.Registration r, List<SchemaReaders.Broken> affected, boolean dryRun) {
        JsonArrayBuilder subscriptions = CachedJson.createArrayBuilder();
        for (SchemaReaders.Broken b : affected) {
            subscriptions.add(CachedJson.createObjectBuilder()
                    .add("subscriptionId", b.subscriptionId())
                    .add("readsVersion", b.readsVersion())
                    .add("breaks", CachedJson.createArrayBuilder(b.breaks())));
        }
        JsonArrayBuilder breaks = CachedJson.createArrayBuilder();
        r.breaks().forEach(breaks::add);
        return CachedJson.createObjectBuilder()
                .add("eventType", type)
                .add("version", r.version())
                .add("compatibility", r.mode().name())
                .add("compatible", r.breaks().isEmpty())
                .add("breaks", breaks)
                .add("affectedSubscriptions", subscriptions)
                .add("dryRun", dryRun)
                .add("existing", r.existing())
                .build();
    }

    @POST
    @Path("{eventType}/versions/{version}/deprecate")
    @RolesAllowed("admin")
    public Response deprecate(@PathParam("eventType") String type, @PathParam("version") String version) {
        int v;
        try {
            v = Integer.parseInt(version);
        } catch (NumberFormatException e) {
            throw notFound(type, version);
        }
        if (!registry.deprecate(caller.name(), type, v)) {
            throw notFound(type, version);
        }
        return version(type, version);
    }

    /** {@code {"compatibility":"BACKWARD|FORWARD|FULL|NONE"}}. */
    @PUT
    @Path("{eventType}/config")
    @RolesAllowed("admin")
    public Response config(
            @PathParam("eventType") String type, @HeaderParam("Content-Type") String ct, InputStream body) {
        JsonObject o = JsonBodies.read(ct, body, SubscriptionsResource.MAX_BODY);
        String mode = JsonBodies.stringField(o, "compatibility", null);
        Compatibility c;
        try {
            c = Compatibility.valueOf(String.valueOf(mode));
        } catch (IllegalArgumentException e) {
            throw new InvalidFieldException("compatibility", "must be one of BACKWARD, FORWARD, FULL, NONE");
        }
        registry.setMode(caller.name(), type, c);
        return SubscriptionsResource.ok(CachedJson.createObjectBuilder()
                .add("eventType", type)
                .add("compatibility", c.name())
                .build());
    }

    private List<SchemaVersion> existing(String type) {
        List<SchemaVersion> all = registry.versions(type);
        if (all.isEmpty()) {
            throw new BusException(
                    ErrorCode.NOT_FOUND, "No schema registered for '" + type + "'", Map.of("eventType", type));
        }
        return all;
    }

    private static BusException notFound(String type, String version) {
        return new BusException(
                ErrorCode.NOT_FOUND,
                "No version " + version + " of the schema for '" + type + "'",
                Map.of("eventType", type, "version", version));
    }

    private static JsonObject view(SchemaVersion v) {
        JsonValue schema = CachedJson.createReader(new StringReader(v.schema())).readObject();
        return CachedJson.createObjectBuilder()
                .add("eventType", v.eventType())
                .add("version", v.version())
                .add("deprecated", v.deprecated())
                .add("createdAt", Timestamps.format(v.createdAt()))
                .add("schema", schema)
                .build();
    }
}
