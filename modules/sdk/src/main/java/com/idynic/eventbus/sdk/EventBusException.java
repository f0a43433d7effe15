package com.idynic.eventbus.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;

/**
 * A call the bus refused, or one that could not reach it: carries the bus's error JSON ({@code errorCode},
 * {@code message}, {@code details}) and the HTTP status.
 *
 * @since 0.3.0
 */
public class EventBusException extends RuntimeException {
    /** The {@code errorCode} of a failure that never got an answer from the bus (network, timeout). */
    public static final String UNAVAILABLE = "UNAVAILABLE";

    private final int status;
    private final String errorCode;
    private final transient JsonNode details;

    /**
     * @param status the HTTP status, or 0 when no answer came
     * @param errorCode the bus's error code, e.g. {@code SCHEMA_VALIDATION_ERROR}
     * @param message the bus's message
     * @param details the bus's {@code details}, or null
     * @param cause what failed underneath, or null
     */
    public EventBusException(int status, String errorCode, String message, JsonNode details, Throwable cause) {
        super(errorCode + ": " + message, cause);
        this.status = status;
        this.errorCode = errorCode;
        this.details = details == null ? NullNode.getInstance() : details;
    }

    /** @return the HTTP status, or 0 when no answer came */
    public int status() {
        return status;
    }

    /** @return the bus's error code, e.g. {@code DUPLICATE_EVENT_ID}, or {@link #UNAVAILABLE} */
    public String errorCode() {
        return errorCode;
    }

    /** @return the bus's {@code details}, a {@link NullNode} when it sent none */
    public JsonNode details() {
        return details;
    }
}
