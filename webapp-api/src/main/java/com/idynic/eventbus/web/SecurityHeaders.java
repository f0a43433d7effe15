package com.idynic.eventbus.web;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.annotation.WebListener;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.EnumSet;
import java.util.Map;

/**
 * API responses carry tokens and keys and are never pages: every one, refusals included, says so to
 * browsers and caches. The filter goes ahead of every declared filter, on requests and error dispatches,
 * and sets the headers once; {@link AuthFilter}, the one filter that resets a response to write a refusal,
 * sets them again itself.
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
        FilterRegistration.Dynamic filter = e.getServletContext().addFilter("securityHeaders", new Servlet());
        filter.setAsyncSupported(true);
        filter.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST, DispatcherType.ERROR), false, "/*");
    }

    /** Sets the headers before the rest of the chain runs. */
    static final class Servlet implements Filter {
        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            HEADERS.forEach(((HttpServletResponse) response)::setHeader);
            chain.doFilter(request, response);
        }
    }
}
