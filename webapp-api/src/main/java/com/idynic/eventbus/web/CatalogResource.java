package com.idynic.eventbus.web;

import com.idynic.eventbus.admin.CatalogSample;
import com.idynic.eventbus.admin.EventCatalog;
import com.idynic.eventbus.api.CachedJson;
import com.idynic.eventbus.api.Timestamps;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.StringReader;

/**
 * The event catalog ({@link EventCatalog}, the console's Catalog page): {@code GET /v1/catalog} lists every event
 * type with its schema versions, compatibility, publishers and subscribers; {@code GET /v1/catalog/{eventType}}
 * adds the latest stored event of the type as a sample.
 */
@Path("/v1/catalog")
@RolesAllowed({"operator", "admin"})
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
public class CatalogResource {
    @Inject
    EventCatalog catalog;

    @Inject
    Caller caller;

    @GET
    public Response list() {
        JsonArrayBuilder a = CachedJson.createArrayBuilder();
        catalog.entries().forEach(e -> a.add(view(e)));
        return SubscriptionsResource.ok(
                CachedJson.createObjectBuilder().add("eventTypes", a).build());
    }

    @GET
    @Path("{eventType}")
    public Response one(@PathParam("eventType") String eventType) {
        EventCatalog.Entry e = catalog.entry(eventType);
        JsonObjectBuilder b = view(e);
        catalog.sample(caller.account(), eventType)
                .ifPresentOrElse(s -> b.add("sample", sample(s)), () -> b.addNull("sample"));
        return SubscriptionsResource.ok(b.build());
    }

    static JsonObjectBuilder view(EventCatalog.Entry e) {
        JsonArrayBuilder versions = CachedJson.createArrayBuilder();
        e.versions()
                .forEach(v -> versions.add(CachedJson.createObjectBuilder()
                        .add("version", v.version())
                        .add("deprecated", v.deprecated())
                        .add("createdAt", Timestamps.format(v.createdAt()))));
        JsonArrayBuilder publishers = CachedJson.createArrayBuilder();
        e.publishers()
                .forEach(p -> publishers.add(CachedJson.createObjectBuilder()
                        .add("source", p.source())
                        .add("published", p.published())
                        .add("firstSeen", Timestamps.format(p.firstSeen()))
                        .add("lastSeen", Timestamps.format(p.lastSeen()))));
        JsonArrayBuilder subscribers = CachedJson.createArrayBuilder();
        e.subscribers()
                .forEach(r -> subscribers.add(CachedJson.createObjectBuilder()
                        .add("subscriptionId", r.subscriptionId())
                        .add("owner", r.owner())
                        .add("selector", r.selector())
                        .add("schemaVersion", r.schemaVersion())
                        .add("state", r.state())));
        JsonObjectBuilder b = CachedJson.createObjectBuilder().add("eventType", e.eventType());
        if (e.compatibility() == null) {
            b.addNull("compatibility");
        } else {
            b.add("compatibility", e.compatibility().name());
        }
        return b.add("versions", versions).add("publishers", publishers).add("subscribers", subscribers);
    }

    private static JsonObject sample(CatalogSample s) {
        return CachedJson.createObjectBuilder()
                .add("eventId", s.eventId())
                .add("acceptedAt", Timestamps.format(s.acceptedAt()))
                .add(
                        "event",
                        CachedJson.createReader(new StringReader(s.json())).readObject())
                .build();
    }
}
