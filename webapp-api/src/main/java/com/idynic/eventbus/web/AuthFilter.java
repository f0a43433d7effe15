package com.idynic.eventbus.web;

import com.idynic.eventbus.api.ErrorCode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Authenticates every {@code /v1/} call except the token exchange before the API runs: the bearer
 * token is verified by MicroProfile JWT ({@code request.authenticate}, the server's MP-JWT mechanism:
 * signature, issuer, audience, expiry). A refusal leaves in the API's error JSON, which the server's
 * own 401 would not. Roles are then checked by {@code @RolesAllowed} on the resources.
 */
@WebFilter("/*")
public class AuthFilter extends HttpFilter {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
            throws IOException, ServletException {
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
        if (ok && req.getUserPrincipal() != null) {
            chain.doFilter(req, resp);
            return;
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
        String body = Errors.json(
                ErrorCode.UNAUTHORIZED,
                presented
                        ? "The bearer token is not valid (expired, badly signed, or for another issuer or audience)"
                        : "A bearer token is required: exchange an API key at POST /v1/auth/token",
                Map.of("tokenPresented", presented));
        resp.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
    }
}
