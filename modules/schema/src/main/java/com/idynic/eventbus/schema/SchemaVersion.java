package com.idynic.eventbus.schema;

import java.time.Instant;

/**
 * One registered version of an event type's schema.
 *
 * @param eventType e.g. {@code user.created}
 * @param version 1, 2, ...
 * @param schema the JSON Schema text
 * @param deprecated deprecated versions still validate events that name them, but are not "latest"
 * @param createdAt registration time
 * @since 0.2.0
 */
public record SchemaVersion(String eventType, int version, String schema, boolean deprecated, Instant createdAt) {}
