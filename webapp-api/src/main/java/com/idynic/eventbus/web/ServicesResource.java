package com.idynic.eventbus.web;

import com.idynic.eventbus.api.CachedJson;
import com.idynic.eventbus.api.EventTypes;
import com.idynic.eventbus.api.InvalidFieldException;
import com.idynic.eventbus.api.Timestamps;
import com.idynic.eventbus.security.ApiKeyView;
import com.idynic.eventbus.security.ApiKeys;
import com.idynic.eventbus.security.RateLimit;
import com.idynic.eventbus.security.Role;
import com.idynic.eventbus.security.ServiceAccount;
import com.idynic.eventbus.security.ServiceAdmin;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
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
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Services, their permissions and API keys ({@code admin} only). Keys are shown once, when issued. */
@Path("/v1/services")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("admin")
public class ServicesResource {
    private static final String SELECTOR = EventTypes.SELECTOR_GRAMMAR;

    @Inject
    ServiceAdmin admin;

    @Inject
    Caller caller;

    @GET
    public Response list() {
        JsonArrayBuilder a = CachedJson.createArrayBuilder();
        admin.list().forEach(s -> a.add(view(s)));
        return SubscriptionsResource.ok(
                CachedJson.createObjectBuilder().add("services", a).build());
    }

    @GET
    @Path("{name}")
    public Response get(@PathParam("name") String name) {
        return SubscriptionsResource.ok(view(admin.get(name)));
    }

    /**
     * {@code {"roles":["publisher"],"publish":["order.*"],"subscribe":[],"sources":[],
     * "rateLimit":{"perSecond":50,"burst":100},"maxSubscriptions":10}}
     */
    @PUT
    @Path("{name}")
    public Response put(@PathParam("name") String name, @HeaderParam("Content-Type") String ct, InputStream body) {
        JsonObject o = JsonBodies.read(ct, body, 16 * 1024);
        ServiceAdmin.requireName(name);
        Set<Role> roles = roles(o);
        RateLimit limit = rateLimit(o);
        Integer max = maxSubscriptions(o);
        ServiceAccount s = new ServiceAccount(
                name,
                roles,
                strings(o, "publish", SELECTOR),
                strings(o, "subscribe", SELECTOR),
                strings(o, "sources", "\\*|[A-Za-z0-9][A-Za-z0-9._:/-]{0,199}"),
                limit,
                max);
        boolean created = admin.save(caller.name(), s);
        return Response.status(created ? 201 : 200).entity(view(s).toString()).build();
    }

    /** Issues a key: {@code {"expiresInSeconds":2592000}} (optional). The key is in this response only. */
    @POST
    @Path("{name}/keys")
    public Response issue(@PathParam("name") String name, @HeaderParam("Content-Type") String ct, InputStream body) {
        admin.get(name);
        JsonObject o = JsonBodies.read(ct, body, 4096);
        Duration validFor = null;
        if (o.get("expiresInSeconds") instanceof JsonNumber n) {
            if (!n.isIntegral() || n.doubleValue() < 1 || n.doubleValue() > 3_153_600_000L) {
                throw new InvalidFieldException(
                        "expiresInSeconds", "must be a whole number of seconds up to 100 years");
            }
            validFor = Duration.ofSeconds(n.longValue());
        }
        ApiKeys.Issued k = admin.issue(caller.name(), name, validFor);
        JsonObjectBuilder b = CachedJson.createObjectBuilder()
                .add("keyId", k.keyId())
                .add("service", name)
                .add("apiKey", k.key());
        if (k.expiresAt() != null) {
            b.add("expiresAt", Timestamps.format(k.expiresAt()));
        }
        return Response.status(201).entity(b.build().toString()).build();
    }

