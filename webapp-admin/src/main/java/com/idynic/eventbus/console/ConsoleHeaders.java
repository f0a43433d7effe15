package com.idynic.eventbus.console;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.util.Map;
import org.primefaces.csp.CspException;

/**
 * Every answer of the console may run only its own scripts, may not be framed, leaks no referrer, is
 * never sniffed as another type and is never cached. A page rendered by Faces replaces the default
 * {@code Content-Security-Policy} with PrimeFaces' own, which allows only the scripts that carry this
 * response's nonce ({@code primefaces.CSP}).
 */
@WebFilter(
        urlPatterns = "/*",
        dispatcherTypes = {DispatcherType.REQUEST, DispatcherType.FORWARD, DispatcherType.ERROR})
public class ConsoleHeaders implements Filter {
    static final String CSP = "Content-Security-Policy";

    /** Every header and its exact value, on every response of the console. */
    static final Map<String, String> HEADERS = Map.of(
            CSP,
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self';"
                    + " frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
            "X-Frame-Options",
            "DENY",
            "Referrer-Policy",
            "no-referrer",
            "X-Content-Type-Options",
            "nosniff",
            "Cache-Control",
            "no-store");

    /** @return whether the request names a Faces view or resource, or one of the console's files */
    private static boolean exists(HttpServletRequest req) throws IOException {
        if ("FacesServlet".equals(req.getHttpServletMapping().getServletName())) {
            return true;
        }
        String path = req.getServletPath() + (req.getPathInfo() == null ? "" : req.getPathInfo());
        if (path.isEmpty() || path.equals("/")) {
            return true;
        }
        return !path.startsWith("/WEB-INF")
                && !path.startsWith("/META-INF")
                && !path.endsWith("/")
                && req.getServletContext().getResource(path) != null;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletResponse resp = (HttpServletResponse) response;
        HEADERS.forEach(resp::setHeader);
        HttpServletRequest req = (HttpServletRequest) request;
        if (req.getDispatcherType() == DispatcherType.REQUEST && !exists(req)) {
            // answered here: the container's file servlet would throw for it, and the container would write an
            // FFDC incident with a stack trace for every request of a path that does not exist
            resp.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        try {
            chain.doFilter(request, new OnePolicy(resp));
        } catch (ServletException e) {
            if (!staleForm(e) || resp.isCommitted()) {
                throw e;
            }
            // a form posted without the nonce of the page it came from: forged, or from a page of an earlier
            // session; the client's mistake, answered without an incident
            resp.sendError(
                    HttpServletResponse.SC_BAD_REQUEST,
                    "This form did not come from a page of your current session: reload the page and try again.");
        }
    }

    /** @return whether a PrimeFaces nonce check refused the request (its cause, at any depth) */
    static boolean staleForm(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CspException) {
                return true;
            }
        }
        return false;
    }

    /** A second policy would be enforced too (both must allow): PrimeFaces' nonce policy replaces the default. */
    private static final class OnePolicy extends HttpServletResponseWrapper {
        OnePolicy(HttpServletResponse r) {
            super(r);
        }

        @Override
        public void addHeader(String name, String value) {
            if (CSP.equalsIgnoreCase(name)) {
                super.setHeader(name, value);
            } else {
                super.addHeader(name, value);
            }
        }
    }
}
