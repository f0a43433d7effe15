package com.idynic.eventbus.broker.spi;

import jakarta.json.JsonObject;

/**
 * Masks the values of an event's fields that its type's schema marks {@code "x-sensitive": true} (the schema
 * registry in production).
 *
 * @since 0.19.0
 */
@FunctionalInterface
public interface SensitiveData {
    /** Masks nothing: for types without a schema, and for tests. */
    SensitiveData NONE = (eventType, data) -> data;

    /**
     * @param eventType the event's type
     * @param data the event's payload
     * @return {@code data} with every sensitive value replaced by {@code "***"}; {@code data} itself when the type
     *     marks nothing sensitive
     */
    JsonObject mask(String eventType, JsonObject data);
}
