package com.idynic.eventbus.api;

import java.util.Map;

/**
 * A request (event envelope, subscription, pull) was refused because one field is missing or invalid. {@code details.field} names
 * the field with a dotted path (e.g. {@code metadata.correlationId}); {@code details.error} says why.
 *
 * @since 0.1.0
 */
public class InvalidFieldException extends BusException {
    private static final long serialVersionUID = 1L;

    /**
     * @param field dotted path of the offending field, e.g. {@code eventType}
     * @param error what is wrong with it, e.g. {@code is required}
     */
    public InvalidFieldException(String field, String error) {
        super(
                ErrorCode.VALIDATION_ERROR,
                "Invalid request: '" + field + "' " + error,
                Map.of("field", field, "error", error));
    }
}
