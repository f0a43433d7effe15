package com.idynic.eventbus.cli;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The bus refused a request, or did not answer ({@code status} 0). {@code body} is the bus's error JSON
 * ({@code status}, {@code errorCode}, {@code message}, {@code details}) when it sent one, else null and
 * {@code raw} holds what came back (or why nothing did).
 */
final class BusError extends RuntimeException {
    private final int status;
    private final transient JsonNode body;
    private final String raw;

    BusError(int status, JsonNode body, String raw) {
        super(status + " " + raw);
        this.status = status;
        this.body = body;
        this.raw = raw;
    }

    static BusError unreachable(String url, Exception cause) {
        String why = cause.getMessage() != null
                ? cause.getMessage()
                : cause instanceof java.net.ConnectException
                        ? "connection refused"
                        : cause.getClass().getSimpleName();
        return new BusError(0, null, "cannot reach the bus at " + url + ": " + why);
    }

    int status() {
        return status;
    }

    JsonNode body() {
        return body;
    }

    String raw() {
        return raw;
    }

    /** @return the bus's error code, or "" when it sent none */
    String errorCode() {
        return body != null ? body.path("errorCode").asText("") : "";
    }

    int exitCode() {
        return status == 0 || status == 429 || status >= 500 ? ExitCode.UNAVAILABLE : ExitCode.REFUSED;
    }
}
