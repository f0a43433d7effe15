package com.idynic.eventbus.web;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.annotation.WebListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.ext.Provider;
import java.io.IOException;
import java.util.EnumSet;
import java.util.Map;

/**
 * API responses carry tokens and keys and are never pages: every one, refusals included, says so to
 * browsers and caches. The servlet filter goes ahead of every declared filter (so also ahead of the
 * authentication filter) and sets the headers again after the chain, because a filter that resets the
 * response to write a refusal drops them; the JAX-RS filter puts them on every response JAX-RS writes.
 */
@WebListener
public class SecurityHeaders implements ServletContextListener {
    /** Every header and its exact value, on every response of the API. */
    static final Map<String, String> HEADERS = Map.of(
            "X-Content-Type-Options", "nosniff",
            "Cache-Control", "no-store",
            "Referrer-Policy", "no-referrer",
            "Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");

    @Override
    public void contextInitialized(ServletContextEvent e) {
        e.getServletContext()
                .addFilter("securityHeaders", new Servlet())
                .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST, DispatcherType.ERROR), false, "/*");
    }

    /** Sets the headers before the rest of the chain runs and again after it while the response is open. */
    static final class Servlet implements Filter {
        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            HttpServletResponse resp = (HttpServletResponse) response;
            HEADERS.forEach(resp::setHeader);
            try {
                chain.doFilter(request, response);
            } finally {
                if (!resp.isCommitted()) {
                    HEADERS.forEach(resp::setHeader);
                }
            }
        }
    }

    /** Puts the headers on every response JAX-RS writes, mapped errors and aborted requests included. */
    @Provider
    public static class Jaxrs implements ContainerResponseFilter {
        @Override
        public void filter(ContainerRequestContext request, ContainerResponseContext response) {
            HEADERS.forEach((name, value) -> response.getHeaders().putSingle(name, value));
        }
    }
}
