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
        if (req.getDispatcherType() == DispatcherType.REQUEST && postback(req) && req.getSession(false) == null) {
            // a page's state lives in its session (server-side state saving): a form without one comes from a
            // session that ended (time-out, sign-out, restart) or was never a page of this console
            toSignIn(req, resp);
            return;
        }
        chain.doFilter(request, new OnePolicy(resp));
    }

    /** @return whether the request posts a Faces form back (it carries a view state) */
    private static boolean postback(HttpServletRequest req) {
        return "POST".equals(req.getMethod()) && req.getParameter("jakarta.faces.ViewState") != null;
    }

    /** Sends the browser to the sign-in page, which says nothing is lost but the form: a redirect Ajax obeys too. */
    private static void toSignIn(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String to = req.getContextPath() + Page.SIGN_IN.viewId();
        if ("partial/ajax".equals(req.getHeader("Faces-Request"))) {
            resp.setContentType("text/xml;charset=UTF-8");
            resp.getWriter()
                    .write("<?xml version=\"1.0\" encoding=\"UTF-8\"?><partial-response><redirect url=\"" + to
                            + "\"></redirect></partial-response>");
        } else {
            resp.setStatus(HttpServletResponse.SC_SEE_OTHER);
            resp.setHeader("Location", to);
        }
    }

    /** @return whether {@code type} is among the causes of {@code e}, itself included */
    static boolean caused(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
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
