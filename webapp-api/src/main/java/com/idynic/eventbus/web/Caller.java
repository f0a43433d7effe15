package com.idynic.eventbus.web;

import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.ErrorCode;
import com.idynic.eventbus.security.Role;
import com.idynic.eventbus.security.ServiceAccount;
import com.idynic.eventbus.security.ServiceDirectory;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The service behind this request's token (verified by MicroProfile JWT before the resource runs).
 * Its stored record decides roles and permissions, so a change or removal takes effect at once; a token
 * from an external identity provider for a service the bus does not know carries its roles in
 * {@code groups} and no type permissions.
 */
@RequestScoped
public class Caller {
    @Inject
    JsonWebToken jwt;

    @Inject
    ServiceDirectory services;

    private ServiceAccount account;

    /** @return the calling service */
    public ServiceAccount account() {
        if (account == null) {
            String name = jwt == null ? null : jwt.getName();
            if (name == null) {
                throw new BusException(ErrorCode.UNAUTHORIZED, "A bearer token is required", Map.of());
            }
            account = services.find(name).orElseGet(() -> fromToken(name));
        }
        return account;
    }

    /** @return the calling service's name */
    public String name() {
        return account().name();
    }

    private ServiceAccount fromToken(String name) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        Set<String> groups = jwt.getGroups() == null ? Set.of() : jwt.getGroups();
        groups.stream().map(Role::of).filter(r -> r != null).forEach(roles::add);
        return new ServiceAccount(name, roles, List.of(), List.of(), List.of(), null, null);
    }
}
