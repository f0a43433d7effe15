package com.idynic.eventbus.web;

import jakarta.inject.Inject;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;

/**
 * Gives each request a share of the {@link BodyBudget} for as long as it runs: what {@link JsonBodies} reads
 * and parses is charged to it, and all of it is given back when the response is done, since the tree and the
 * copies made from it live until then. The share is reached through the request's thread, the one place
 * the static body readers of every resource have in common. A long poll suspends after it read its small body
 * and keeps only numbers from it, so its share is given back when the filter returns, before it is answered.
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class BodyBudgetFilter implements Filter {
    private static final ThreadLocal<InFlightBody> CURRENT = new ThreadLocal<>();

    @Inject
    BodyBudget budget;

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        long declared = ((HttpServletRequest) request).getContentLengthLong();
        try (BodyBudget.Share share = budget.open()) {
            CURRENT.set(new InFlightBody(share, declared));
            chain.doFilter(request, response);
        } finally {
            CURRENT.remove();
        }
    }

    /** @return the body of the request this thread serves; null outside a request */
    static InFlightBody current() {
        return CURRENT.get();
    }

    /**
     * The request body's place in the budget.
     *
     * @param share what the request's body is charged to
     * @param declaredLength its {@code Content-Length}, or -1 when it is chunked or absent
     */
    record InFlightBody(BodyBudget.Share share, long declaredLength) {}
}
