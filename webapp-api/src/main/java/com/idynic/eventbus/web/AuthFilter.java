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
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Clock;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Verifies a presented bearer token on every request, whatever its path. A token of the bus's own key (a local
 * public key file) is verified here, once per token ({@link VerifiedTokens}: signature, issuer, audience and
 * lifetime, as MicroProfile JWT checks them, remembered by the token's hash until it expires), and the request
 * goes on with that token's principal and groups, without the server's own authentication per request. With an
 * identity provider's key (a JWKS URL) MicroProfile JWT verifies it ({@code request.authenticate}). Either way
 * {@link TokenSignature} refuses a forged signature before the server sees the token (its JWT library would
 * write it whole into the log and an FFDC incident). A token that fails is refused
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

    @Inject
    Clock clock;

    private volatile TokenSignature signatures;
    private volatile VerifiedTokens verified;

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

    /** @return the bus's own verification, or null when tokens are verified by an identity provider's key */
    private VerifiedTokens verified() {
        VerifiedTokens v = verified;
        TokenSignature s = signatures();
        if (v == null && s.verifiesSignatures()) {
            v = new VerifiedTokens(s, settings.jwtIssuer(), settings.jwtAudience(), settings.jwtClockSkew(), clock);
            verified = v;
        }
        return v;
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
        TokenPrincipal own = null;
        try {
            boolean bearer = header.regionMatches(true, 0, "Bearer ", 0, 7);
            VerifiedTokens v = bearer ? verified() : null;
            if (v != null) {
                own = v.verify(header.substring(7).trim());
                ok = own != null;
            } else {
                ok = bearer && signatures().mayBeValid(header.substring(7).trim()) && req.authenticate(resp);
            }
        } catch (ServletException | RuntimeException e) {
            ok = false;
            own = null;
        }
        if (own != null) {
            req.setAttribute(TokenPrincipal.ATTRIBUTE, own);
            chain.doFilter(new Authenticated(req, own), resp);
            return;
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

    /** The request as the token it carries authenticates it: its principal, name and roles (the token's groups). */
    static final class Authenticated extends HttpServletRequestWrapper {
        private final TokenPrincipal principal;

        Authenticated(HttpServletRequest request, TokenPrincipal principal) {
            super(request);
            this.principal = principal;
        }

        @Override
        public Principal getUserPrincipal() {
            return principal;
        }

        @Override
        public String getRemoteUser() {
            return principal.getName();
        }

        @Override
        public boolean isUserInRole(String role) {
            return role != null && principal.groups().contains(role);
        }

        @Override
        public String getAuthType() {
            return "MP-JWT";
        }

        @Override
        public boolean authenticate(HttpServletResponse response) {
            return true;
        }
    }
}
