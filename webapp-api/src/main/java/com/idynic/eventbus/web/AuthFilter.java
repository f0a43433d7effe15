package com.idynic.eventbus.web;

import com.idynic.eventbus.api.ErrorCode;
import com.idynic.eventbus.api.TokenSignature;
import com.idynic.eventbus.security.SecuritySettings;
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
import java.util.logging.Logger;

/**
 * Verifies a presented bearer token on every request, whatever its path: MicroProfile JWT checks
 * signature, issuer, audience and expiry ({@code request.authenticate}), after {@link TokenSignature} has
 * refused a forged signature without handing the token to the server (whose JWT library would write it
 * whole into the log and an FFDC incident). A token that fails is refused
 * here with the API's error JSON (failing closed needs no knowledge of the route). This filter never
 * lets a request through <em>because</em> of its path: whether a route needs a token, and which
 * stored roles and permissions it needs, is decided by {@link ResourceAccess} once JAX-RS has matched
 * the resource. It supports asynchronous requests (long polls suspend), as every filter in the chain must.
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class AuthFilter implements Filter {
    private static final Logger LOG = Logger.getLogger(AuthFilter.class.getName());

    @Inject
    SecuritySettings settings;

    private volatile TokenSignature signatures;

    /** The bus's own key, checked before MicroProfile JWT sees a token (which would log a forged one whole). */
    private TokenSignature signatures() {
        TokenSignature s = signatures;
        if (s == null) {
            String location = settings.jwtPublicKey().orElse(null);
            s = TokenSignature.configured(location, why -> LOG.severe("every bearer token is refused: " + why));
            signatures = s;
        }
        return s;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest req = (HttpServletRequest) request;
        HttpServletResponse resp = (HttpServletResponse) response;
        String header = req.getHeader("Authorization");
        if (header == null || req.getUserPrincipal() != null) {
            chain.doFilter(req, resp);
            return;
        }
        boolean ok;
        try {
            ok = header.regionMatches(true, 0, "Bearer ", 0, 7)
                    && signatures().mayBeValid(header.substring(7).trim())
                    && req.authenticate(resp);
        } catch (ServletException | RuntimeException e) {
            ok = false;
        }
        if (ok && req.getUserPrincipal() != null) {
            chain.doFilter(req, resp);
            return;
        }
        if (resp.isCommitted()) {
            return;
        }
        resp.reset();
        SecurityHeaders.HEADERS.forEach(resp::setHeader);
        resp.setStatus(401);
        resp.setHeader("WWW-Authenticate", "Bearer realm=\"eventbus\", error=\"invalid_token\"");
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        String body = Errors.json(
                ErrorCode.UNAUTHORIZED,
                "The bearer token is not valid (expired, badly signed, or for another issuer or audience)",
                Map.of("tokenPresented", true));
        resp.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
    }
}
