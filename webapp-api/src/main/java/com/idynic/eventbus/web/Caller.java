package com.idynic.eventbus.web;

import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.ErrorCode;
import com.idynic.eventbus.security.Role;
import com.idynic.eventbus.security.ServiceAccount;
import com.idynic.eventbus.security.ServiceDirectory;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The service behind this request's token (verified before the resource runs: by {@link AuthFilter} for the bus's
 * own tokens, by MicroProfile JWT for an identity provider's).
 * Its stored record decides roles and permissions, so a change or removal takes effect at once; a token
 * from an external identity provider for a service the bus does not know carries its roles in
 * {@code groups} and no type permissions.
 */
@RequestScoped
public class Caller {
    @Inject
    JsonWebToken jwt;

    @Inject
    HttpServletRequest request;

    @Inject
    ServiceDirectory services;

    private ServiceAccount account;

    /** @return the calling service */
    public ServiceAccount account() {
        if (account == null) {
            JsonWebToken token = token();
            String name = token == null ? null : token.getName();
            if (name == null) {
                throw new BusException(ErrorCode.UNAUTHORIZED, "A bearer token is required", Map.of());
            }
            account = services.find(name).orElseGet(() -> fromToken(token, name));
        }
        return account;
    }

    /** @return the calling service's name */
    public String name() {
        return account().name();
    }

    /** @return the token {@link AuthFilter} verified for this request, else the one MicroProfile JWT did */
    private JsonWebToken token() {
        Object own = request == null ? null : request.getAttribute(TokenPrincipal.ATTRIBUTE);
        return own instanceof TokenPrincipal p ? p : jwt;
    }

    private static ServiceAccount fromToken(JsonWebToken token, String name) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        Set<String> groups = token.getGroups() == null ? Set.of() : token.getGroups();
        groups.stream().map(Role::of).filter(r -> r != null).forEach(roles::add);
        return new ServiceAccount(name, roles, List.of(), List.of(), List.of(), null, null);
    }
}
