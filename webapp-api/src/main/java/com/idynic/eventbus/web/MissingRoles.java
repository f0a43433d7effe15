package com.idynic.eventbus.web;

import com.idynic.eventbus.security.Role;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A 403 the server's own {@code @RolesAllowed} check makes (after {@link ResourceAccess} let the stored
 * service through, e.g. because the service gained a role its older token lacks) still names what was
 * refused: the roles the matched method needs, which {@link ResourceAccess} leaves in a request property,
 * and the roles the token carries.
 */
final class MissingRoles {
    /** Request property (a servlet request attribute) holding the matched method's roles, a {@code List<String>}. */
    static final String REQUIRED = "com.idynic.eventbus.requiredRoles";

    private static final String REASON = "the token does not carry a role this operation needs; get a new token";

    private MissingRoles() {}

    /** @return the refusal's message for this request */
    static String messageFor(HttpServletRequest request) {
        return message(required(request));
    }

    /** @return the refusal's details for this request */
    static Map<String, Object> detailsFor(HttpServletRequest request) {
        return details(required(request), role -> tokenHas(request, role));
    }

    private static Object required(HttpServletRequest request) {
        return request == null ? null : request.getAttribute(REQUIRED);
    }

    private static boolean tokenHas(HttpServletRequest request, String role) {
        try {
            return request != null && request.getUserPrincipal() != null && request.isUserInRole(role);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** @return the refusal's message, naming the required roles when known */
    static String message(Object required) {
        return required instanceof List<?> roles && !roles.isEmpty()
                ? "The token carries none of the roles this operation needs ("
                        + String.join(
                                " or ", roles.stream().map(String::valueOf).toList())
                        + "); get a new token"
                : "The token does not carry a role this operation needs; get a new token";
    }

    /**
     * @param required the value of the {@link #REQUIRED} property, or null when unknown
     * @param tokenHasRole whether the token carries a role id
     * @return {@code reason}, {@code requiredRoles} when known and {@code tokenRoles}
     */
    static Map<String, Object> details(Object required, Predicate<String> tokenHasRole) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("reason", REASON);
        if (required instanceof List<?> roles && !roles.isEmpty()) {
            d.put("requiredRoles", roles.stream().map(String::valueOf).toList());
        }
        d.put(
                "tokenRoles",
                Arrays.stream(Role.values()).map(Role::id).filter(tokenHasRole).toList());
        return d;
    }
}
