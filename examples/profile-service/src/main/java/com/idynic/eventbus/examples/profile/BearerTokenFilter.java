package com.idynic.eventbus.examples.profile;

import com.idynic.eventbus.api.ErrorCode;
import com.idynic.eventbus.api.TokenSignature;
import jakarta.json.Json;
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
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Every request to this app needs a valid bus token, whatever its path, so nothing here is reachable
 * anonymously; refusals answer 401 in the bus's error JSON rather than the container's page. Which role
 * an endpoint needs is then decided by its {@code @RolesAllowed}.
 */
@WebFilter("/*")
public class BearerTokenFilter implements Filter {
    private volatile TokenSignature signatures;

    /** Refuses forged signatures before the server's JWT runtime would log the token whole. */
    private TokenSignature signatures() {
        TokenSignature s = signatures;
        if (s == null) {
            String location = ConfigProvider.getConfig()
                    .getOptionalValue("mp.jwt.verify.publickey.location", String.class)
                    .orElse(null);
            s = TokenSignature.configured(location, why -> {});
            signatures = s;
        }
        return s;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest req = (HttpServletRequest) request;
        HttpServletResponse resp = (HttpServletResponse) response;
        if (req.getUserPrincipal() != null) {
            chain.doFilter(req, resp);
            return;
        }
        String header = req.getHeader("Authorization");
        boolean verified;
        try {
            verified = header != null
                    && header.regionMatches(true, 0, "Bearer ", 0, 7)
                    && signatures().mayBeValid(header.substring(7).trim())
                    && req.authenticate(resp)
                    && req.getUserPrincipal() != null;
        } catch (ServletException | RuntimeException e) {
            verified = false;
        }
        if (verified) {
            chain.doFilter(req, resp);
        } else if (!resp.isCommitted()) {
            refuse(resp, header != null);
        }
    }

    private static void refuse(HttpServletResponse resp, boolean presented) throws IOException {
        resp.reset();
        resp.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        resp.setHeader(
                "WWW-Authenticate",
                presented ? "Bearer realm=\"eventbus\", error=\"invalid_token\"" : "Bearer realm=\"eventbus\"");
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        String body = Json.createObjectBuilder()
                .add("status", "error")
                .add("errorCode", ErrorCode.UNAUTHORIZED)
                .add(
                        "message",
                        presented
                                ? "The bearer token is not valid (expired, badly signed, or for another issuer or"
                                        + " audience)"
                                : "A bearer token is required: exchange an API key at POST /v1/auth/token")
                .add("details", Json.createObjectBuilder().add("tokenPresented", presented))
                .build()
                .toString();
        resp.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
    }
}
