package com.idynic.eventbus.web;

import com.idynic.eventbus.api.ErrorCode;
import com.idynic.eventbus.security.Credentials;
import com.idynic.eventbus.security.Role;
import com.idynic.eventbus.security.ServiceAccount;
import com.idynic.eventbus.security.ServiceDirectory;
import com.idynic.eventbus.security.TokenIssuer;
import com.idynic.eventbus.storage.StorageException;
import jakarta.annotation.Priority;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.json.JsonString;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.ext.Provider;
import java.lang.reflect.Method;
import java.security.Principal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Decides authentication and stored permissions for the resource JAX-RS matched, so that no spelling of
 * a path ({@code ;params}, dot segments, doubled slashes, percent-encoding) can reach a resource around
 * it. Every resource needs a verified token unless it is {@code @PermitAll}. With the bus's own issuer
 * the token's service must exist; a token exchanged for an API key that was revoked or expired since,
 * or claiming a role its service no longer has, is refused; and the stored service must hold one of
 * the roles the resource's {@code @RolesAllowed} names (the token's own groups are not trusted alone).
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
public class ResourceAccess implements ContainerRequestFilter {
    @Context
    ResourceInfo resource;

    @Inject
    ServiceDirectory services;

    @Inject
    Credentials credentials;

    @Override
    public void filter(ContainerRequestContext ctx) {
        Method m = resource.getResourceMethod();
        Class<?> c = resource.getResourceClass();
        if (m == null || c == null) {
            refuse(
                    ctx,
                    ErrorCode.FORBIDDEN,
                    "No resource matched for an access decision",
                    Map.of("reason", "no resource"));
            return;
        }
        if (permitted(m, c)) {
            return;
        }
        SecurityContext sc = ctx.getSecurityContext();
        Principal p = sc == null ? null : sc.getUserPrincipal();
        if (p == null || p.getName() == null) {
            refuse(
                    ctx,
                    ErrorCode.UNAUTHORIZED,
                    "A bearer token is required: exchange an API key at POST /v1/auth/token",
                    Map.of("tokenPresented", ctx.getHeaderString("Authorization") != null));
            return;
        }
        String name = p.getName();
        Optional<ServiceAccount> stored;
        try {
            stored = services.find(name);
            String key = keyOf(p);
            if (key != null && !services.keyActive(key)) {
                refuse(
                        ctx,
                        ErrorCode.UNAUTHORIZED,
                        "The API key this token was issued for has been revoked or has expired",
                        Map.of("tokenPresented", true, "keyId", key));
                return;
            }
        } catch (RuntimeException storeDown) {
            if (!StorageException.isCauseOf(storeDown)) {
                throw storeDown;
            }
            refuse(
                    ctx,
                    ErrorCode.STORAGE_UNAVAILABLE,
                    "The service directory is unavailable (PostgreSQL); try again shortly",
                    Map.of());
            return;
        }
        if (stored.isEmpty()) {
            if (credentials.issuesTokens()) {
                refuse(
                        ctx,
                        ErrorCode.UNAUTHORIZED,
                        "The token is for service '" + name + "', which this bus does not know",
                        Map.of("tokenPresented", true, "service", name));
                return;
            }
            requireRoles(ctx, m, c, name, r -> sc.isUserInRole(r.id()));
            return;
        }
        ServiceAccount s = stored.get();
        for (Role r : Role.values()) {
            if (sc.isUserInRole(r.id()) && !s.roles().contains(r)) {
                refuse(
                        ctx,
                        ErrorCode.UNAUTHORIZED,
                        "The token carries the role '" + r.id() + "', which the service no longer has; get a new"
                                + " token",
                        Map.of("tokenPresented", true, "service", name, "role", r.id()));
                return;
            }
        }
        requireRoles(ctx, m, c, name, s::has);
    }

    /** @return the API key id the token was exchanged for (claim {@code ebk}), or null */
    private static String keyOf(Principal p) {
        if (!(p instanceof JsonWebToken jwt)) {
            return null;
        }
        Object claim = jwt.getClaim(TokenIssuer.KEY_CLAIM);
        if (claim instanceof JsonString js) {
            return js.getString();
        }
        return claim == null ? null : claim.toString();
    }

    private static boolean permitted(Method m, Class<?> c) {
        if (m.isAnnotationPresent(PermitAll.class)) {
            return true;
        }
        return !m.isAnnotationPresent(RolesAllowed.class) && c.isAnnotationPresent(PermitAll.class);
    }

    private static void requireRoles(
            ContainerRequestContext ctx,
            Method m,
            Class<?> c,
            String service,
            java.util.function.Predicate<Role> holds) {
        RolesAllowed allowed = m.isAnnotationPresent(RolesAllowed.class)
                ? m.getAnnotation(RolesAllowed.class)
                : c.getAnnotation(RolesAllowed.class);
        if (allowed == null) {
            refuse(ctx, ErrorCode.FORBIDDEN, "This operation is not open to services", Map.of("service", service));
            return;
        }
        List<Role> roles = Arrays.stream(allowed.value())
                .map(Role::of)
                .filter(r -> r != null)
                .toList();
        List<String> ids = roles.stream().map(Role::id).toList();
        ctx.setProperty(MissingRoles.REQUIRED, ids);
        if (roles.stream().anyMatch(holds)) {
            return;
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("service", service);
        details.put("requiredRoles", ids);
        refuse(
                ctx,
                ErrorCode.FORBIDDEN,
                "Service '" + service + "' needs the role " + String.join(" or ", ids),
                details);
    }

    private static void refuse(ContainerRequestContext ctx, String code, String message, Map<String, ?> details) {
        ctx.abortWith(Errors.response(code, message, details));
    }
}
