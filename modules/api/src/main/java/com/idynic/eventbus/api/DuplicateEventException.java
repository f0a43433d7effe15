package com.idynic.eventbus.api;

import java.util.Map;

/**
 * An event id was published before with different content. Re-publishing the same id with the same
 * content is not an error: it returns the original receipt.
 *
 * @since 0.1.0
 */
public class DuplicateEventException extends BusException {
    private static final long serialVersionUID = 1L;

    /** @param eventId the id that is already taken */
    public DuplicateEventException(String eventId) {
        super(
                ErrorCode.DUPLICATE_EVENT_ID,
                "Event id '" + eventId + "' was already published with different content",
                Map.of("field", "id", "eventId", eventId));
    }
}
