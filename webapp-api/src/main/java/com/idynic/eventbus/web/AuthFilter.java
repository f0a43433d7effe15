package com.idynic.eventbus.web;

import com.idynic.eventbus.api.ErrorCode;
import com.idynic.eventbus.security.Role;
import com.idynic.eventbus.security.ServiceAccount;
import jakarta.inject.Inject;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * Authenticates every {@code /v1/} call except the token exchange before the API runs: the bearer
 * token is verified by MicroProfile JWT ({@code request.authenticate}, the server's MP-JWT mechanism:
 * signature, issuer, audience, expiry). A refusal leaves in the API's error JSON, which the server's
 * own 401 would not. A token claiming a role its service no longer has is refused too (roles removed
 * take effect at once, not when the token expires). Roles are then checked by {@code @RolesAllowed}.
 */
@WebFilter("/*")
public class AuthFilter implements Filter {
    @Inject
    ServiceDirectory services;

    /**
     * Roles in a token are what the service had when the token was issued; a role removed since then
     * must not outlive the change for the token's lifetime.
     *
     * @return a role the token claims but the stored service no longer has, or null
     */
    private String staleRole(HttpServletRequest req) {
        Optional<ServiceAccount> stored = services.find(req.getUserPrincipal().getName());
        if (stored.isEmpty()) {
            return null;
        }
        for (Role r : Role.values()) {
            if (req.isUserInRole(r.id()) && !stored.get().roles().contains(r)) {
                return r.id();
            }
        }
        return null;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest req = (HttpServletRequest) request;
        HttpServletResponse resp = (HttpServletResponse) response;
        String path = req.getRequestURI().substring(req.getContextPath().length());
        if (!path.startsWith("/v1/") || path.equals("/v1/auth/token")) {
            chain.doFilter(req, resp);
            return;
        }
        String header = req.getHeader("Authorization");
        boolean presented = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7);
        boolean ok = false;
        if (presented) {
            try {
                ok = req.getUserPrincipal() != null || req.authenticate(resp);
            } catch (ServletException | RuntimeException e) {
                ok = false;
            }
        }
        String stale = null;
        if (ok && req.getUserPrincipal() != null) {
            try {
                stale = staleRole(req);
            } catch (RuntimeException storeDown) {
                // the token itself is verified; the API answers 503 itself if it needs the store
                stale = null;
            }
            if (stale == null) {
                chain.doFilter(req, resp);
                return;
            }
        }
        if (resp.isCommitted()) {
            return;
        }
        resp.reset();
        resp.setStatus(401);
        resp.setHeader(
                "WWW-Authenticate",
                presented ? "Bearer realm=\"eventbus\", error=\"invalid_token\"" : "Bearer realm=\"eventbus\"");
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        String message = stale != null
                ? "The token carries the role '" + stale + "', which the service no longer has; get a new token"
                : presented
                        ? "The bearer token is not valid (expired, badly signed, or for another issuer or audience)"
                        : "A bearer token is required: exchange an API key at POST /v1/auth/token";
        String body = Errors.json(ErrorCode.UNAUTHORIZED, message, Map.of("tokenPresented", presented));
        resp.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
    }
}
