package com.idynic.eventbus.web;

import com.idynic.eventbus.admin.AsyncApiDocument;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code GET /v1/asyncapi}: the events as an AsyncAPI 3.0 document ({@link AsyncApiDocument}), read by the same roles
 * as the catalog it describes.
 */
@Path("/v1/asyncapi")
@RolesAllowed({"operator", "admin"})
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
public class AsyncApiResource {
    @Inject
    AsyncApiDocument document;

    @GET
    public Response get() {
        return SubscriptionsResource.ok(document.document());
    }
}
