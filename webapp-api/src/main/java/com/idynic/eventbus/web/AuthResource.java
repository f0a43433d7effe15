package com.idynic.eventbus.web;

import com.idynic.eventbus.api.CachedJson;
import com.idynic.eventbus.api.InvalidFieldException;
import com.idynic.eventbus.api.Timestamps;
import com.idynic.eventbus.security.Credentials;
import com.idynic.eventbus.security.TokenIssuer;
import jakarta.annotation.security.PermitAll;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;

/** {@code POST /v1/auth/token}: exchanges a service API key for a short-lived bearer token (JWT). */
@Path("/v1/auth/token")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
@PermitAll
public class AuthResource {
    @Inject
    Credentials credentials;

    /** {@code {"apiKey":"ebk_..."}} gives {@code {"accessToken":"...","tokenType":"Bearer","expiresIn":900}}. */
    @POST
    public Response token(@HeaderParam("Content-Type") String ct, InputStream body) {
        JsonObject o = JsonBodies.read(ct, body, 4096);
        if (!(o.get("apiKey") instanceof JsonString key)) {
            throw new InvalidFieldException("apiKey", "is required (a string)");
        }
        TokenIssuer.Token t = credentials.exchange(key.getString());
        return SubscriptionsResource.ok(CachedJson.createObjectBuilder()
                .add("accessToken", t.jwt())
                .add("tokenType", "Bearer")
                .add("expiresIn", t.lifetime().toSeconds())
                .add("expiresAt", Timestamps.format(t.expiresAt()))
                .build());
    }
}
