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
import java.io.IOException;
import java.util.Map;

/**
 * The console handles a token, so its page may run only its own script and style files, may not be framed,
 * leaks no referrer, is never sniffed as another type and is never cached.
 */
@WebFilter(
        urlPatterns = "/*",
        dispatcherTypes = {DispatcherType.REQUEST, DispatcherType.FORWARD, DispatcherType.ERROR})
public class ConsoleHeaders implements Filter {
    /** Every header and its exact value, on every response of the console. */
    static final Map<String, String> HEADERS = Map.of(
            "Content-Security-Policy",
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

    /** @return whether the request names the console page or one of its files */
    private static boolean exists(HttpServletRequest req) throws IOException {
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
        chain.doFilter(request, response);
    }
}
