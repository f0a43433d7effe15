package com.idynic.eventbus.web;

import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.ErrorCode;
import com.idynic.eventbus.storage.StorageException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Every failure leaves as the seed's error JSON; stack traces go to the log only. */
public final class ErrorMappers {
    private static final Logger LOG = Logger.getLogger(ErrorMappers.class.getName());

    private ErrorMappers() {}

    /** Refusals the bus decided on. */
    @Provider
    public static class Bus implements ExceptionMapper<BusException> {
        @Override
        public Response toResponse(BusException e) {
            return Errors.response(e.errorCode(), e.getMessage(), e.details());
        }
    }

    /** JAX-RS's own refusals: unknown route, wrong method, unacceptable media type, {@code @RolesAllowed}. */
    @Provider
    public static class Jaxrs implements ExceptionMapper<WebApplicationException> {
        @Context
        HttpServletRequest request;

        @Override
        public Response toResponse(WebApplicationException e) {
            int status = e.getResponse().getStatus();
            return switch (status) {
                case 401 -> Errors.response(
                        ErrorCode.UNAUTHORIZED, "A valid bearer token is required (POST /v1/auth/token)", Map.of());
                case 403 -> forbidden();
                case 404 -> Errors.response(ErrorCode.NOT_FOUND, "No such resource", Map.of());
                case 405 -> withAllow(
                        Errors.response(ErrorCode.METHOD_NOT_ALLOWED, "Method not allowed for this resource", Map.of()),
                        e.getResponse().getHeaderString("Allow"));
                case 415 -> Errors.response(
                        ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json", Map.of());
                case 406 -> Errors.response(
                        ErrorCode.VALIDATION_ERROR, "This resource only produces application/json", Map.of());
                default -> status < 500
                        ? Errors.response(ErrorCode.VALIDATION_ERROR, "Bad request", Map.of("httpStatus", status))
                        : internal(e);
            };
        }

        /** A 405 names the methods the resource takes ({@code Allow}, RFC 9110), as the container's answer did. */
        private static Response withAllow(Response r, String allow) {
            return allow == null || allow.isBlank()
                    ? r
                    : Response.fromResponse(r).header("Allow", allow).build();
        }

        /** The server's {@code @RolesAllowed} refused the token's roles: name them and the roles needed. */
        private Response forbidden() {
            return Errors.response(
                    ErrorCode.FORBIDDEN, MissingRoles.messageFor(request), MissingRoles.detailsFor(request));
        }
    }

    /** Anything unexpected: a 500 with a reference the operator can find in the log. */
    @Provider
    public static class Fallback implements ExceptionMapper<Throwable> {
        @Override
        public Response toResponse(Throwable e) {
            if (StorageException.isCauseOf(e)) {
                LOG.log(Level.WARNING, "storage unavailable: " + e);
                return Errors.response(
                        ErrorCode.STORAGE_UNAVAILABLE,
                        "The event store is unavailable; retry later",
                        Map.of("retryable", true));
            }
            return internal(e);
        }
    }

    static Response internal(Throwable e) {
        String ref = UUID.randomUUID().toString();
        LOG.log(Level.SEVERE, "unexpected error, reference " + ref, e);
        return Errors.response(
                ErrorCode.INTERNAL_ERROR,
                "Internal error; reference " + ref + " in the server log",
                Map.of("reference", ref));
    }
}
