package com.idynic.eventbus.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A refusal the bus reports to its caller in the seed's error format: an {@link ErrorCode}, a
 * human-readable message and optional details (for example {@code field} and {@code error}).
 *
 * @since 0.1.0
 */
public class BusException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String errorCode;
    private final transient Map<String, Object> details;

    /**
     * @param errorCode one of {@link ErrorCode}; never null
     * @param message a sentence for humans; never null
     * @param details extra facts, serialized as the {@code details} object; may be empty, never null
     */
    public BusException(String errorCode, String message, Map<String, ?> details) {
        super(message);
        this.errorCode = errorCode;
        this.details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    /** @return the error code, e.g. {@code VALIDATION_ERROR} */
    public String errorCode() {
        return errorCode;
    }

    /** @return the details object; never null */
    public Map<String, Object> details() {
        return details;
    }
}
