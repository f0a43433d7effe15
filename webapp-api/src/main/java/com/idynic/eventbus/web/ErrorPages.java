package com.idynic.eventbus.web;

import com.idynic.eventbus.api.ErrorCode;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The error JSON for refusals the server makes before a resource runs: 401/403 from its security, 400
 * for a request line or headers it cannot read, 500 from the container itself.
 */
@WebServlet("/_errors/*")
public class ErrorPages extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Object code = req.getAttribute("jakarta.servlet.error.status_code");
        int status = code instanceof Integer i ? i : 404;
        String body;
        if (status == 401) {
            boolean presented = req.getHeader("Authorization") != null;
            body = Errors.json(
                    ErrorCode.UNAUTHORIZED,
                    presented
                            ? "The bearer token is not valid (expired, wrong signature, issuer or audience)"
                            : "A bearer token is required: exchange an API key at POST /v1/auth/token",
                    Map.of("tokenPresented", presented));
            resp.setHeader("WWW-Authenticate", "Bearer realm=\"eventbus\"");
        } else if (status == 403) {
            body = Errors.json(ErrorCode.FORBIDDEN, MissingRoles.messageFor(req), MissingRoles.detailsFor(req));
        } else if (status == 400) {
            body = Errors.json(
                    ErrorCode.VALIDATION_ERROR,
                    "Bad request: the server could not read the request line or headers",
                    Map.of());
        } else if (status >= 500) {
            status = 500;
            body = Errors.json(ErrorCode.INTERNAL_ERROR, "Internal error; see the server log", Map.of());
        } else {
            status = 404;
            body = Errors.json(ErrorCode.NOT_FOUND, "No such resource", Map.of());
        }
        resp.setStatus(status);
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        resp.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
    }
}