    @GET
    @Path("{name}/keys")
    public Response keys(@PathParam("name") String name) {
        JsonArrayBuilder a = CachedJson.createArrayBuilder();
        for (ApiKeyView k : admin.keys(name)) {
            JsonObjectBuilder b = CachedJson.createObjectBuilder()
                    .add("keyId", k.keyId())
                    .add("createdAt", Timestamps.format(k.createdAt()));
            if (k.expiresAt() != null) {
                b.add("expiresAt", Timestamps.format(k.expiresAt()));
            }
            if (k.revokedAt() != null) {
                b.add("revokedAt", Timestamps.format(k.revokedAt()));
            }
            if (k.lastUsedAt() != null) {
                b.add("lastUsedAt", Timestamps.format(k.lastUsedAt()));
            }
            a.add(b);
        }
        return SubscriptionsResource.ok(
                CachedJson.createObjectBuilder().add("keys", a).build());
    }

    /** Revokes a key: no new tokens from it; tokens already issued live out their (short) lifetime. */
    @DELETE
    @Path("{name}/keys/{keyId}")
    public Response revoke(@PathParam("name") String name, @PathParam("keyId") String keyId) {
        admin.revoke(caller.name(), name, keyId);
        return Response.noContent().build();
    }

    private static Set<Role> roles(JsonObject o) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String r : strings(o, "roles", ".+")) {
            Role role = Role.of(r);
            if (role == null) {
                throw new InvalidFieldException(
                        "roles", "'" + r + "' is not one of publisher, subscriber, operator, admin, sensitive");
            }
            roles.add(role);
        }
        return roles;
    }

    private static RateLimit rateLimit(JsonObject o) {
        if (o.get("rateLimit") instanceof JsonObject rl) {
            if (!(rl.get("perSecond") instanceof JsonNumber ps)
                    || !(ps.doubleValue() > 0)
                    || ps.doubleValue() > 1_000_000) {
                throw new InvalidFieldException("rateLimit.perSecond", "must be a number above 0, at most 1000000");
            }
            int burst = rl.get("burst") instanceof JsonNumber b && b.isIntegral()
                    ? b.intValue()
                    : (int) Math.ceil(ps.doubleValue());
            if (burst < 1 || burst > 10_000_000) {
                throw new InvalidFieldException("rateLimit.burst", "must be an integer from 1 to 10000000");
            }
            return new RateLimit(ps.doubleValue(), burst);
        } else if (o.containsKey("rateLimit") && o.get("rateLimit").getValueType() != JsonValue.ValueType.NULL) {
            throw new InvalidFieldException("rateLimit", "must be an object");
        }
        return null;
    }

    private static Integer maxSubscriptions(JsonObject o) {
        if (o.get("maxSubscriptions") instanceof JsonNumber m) {
            if (!m.isIntegral() || m.doubleValue() < 0 || m.doubleValue() > 100_000) {
                throw new InvalidFieldException("maxSubscriptions", "must be a non-negative integer");
            }
            return m.intValue();
        }
        return null;
    }

    private static List<String> strings(JsonObject o, String field, String pattern) {
        JsonValue v = o.get(field);
        if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
            return List.of();
        }
        if (v.getValueType() != JsonValue.ValueType.ARRAY) {
            throw new InvalidFieldException(field, "must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonValue x : v.asJsonArray()) {
            if (!(x instanceof JsonString s)
                    || !s.getString().matches(pattern)
                    || s.getString().contains(",")) {
                throw new InvalidFieldException(field, "must hold strings matching " + pattern);
            }
            out.add(s.getString());
        }
        return out;
    }

    static JsonObject view(ServiceAccount s) {
        JsonArrayBuilder roles = CachedJson.createArrayBuilder();
        s.roles().stream().map(Role::id).sorted().forEach(roles::add);
        JsonObjectBuilder b = CachedJson.createObjectBuilder()
                .add("name", s.name())
                .add("roles", roles)
                .add("publish", CachedJson.createArrayBuilder(s.publishTypes()))
                .add("subscribe", CachedJson.createArrayBuilder(s.subscribeTypes()))
                .add("sources", CachedJson.createArrayBuilder(s.sources()));
        if (s.rateLimit() != null) {
            b.add(
                    "rateLimit",
                    CachedJson.createObjectBuilder()
                            .add("perSecond", s.rateLimit().perSecond())
                            .add("burst", s.rateLimit().burst()));
        }
        if (s.maxSubscriptions() != null) {
            b.add("maxSubscriptions", s.maxSubscriptions());
        }
        return b.build();
    }
}
